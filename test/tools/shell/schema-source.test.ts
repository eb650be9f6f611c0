/**
 * Choosing what the shell knows a server by when the server cannot say
 * (tools/shell/schema-source.ts): a source schema's commands narrowed to
 * the server's release by the version index (QEMU 10.2.2's schema, as seen
 * from a 7.2 server, loses what 7.2 lacks), or to the list the server gives;
 * and the default source files looked for, by release.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadSchema } from "../../../generator/load-schema.js";
import {
  defaultSourceFiles,
  commandVersionsOf,
  narrowToServer,
  type SchemaOptions,
} from "../../../tools/shell/schema-source.js";
import { qemuVersionIndex } from "../../../generated/qemu/versions.js";
import { wireFromModel } from "../../../generator/model/wire-from-model.js";
import { genericSdk } from "../../../runtime/generic-sdk.js";
import { qemuSourceDir, repoRoot } from "../../../scripts/lib/qemu-sources.js";

const wire = wireFromModel(loadSchema(join(qemuSourceDir("10.2.2"), "qapi", "qapi-schema.json")), "10.2.2", "10.2.2");
const options: SchemaOptions = {
  kind: "qemu",
  docs: false,
  sdk: genericSdk,
  commandVersions: commandVersionsOf(qemuVersionIndex),
};

test("a 7.2 server (Debian's 7.2.22 too) does not get 10.2's new commands", () => {
  assert.ok(wire.commands.has("query-accelerators"));
  for (const version of ["7.2.0", "7.2.22"]) {
    const narrowed = narrowToServer(wire, undefined, version, options);
    assert.ok(!narrowed.commands.has("query-accelerators"), version);
    assert.ok(narrowed.commands.has("query-status"), version);
    assert.equal(
      wire.commands.size - narrowed.commands.size,
      Object.values(options.commandVersions!.commands).filter((v) => !v.includes("7.2.0")).length,
    );
  }
  // A release the index does not cover is left alone, and so is an unknown one.
  assert.equal(narrowToServer(wire, undefined, "11.1.0", options).commands.size, wire.commands.size);
  assert.equal(narrowToServer(wire, undefined, undefined, options).commands.size, wire.commands.size);
});

test("the server's own list wins", () => {
  const narrowed = narrowToServer(wire, ["query-status", "qom-get", "not-in-the-schema"], "7.2.0", options);
  assert.deepEqual([...narrowed.commands.keys()].sort(), ["qom-get", "query-status"]);
});

test("source files are looked for by the server's release, its .0 release, then the SDK's", () => {
  const cache = join(repoRoot, ".cache", "qemu");
  assert.deepEqual(defaultSourceFiles("qga", "7.2.22"), [
    join(cache, "7.2.22", "qga/qapi-schema.json"),
    join(cache, "7.2.0", "qga/qapi-schema.json"),
    join(cache, "10.2.2", "qga/qapi-schema.json"),
  ]);
  assert.deepEqual(defaultSourceFiles("qsd", undefined), [
    join(cache, "10.2.2", "storage-daemon/qapi/qapi-schema.json"),
  ]);
});
