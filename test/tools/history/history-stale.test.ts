/**
 * The committed version histories (generated/history/*.json) and the version
 * modules made from them (generated/<sdk>/versions.ts) are what `npm run
 * history` makes today from the fetched sources and libvirt's recordings
 * (the test command fetches both first). Fails with the stale file's name.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { historyOutputs } from "../../../tools/cli/history.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const notes: string[] = [];
const outputs = await historyOutputs(repoRoot, join(repoRoot, ".cache"), notes);

test("the history command makes a history and a version module per SDK", () => {
  assert.deepEqual([...outputs.keys()].sort(), [
    "generated/history/qemu.json",
    "generated/history/qga.json",
    "generated/history/qsd.json",
    "generated/qemu/versions.ts",
    "generated/qga/versions.ts",
    "generated/qsd/versions.ts",
  ]);
});

for (const [path, text] of outputs) {
  test(`${path} is up to date`, () => {
    assert.ok(
      readFileSync(join(repoRoot, path), "utf8") === text,
      `${path} is stale; run: npm run history (notes: ${notes.join("; ") || "none"})`,
    );
  });
}
