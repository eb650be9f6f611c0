/**
 * `generate --schema SRC --introspection FILE` of different releases
 * (tools/introspection/widen.ts): QEMU 10.2.2's source with Debian's
 * QEMU 7.2 binary (test/fixtures/introspection/qemu-system-x86_64-7.2.json)
 * keeps what the binary has beyond the source, and says so in warnings.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadIntrospectedSchema } from "../../../tools/introspection/introspected-schema.js";
import { readIntrospectionFile } from "../../../tools/introspection/read-file.js";
import { wireFromModel } from "../../../generator/model/wire-from-model.js";
import type { Command, ObjectType } from "../../../generator/model/entities.js";
import { diffSchemas } from "../../../core/diff.js";
import { wireFromIntrospection } from "../../../core/introspection-file.js";
import { qemuSourceDir, repoRoot } from "../../../scripts/lib/qemu-sources.js";

const binaryFile = join(repoRoot, "test", "fixtures", "introspection", "qemu-system-x86_64-7.2.json");
const source = join(qemuSourceDir("10.2.2"), "qapi", "qapi-schema.json");
const { schema, warnings } = loadIntrospectedSchema(binaryFile, source);

test("what the 7.2 binary has beyond the 10.2.2 source is kept", () => {
  assert.ok(schema.lookupEntity("x-query-rdma"), "removed after 7.2, the binary has it");
  assert.ok(schema.lookupEntity("MEM_UNPLUG_ERROR"));
  const status = schema.lookupType("StatusInfo") as ObjectType;
  assert.deepEqual(
    status.members.map((m) => m.name),
    ["running", "status", "singlestep"],
  );
  assert.equal(schema.lookupEntity("query-accelerators"), undefined, "the binary lacks it");
  // Names and docs still come from the source where types pair.
  assert.equal((schema.lookupEntity("blockdev-add") as Command).argType?.name, "BlockdevOptions");
  assert.ok(schema.lookupEntity("query-status")?.doc);
});

test("the SDK's schema then says exactly what the binary says", () => {
  const binary = wireFromIntrospection(readIntrospectionFile(binaryFile), "binary");
  const changes = diffSchemas(binary, wireFromModel(schema, "sdk")).changes.filter(
    (c) => !c.kind.startsWith("feature"),
  );
  assert.deepEqual(
    changes.map((c) => `${c.kind} ${c.path}: ${c.detail}`),
    [],
  );
});

test("each difference is one warning; build conditions are not warned about", () => {
  assert.ok(warnings.includes("command 'x-query-rdma': the binary has it, the source does not (kept)"));
  assert.ok(warnings.includes("event 'MEM_UNPLUG_ERROR': the binary has it, the source does not (kept)"));
  assert.ok(
    warnings.includes(
      "command 'query-status' return: member 'singlestep' of StatusInfo: the binary has it, the source does not (kept)",
    ),
  );
  assert.ok(warnings.includes("command 'query-accelerators': the source has it, the binary does not (left out)"));
  // query-gic-capabilities is TARGET_ARM in 7.2 but unconditional in 10.2.2: left out, and warned.
  assert.ok(!warnings.some((w) => w.includes("'rtc-reset-reinjection'")), "in both");
  assert.ok(warnings.every((w) => !w.includes("\n")));
});

test("the same sources and release: nothing to warn about but what the build left out", () => {
  const same = loadIntrospectedSchema(binaryFile, join(qemuSourceDir("7.2.0"), "qapi", "qapi-schema.json"));
  assert.deepEqual(same.warnings, []);
});

const tmp = mkdtempSync(join(repoRoot, "build", "widen-cli-test-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

test("generate prints the warnings on stderr and still writes the SDK", () => {
  const r = spawnSync(
    process.execPath,
    [
      join(repoRoot, "build/tools/cli/main.js"),
      "generate",
      "--schema",
      source,
      "--introspection",
      binaryFile,
      "--out",
      join(tmp, "sdk"),
      "--no-format",
    ],
    { encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    /^qapi-ts generate: warning: command 'x-query-rdma': the binary has it, the source does not \(kept\)$/m,
  );
  assert.match(r.stdout, /files written/);
});
