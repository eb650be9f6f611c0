/**
 * Introspection → resolved model (readable names for masked types, usable by
 * the code generators), and a source model restricted to what a binary has.
 * Both are checked by turning the model back into wire form and diffing it
 * with the binary's introspection: nothing may differ that should not.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadSchema } from "../../../generator/load-schema.js";
import { generate, writeFiles } from "../../../generator/index.js";
import type { ArrayType, Command, ObjectType } from "../../../generator/model/entities.js";
import { diffSchemas } from "../../../core/diff.js";
import { wireFromIntrospection } from "../../../core/introspection-file.js";
import { readIntrospectionFile } from "../../../tools/introspection/read-file.js";
import { modelFromIntrospection, pascalName, readableTypeNames } from "../../../tools/introspection/model.js";
import { loadIntrospectedSchema } from "../../../tools/introspection/introspected-schema.js";
import { restrictToIntrospection, restrictToWire } from "../../../tools/introspection/restrict.js";
import { loadSide } from "../../../tools/diff/load-side.js";
import type { EnumType } from "../../../generator/model/entities.js";
import { wireFromModel } from "../../../generator/model/wire-from-model.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const fixturePath = join(repoRoot, "test", "fixtures", "introspection", "qemu-system-x86_64-7.2.json");
const file = readIntrospectionFile(fixturePath);
const schemaOf = (version: string) => join(repoRoot, ".cache", "qemu", version, "qapi", "qapi-schema.json");

test("pascalName", () => {
  assert.equal(pascalName("blockdev-add"), "BlockdevAdd");
  assert.equal(pascalName("BLOCK_JOB_COMPLETED"), "BlockJobCompleted");
  assert.equal(pascalName("node-name"), "NodeName");
  assert.equal(pascalName("x-perf"), "XPerf");
});

test("masked types get readable names from where they are used", () => {
  const model = modelFromIntrospection(file, "qemu-system-x86_64-7.2.json");
  for (const defn of model.allDefinitions())
    assert.doesNotMatch(defn.name, /^\d|^\[/, `masked name left: ${defn.name}`);
  const add = model.lookupEntity("blockdev-add") as Command;
  assert.equal(add.argType?.name, "q_obj_blockdev-add-arg");
  assert.equal(add.argType?.branches?.tagName, "driver");
  assert.equal(add.argType?.branches?.variants.find((v) => v.name === "file")?.type.name, "BlockdevAddArgumentsFile");
  const queryBlock = model.lookupEntity("query-block") as Command;
  assert.equal(queryBlock.retType?.name, "QueryBlockReturnElementList");
  const element = (queryBlock.retType as ArrayType).elementType as ObjectType;
  assert.equal(element.name, "QueryBlockReturnElement");
  assert.equal(element.members.find((m) => m.name === "inserted")?.type.name, "QueryBlockReturnElementInserted");
  // Commands without arguments have none, as in a source model.
  assert.equal((model.lookupEntity("query-status") as Command).argType, null);
  // The same file always gives the same names.
  assert.deepEqual(
    readableTypeNames(wireFromIntrospection(file, "a")),
    readableTypeNames(wireFromIntrospection(file, "b")),
  );
});

test("the model says exactly what the introspection says, and the code generators accept it", async () => {
  const model = modelFromIntrospection(file, "qemu-system-x86_64-7.2.json");
  const back = wireFromModel(model, "model");
  assert.deepEqual(diffSchemas(wireFromIntrospection(file, "file"), back).changes, []);
  assert.equal(back.commands.size, file.schema.filter((e) => e["meta-type"] === "command").length);
  const files = await generate(model, { name: "qemu72", qemuVersion: "7.2.22", format: false });
  const commands = files.find((f) => f.path.endsWith("commands.ts"))!.content;
  assert.match(commands, /"blockdev-add"/);
  assert.match(commands, /BlockdevAddArguments/);
});

test("a source schema restricted to a binary of the same version says exactly what the binary says", () => {
  const restricted = restrictToIntrospection(loadSchema(schemaOf("7.2.0")), file);
  const changes = diffSchemas(wireFromIntrospection(file, "binary"), wireFromModel(restricted, "restricted")).changes;
  assert.deepEqual(changes, []);
  // Names and docs still come from the source.
  assert.ok(restricted.lookupEntity("query-status")?.doc, "docs kept");
  assert.equal(restricted.lookupType("BlockdevDriver")?.kind, "enum");
  // query-gic-capabilities is ARM-only: the x86 binary lacks it.
  assert.equal(restricted.lookupEntity("query-gic-capabilities"), undefined);
});

test("a newer source restricted to an older binary offers nothing the binary lacks", () => {
  const restricted = restrictToIntrospection(loadSchema(schemaOf("10.2.2")), file);
  const changes = diffSchemas(wireFromIntrospection(file, "binary"), wireFromModel(restricted, "restricted")).changes;
  const additions = changes.filter(
    (c) => c.kind.endsWith("-added") && !c.kind.startsWith("feature") && !c.kind.startsWith("condition"),
  );
  assert.deepEqual(
    additions.map((c) => `${c.path}: ${c.detail}`),
    [],
  );
  assert.equal(restricted.lookupEntity("query-accelerators"), undefined, "added after 7.2");
  assert.ok(restricted.lookupEntity("query-status"), "in both");
});

test("loadIntrospectedSchema: the entry point for generate --introspection", () => {
  const alone = loadIntrospectedSchema(fixturePath);
  assert.equal(alone.qemuVersion, "7.2.22");
  assert.equal((alone.schema.lookupEntity("blockdev-add") as Command).argType?.name, "q_obj_blockdev-add-arg");
  const withSource = loadIntrospectedSchema(fixturePath, schemaOf("10.2.2"));
  assert.equal(withSource.qemuVersion, "7.2.22");
  assert.equal(
    (withSource.schema.lookupEntity("blockdev-add") as Command).argType?.name,
    "BlockdevOptions",
    "source names",
  );
  assert.equal(withSource.schema.lookupEntity("query-accelerators"), undefined, "the binary lacks it");
});

test("the SDK generated from an introspection file type-checks (strict)", async () => {
  // Inside the repository (tmp/ is ignored) so the SDK can import the runtime's sources.
  mkdirSync(join(repoRoot, "tmp"), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, "tmp", "sdk-from-introspection-"));
  try {
    const { schema, qemuVersion } = loadIntrospectedSchema(fixturePath);
    const files = await generate(schema, { name: "qemu72", qemuVersion, runtimeImport: "../../../runtime/index.js" });
    await writeFiles(join(dir, "sdk"), files);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: "../../tsconfig.json",
        compilerOptions: { noEmit: true, rootDir: "../.." },
        include: ["sdk"],
      }),
    );
    const tsc = join(repoRoot, "node_modules", ".bin", "tsc");
    const run = spawnSync(tsc, ["-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("10.2.2's source restricted to 7.2.0's: newer names, older availability, down to enum values", () => {
  const restricted = restrictToWire(loadSchema(schemaOf("10.2.2")), loadSide(schemaOf("7.2.0")));
  assert.equal(restricted.lookupEntity("query-accelerators"), undefined);
  const backup = restricted.lookupType("DriveBackup") as ObjectType;
  assert.ok(backup.members.some((m) => m.name === "sync"));
  assert.ok(!backup.members.some((m) => m.name === "discard-source"), "added after 7.2");
  const cipher = restricted.lookupType("QCryptoCipherAlgo") as EnumType;
  assert.ok(cipher.memberNames().includes("aes-256"));
  assert.ok(!cipher.memberNames().includes("sm4"), "added after 7.2");
});
