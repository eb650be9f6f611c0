/**
 * Prints benchmark results as a table of ratios against a baseline measured in
 * the same run: "how many times faster than the baseline", with the goal the
 * project set for that row. This is the last step of every bench/*.bench.ts;
 * the figures in README.md's benchmark table are copied from its output.
 */
import type { Measurement } from "./measure.js";

/** One row: our time against a baseline's, or the reason the baseline is missing. */
export interface Comparison {
  /** The workload, e.g. "qapi/qapi-schema.json (10.2.2), parse+check". */
  workload: string;
  ours: Measurement;
  /** The baseline measurement, or why there is none (the row then shows only our time). */
  baseline: Measurement | { skipped: string };
  /** Minimum speed-up wanted (e.g. 10 for "≥10× faster"); omitted when there is none. */
  goal?: number;
}

/** Baseline time divided by ours: above 1 means we are faster. */
export function speedup(comparison: Comparison): number | undefined {
  return "skipped" in comparison.baseline ? undefined : comparison.baseline.medianMs / comparison.ours.medianMs;
}

function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

/** The table as text, one comparison a row, then the skipped baselines' reasons. */
export function formatRatioTable(title: string, comparisons: readonly Comparison[]): string {
  const header = ["workload", "qapi-ts (median)", "baseline (median)", "speed-up", "goal"];
  const notes: string[] = [];
  const rows = comparisons.map((c) => {
    const ratio = speedup(c);
    let baseline: string;
    if ("skipped" in c.baseline) {
      notes.push(`${c.workload}: baseline skipped: ${c.baseline.skipped}`);
      baseline = "skipped";
    } else {
      baseline = `${formatMs(c.baseline.medianMs)} (${c.baseline.label})`;
    }
    const goal =
      c.goal === undefined
        ? ""
        : ratio === undefined
          ? `≥${c.goal}×`
          : `≥${c.goal}× ${ratio >= c.goal ? "met" : "NOT met"}`;
    return [
      c.workload,
      `${formatMs(c.ours.medianMs)} (${c.ours.label})`,
      baseline,
      ratio === undefined ? "–" : `${ratio.toFixed(1)}×`,
      goal,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  return [
    title,
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    ...notes.map((n) => `note: ${n}`),
  ].join("\n");
}

/** Writes the table to stdout. */
export function printRatioTable(title: string, comparisons: readonly Comparison[]): void {
  process.stdout.write(`${formatRatioTable(title, comparisons)}\n`);
}
