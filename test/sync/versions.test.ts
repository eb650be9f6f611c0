/**
 * The version index of QEMU 7.2.0 and 10.2.2 (sources): hand-checked entries,
 * and the committed generator/sync/qemu-versions.ts must be what the index
 * gives today (UPDATE_GOLDEN=1 rewrites it).
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadSide } from "../../generator/sync/load-side.js";
import { buildVersionIndex, compareVersions, emitVersionModule } from "../../generator/sync/versions.js";
import { qemuVersionIndex } from "../../generator/sync/qemu-versions.js";
import { repoRoot } from "../support/qemu-sources.js";

const schemaOf = (version: string) => join(repoRoot, ".cache", "qemu", version, "qapi", "qapi-schema.json");
const index = buildVersionIndex([loadSide(schemaOf("10.2.2")), loadSide(schemaOf("7.2.0"))]);

test("versions sort numerically", () => {
  assert.deepEqual(["10.2.2", "7.2.0", "9.0.0"].sort(compareVersions), ["7.2.0", "9.0.0", "10.2.2"]);
  assert.deepEqual(index.versions, ["7.2.0", "10.2.2"]);
});

test("hand-checked availability (see test/sync/diff.test.ts for where each fact is in the schemas)", () => {
  assert.deepEqual(index.commands["query-accelerators"], ["10.2.2"]);
  assert.deepEqual(index.commands["x-query-profile"], ["7.2.0"]);
  assert.equal(index.commands["query-status"], undefined, "in every version, so not listed");
  assert.deepEqual(index.events["VFIO_MIGRATION"], ["10.2.2"]);
  assert.deepEqual(index.events["MEM_UNPLUG_ERROR"], ["7.2.0"]);
  assert.deepEqual(index.arguments["drive-backup"]?.["discard-source"], ["10.2.2"]);
  assert.equal(index.arguments["drive-backup"]?.["sync"], undefined);
  // Followed through the rename QCryptoCipherAlgorithm (7.2) → QCryptoCipherAlgo (10.2).
  assert.deepEqual(index.types["QCryptoCipherAlgo"]?.values?.["sm4"], ["10.2.2"]);
  assert.equal(index.types["QCryptoCipherAlgo"]?.values?.["aes-256"], undefined);
  assert.deepEqual(index.types["StatusInfo"]?.members?.["singlestep"], ["7.2.0"]);
  assert.deepEqual(index.types["BlockDeviceStats"]?.members?.["zone_append_bytes"], ["10.2.2"]);
});

test("the committed generator/sync/qemu-versions.ts is up to date", () => {
  const file = join(repoRoot, "generator", "sync", "qemu-versions.ts");
  const text = emitVersionModule(index, "QEMU 7.2.0 and 10.2.2 qapi/qapi-schema.json");
  if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(file, text);
  assert.equal(readFileSync(file, "utf8"), text, "stale; run with UPDATE_GOLDEN=1 to regenerate");
  assert.deepEqual(qemuVersionIndex.versions, index.versions);
});
