/**
 * The version index of QEMU 7.2.0 and 10.2.2 (sources): hand-checked entries,
 * and the committed generated/qemu/versions.ts must be what the index
 * gives today (UPDATE_GOLDEN=1 rewrites it).
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadSide } from "../../generator/diff/load-side.js";
import { buildVersionIndex, compareVersions, emitVersionModule } from "../../generator/versions/build-index.js";
import { qemuVersionIndex } from "../../generated/qemu/versions.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const schemaOf = (version: string) => join(repoRoot, ".cache", "qemu", version, "qapi", "qapi-schema.json");
/** The versions the committed modules index; add one here (after fetching it) to extend them. */
const indexedVersions = ["7.2.0", "10.2.2"];
const index = buildVersionIndex(indexedVersions.map((v) => loadSide(schemaOf(v))));
const sources = (label: string) => `QEMU ${indexedVersions.join(" and ")} ${label}`;

test("versions sort numerically", () => {
  assert.deepEqual(["10.2.2", "7.2.0", "9.0.0"].sort(compareVersions), ["7.2.0", "9.0.0", "10.2.2"]);
  assert.deepEqual(index.versions, indexedVersions);
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

/** The committed index modules: one per schema family, from the same versions. */
const modules: [file: string, schema: string[], label: string][] = [
  ["qemu", ["qapi"], "qapi/qapi-schema.json"],
  ["qga", ["qga"], "qga/qapi-schema.json"],
  ["qsd", ["storage-daemon", "qapi"], "storage-daemon/qapi/qapi-schema.json"],
];

for (const [name, within, label] of modules) {
  test(`the committed generated/${name}/versions.ts is up to date`, () => {
    const file = join(repoRoot, "generated", name, "versions.ts");
    const built = name === "qemu" ? index : buildVersionIndex(indexedVersions.map((v) => loadSide(join(repoRoot, ".cache", "qemu", v, ...within, "qapi-schema.json"))));
    const text = emitVersionModule(built, sources(label));
    if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(file, text);
    assert.equal(readFileSync(file, "utf8"), text, "stale; run with UPDATE_GOLDEN=1 to regenerate");
  });
}

test("the committed QEMU index module holds the same data", () => {
  assert.deepEqual(qemuVersionIndex.versions, index.versions);
  assert.deepEqual(qemuVersionIndex.commands["query-accelerators"], ["10.2.2"]);
});
