/**
 * The committed histories against the source schemas they were merged from:
 * for every source snapshot of release V (10.2.2, 10.0.13 for 10.0, 7.2.0),
 * the history's V and the source differ in nothing a client can see —
 * commands, events, members, values, branches, features, conditions — in both
 * directions (type names aside: the history names types as the pinned
 * release does).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadSide } from "../../generator/diff/load-side.js";
import { readHistory } from "../../generator/history/files.js";
import { historySdks, historySources, type HistorySdk } from "../../generator/history/snapshots.js";
import { diffSchemas } from "../../core/diff.js";
import { historyAt } from "../../core/history.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

for (const sdk of Object.keys(historySdks) as HistorySdk[]) {
  const history = readHistory(sdk);
  for (const { version, release } of historySources) {
    const label = `QEMU ${version} ${historySdks[sdk].join("/")}`;
    if (!history.snapshots.some((s) => s.kind === "source" && s.label === label)) continue;
    test(`${sdk}: the history's ${release} is ${label}`, () => {
      const source = loadSide(join(repoRoot, ".cache", "qemu", version, ...historySdks[sdk]));
      const view = historyAt(history, release);
      for (const [a, b] of [
        [source, view],
        [view, source],
      ] as const) {
        const changes = diffSchemas(a, b).changes.filter((c) => !c.kind.startsWith("type-"));
        assert.deepEqual(
          changes.map((c) => `${c.kind} ${c.path}: ${c.detail}`),
          [],
          `${a.label} → ${b.label}`,
        );
      }
    });
  }
}
