/**
 * Benchmark of the version history (generated/history/): its size against
 * the SDK it describes, and how fast it answers, each against a baseline
 * measured in the same run:
 *   - reading the shipped history vs loading the pinned release's source
 *     schema (what answering without a history would need);
 *   - one release's view (historyAt) and the SDK cut to 7.2 (cutToRelease)
 *     vs the same source load;
 *   - 1000 `versions NAME` look-ups vs reading the history once;
 *   - the first connect that follows a server (reading the shipped history and
 *     cutting the SDK to the server's release, followServer) vs the same
 *     source load.
 * Prints the sizes and a ratio table (bench/lib/ratio-table.ts), then the
 * two figures issue 19 bounds (reading the QMP history < 5 ms, the first
 * following connect < 30 ms) beside what they were with the 20-release
 * history, measured on the same machine before it grew to 64 releases.
 *
 * Run: `node build/bench/history.bench.js` (or `npm run bench`).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { loadSchema } from "../generator/load-schema.js";
import { historyFile } from "../tools/history/files.js";
import { lookUpVersions } from "../tools/history/lookup.js";
import { wireFromModel } from "../generator/model/wire-from-model.js";
import { sdk as qemuSdk } from "../generated/qemu/index.js";
import { followServer } from "../runtime/follow-server.js";
import { cutToRelease } from "../core/cut-to-release.js";
import { historyAt, type History } from "../core/history.js";
import { qemuSourceDir, repoRoot } from "../scripts/lib/qemu-sources.js";
import { measure } from "./lib/measure.js";
import { printRatioTable } from "./lib/ratio-table.js";

/**
 * The 20-release history's figures, from this benchmark at commit 703be3a on
 * the same machine before the history grew: reading it 2.3 ms; the first
 * following connect is that read plus the cut to 7.2 (21.2 ms).
 */
const readBefore = 2.3;
const firstConnectBefore = 2.3 + 21.2;

const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

function sizes(): void {
  const lines: string[] = ["| file | bytes | gzip |", "|---|---|---|"];
  const row = (label: string, text: string) =>
    lines.push(`| ${label} | ${kb(text.length)} | ${kb(gzipSync(text).length)} |`);
  for (const sdk of ["qemu", "qga", "qsd"]) {
    row(`generated/history/${sdk}.json`, readFileSync(historyFile(sdk), "utf8"));
    row(`generated/${sdk}/versions.ts`, readFileSync(join(repoRoot, "generated", sdk, "versions.ts"), "utf8"));
  }
  const sdkDir = join(repoRoot, "generated", "qemu");
  const sdkText = readdirSync(sdkDir)
    .filter((f) => f.endsWith(".ts") && statSync(join(sdkDir, f)).isFile())
    .map((f) => readFileSync(join(sdkDir, f), "utf8"))
    .join("");
  row("for scale: the whole generated/qemu SDK", sdkText);
  console.log("Version history sizes\n" + lines.join("\n") + "\n");
}

async function main(): Promise<void> {
  sizes();
  const text = readFileSync(historyFile("qemu"), "utf8");
  const history = JSON.parse(text) as History;
  const source = join(qemuSourceDir("10.2.2"), "qapi", "qapi-schema.json");
  const runs = { runs: 5, warmups: 1 };
  const loadSource = await measure("loadSchema 10.2.2 source", () => loadSchema(source, { docLint: false }), runs);
  const readHistory = await measure("JSON.parse history", () => JSON.parse(text), runs);
  const view = await measure("historyAt 6.2.0", () => historyAt(history, "6.2.0"), runs);
  const sdk = wireFromModel(loadSchema(source, { docLint: false }), "10.2.2", "10.2.2");
  const cut = await measure("cutToRelease 7.2.0", () => cutToRelease(sdk, history, "7.2.0"), runs);
  const names = [...Object.keys(history.commands), ...Object.keys(history.events)].slice(0, 500);
  for (const [type, t] of Object.entries(history.types)) {
    if (names.length >= 1000) break;
    for (const m of Object.keys(t.members ?? {})) names.push(`${type}.${m}`);
  }
  const thousand = names.slice(0, 1000);
  const lookups = await measure("1000 look-ups", () => thousand.forEach((n) => lookUpVersions(history, n)), runs);
  // A fresh descriptor each run: followServer keeps its cut per descriptor, so every run is a first connect.
  const firstFollow = await measure(
    "read history + followServer 7.2.22",
    async () => {
      JSON.parse(readFileSync(historyFile("qemu"), "utf8"));
      await followServer({ ...qemuSdk }, { major: 7, minor: 2, micro: 22 });
    },
    runs,
  );
  printRatioTable("Version history queries (speed-up over the baseline)", [
    { workload: "read the shipped QMP history", ours: readHistory, baseline: loadSource },
    { workload: "one release's view (6.2.0)", ours: view, baseline: loadSource },
    { workload: "10.2.2 SDK's wire view cut to 7.2", ours: cut, baseline: loadSource },
    { workload: "1000 `versions NAME` look-ups", ours: lookups, baseline: readHistory },
    { workload: "first connect following a 7.2 server", ours: firstFollow, baseline: loadSource },
  ]);
  const bounded = (label: string, now: number, limit: number, before: number) =>
    `| ${label} | ${now.toFixed(1)} ms | < ${limit} ms: ${now < limit ? "met" : "NOT met"} | ${before.toFixed(1)} ms |`;
  console.log(
    [
      "",
      "Issue 19's bounds (64 releases), beside the 20-release history (measured before the change, same machine)",
      "| figure | now (median) | bound | 20 releases |",
      "|---|---|---|---|",
      bounded("read the shipped QMP history", readHistory.medianMs, 5, readBefore),
      bounded("first connect following a 7.2 server", firstFollow.medianMs, 30, firstConnectBefore),
    ].join("\n"),
  );
}

await main();
