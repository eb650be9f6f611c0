/**
 * Tests of the shared benchmark helpers in bench/lib/: the median, the
 * speed-up, and the ratio table every benchmark prints (a skipped baseline
 * keeps its row and says why; a goal says whether it was met).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { median, type Measurement } from "../../bench/lib/measure.js";
import { formatRatioTable, speedup, type Comparison } from "../../bench/lib/ratio-table.js";

const timed = (label: string, medianMs: number): Measurement => ({ label, samplesMs: [medianMs], medianMs });

test("median of odd and even counts, unsorted input left alone", () => {
  const samples = [5, 1, 3];
  assert.equal(median(samples), 3);
  assert.deepEqual(samples, [5, 1, 3]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), RangeError);
});

test("speed-up is the baseline's time over ours, and absent for a skipped baseline", () => {
  assert.equal(speedup({ workload: "w", ours: timed("ours", 10), baseline: timed("theirs", 250) }), 25);
  assert.equal(speedup({ workload: "w", ours: timed("ours", 10), baseline: { skipped: "no python3" } }), undefined);
});

test("the table: aligned rows, goals met or not, skipped baselines explained", () => {
  const comparisons: Comparison[] = [
    { workload: "fast", ours: timed("ours", 10), baseline: timed("theirs", 250), goal: 10 },
    { workload: "slow", ours: timed("ours", 200), baseline: timed("theirs", 300), goal: 10 },
    { workload: "alone", ours: timed("ours", 1234), baseline: { skipped: "no python3" } },
  ];
  const lines = formatRatioTable("Title", comparisons).split("\n");
  assert.equal(lines[0], "Title");
  const rows = lines.slice(1, 6);
  assert.equal(new Set(rows.map((row) => row.length)).size, 1, "all table lines have the same width");
  assert.match(rows[2]!, /^\| fast .*\| 10\.0 ms \(ours\) .*\| 250 ms \(theirs\) .*\| 25\.0× .*\| ≥10× met /);
  assert.match(rows[3]!, /^\| slow .*\| 1\.5× .*\| ≥10× NOT met /);
  assert.match(rows[4]!, /^\| alone .*\| 1234 ms \(ours\) .*\| skipped .*\| – /);
  assert.equal(lines[6], "note: alone: baseline skipped: no python3");
});
