/**
 * Builds one SDK's version history from its snapshots (snapshots.ts →
 * merge.ts) and writes it as committed data: generated/history/<sdk>.json,
 * one entry per line so a new release shows as a readable diff. Called by
 * `qapi-ts history` (tools/cli/history.ts) and by the test that fails
 * when the committed files are stale.
 */
import { diffSchemas } from "../../core/diff.js";
import { historyAt, type History, type HistorySnapshot } from "../../core/history.js";
import type { WireSchema } from "../../core/schema.js";
import { HistoryBuilder, type Snapshot } from "./merge.js";
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
  const snapshots = loadSnapshots(sdk, inputs, notes);
  for (const snapshot of snapshots) builder.add(snapshot);
  return withRecordedBuilds(builder.finish(), snapshots);
}

/**
 * What recordings add to a release read from source: the build conditions
 * each recorded binary was built without, where its release's view and the
 * recording differ by build conditions (the only way they may differ).
 */
function withRecordedBuilds(history: History, snapshots: readonly Snapshot[]): History {
  const fromSource = new Set(history.snapshots.filter((s) => s.kind === "source").map((s) => s.release));
  const recordings = new Map(snapshots.filter((s) => s.info.kind === "recording").map((s) => [s.info.label, s]));
  const views = new Map<string, WireSchema>();
  const withBuilds = history.snapshots.map((info): HistorySnapshot => {
    const recording = recordings.get(info.label);
    if (!recording || !fromSource.has(info.release)) return info;
    let view = views.get(info.release);
    if (!view) views.set(info.release, (view = historyAt(history, info.release)));
    const notBuilt = new Set(
      diffSchemas(view, recording.wire)
        .changes.map((c) => c.condition)
        .filter((c): c is string => c !== undefined),
    );
    return notBuilt.size > 0 ? { ...info, notBuilt: [...notBuilt].sort() } : info;
  });
  return { ...history, snapshots: withBuilds };
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
