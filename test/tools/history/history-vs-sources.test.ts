/**
 * The shipped histories against the source of every release they list, as a
 * user runs it from a folder with nothing fetched: `qapi-ts diff V
 * <release V's schema> --fail-on any` exits 0 in both directions, for every
 * SDK (qemu, qga; qsd from 5.0). In-process (the CLI's own loading and
 * failure rule) so 64 releases × 3 SDKs stay fast. A release whose source
 * the front end cannot read yet is skipped with the reason.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { failsOn, formatDiff } from "../../../tools/diff/format.js";
import { historySideSchema, loadSide } from "../../../tools/diff/load-side.js";
import { readHistory } from "../../../tools/history/files.js";
import { historySdks, type HistorySdk } from "../../../tools/history/snapshots.js";
import { diffSchemas } from "../../../core/diff.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

for (const sdk of Object.keys(historySdks) as HistorySdk[]) {
  const history = readHistory(sdk);
  test(`${sdk}: every release the history lists was read from its own source`, () => {
    const fromSource = history.snapshots.filter((s) => s.kind === "source").map((s) => s.release);
    assert.deepEqual([...fromSource].sort(), [...history.releases].sort());
  });
  for (const release of history.releases) {
    const file = join(repoRoot, ".cache", "qemu", release, ...historySdks[sdk]);
    test(`${sdk}: diff ${release} ${historySdks[sdk].join("/")} --fail-on any exits 0 both ways`, (t) => {
      assert.ok(existsSync(file), `${file} missing; run: npm run history`);
      let source;
      try {
        source = loadSide(file);
      } catch (error) {
        t.skip(
          `the front end cannot read it yet: ${String((error as Error).message)
            .split("\n")
            .at(-1)}`,
        );
        return;
      }
      const view = historySideSchema(sdk === "qemu" ? release : `${release}:${sdk}`)!;
      assert.ok(view, `${release} is not a release of the ${sdk} history`);
      for (const [a, b] of [
        [source, view],
        [view, source],
      ] as const) {
        const diff = diffSchemas(a, b);
        assert.ok(!failsOn(diff, "any"), formatDiff(diff, "text").split("\n").slice(0, 40).join("\n"));
      }
    });
  }
}
