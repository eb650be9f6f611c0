/**
 * Builds one SDK's version history from its snapshots (snapshots.ts →
 * merge.ts) and writes it as committed data: generated/history/<sdk>.json,
 * one entry per line so a new release shows as a readable diff. Called by
 * `qapi-ts history` (generator/cli/history.ts) and by the test that fails
 * when the committed files are stale.
 */
import type { History } from "../../core/history.js";
import { HistoryBuilder } from "./merge.js";
import {
  historyFirstRelease,
  historyReleases,
  loadSnapshots,
  type HistoryInputs,
  type HistorySdk,
} from "./snapshots.js";

/** Builds the history of `sdk`; `notes` gets a line per snapshot left out. */
export function buildHistory(sdk: HistorySdk, inputs: HistoryInputs, notes: string[] = []): History {
  const first = historyReleases.indexOf(historyFirstRelease[sdk]);
  const builder = new HistoryBuilder(sdk, historyReleases.slice(first));
  for (const snapshot of loadSnapshots(sdk, inputs, notes)) builder.add(snapshot);
  return builder.finish();
}

/** The committed text of a history: JSON, each command, event and type on its own line. */
export function historyText(history: History): string {
  const lines: string[] = ["{"];
  lines.push(`"sdk": ${JSON.stringify(history.sdk)},`);
  lines.push(`"releases": ${JSON.stringify(history.releases)},`);
  lines.push(`"snapshots": [`);
  lines.push(history.snapshots.map((s) => JSON.stringify(s)).join(",\n"));
  lines.push(`],`);
  const table = (key: "commands" | "events" | "types", last: boolean) => {
    const entries = Object.entries(history[key]);
    lines.push(`${JSON.stringify(key)}: {`);
    lines.push(entries.map(([name, value]) => `${JSON.stringify(name)}: ${JSON.stringify(value)}`).join(",\n"));
    lines.push(last ? "}" : "},");
  };
  table("commands", false);
  table("events", false);
  table("types", true);
  lines.push("}");
  return lines.join("\n") + "\n";
}
