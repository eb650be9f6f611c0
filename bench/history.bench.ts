/**
 * Benchmark of the version history (generated/history/): its size against
 * the SDK it describes, and how fast it answers, each against a baseline
 * measured in the same run:
 *   - reading the shipped history vs loading the pinned release's source
 *     schema (what answering without a history would need);
 *   - one release's view (historyAt) and the SDK cut to 7.2 (cutToRelease)
 *     vs the same source load;
 *   - 1000 `versions NAME` look-ups vs reading the history once.
 * Prints the sizes and a ratio table (bench/lib/ratio-table.ts).
 *
 * Run: `node build/bench/history.bench.js` (or `npm run bench`).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { loadSchema } from "../generator/load-schema.js";
import { historyFile } from "../generator/history/files.js";
import { lookUpVersions } from "../generator/history/lookup.js";
import { wireFromModel } from "../generator/model/wire-from-model.js";
import { cutToRelease } from "../core/cut-to-release.js";
import { historyAt, type History } from "../core/history.js";
import { qemuSourceDir, repoRoot } from "../scripts/lib/qemu-sources.js";
import { measure } from "./lib/measure.js";
import { printRatioTable } from "./lib/ratio-table.js";

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
  printRatioTable("Version history queries (speed-up over the baseline)", [
    { workload: "read the shipped QMP history", ours: readHistory, baseline: loadSource },
    { workload: "one release's view (6.2.0)", ours: view, baseline: loadSource },
    { workload: "10.2.2 SDK's wire view cut to 7.2", ours: cut, baseline: loadSource },
    { workload: "1000 `versions NAME` look-ups", ours: lookups, baseline: readHistory },
  ]);
}

await main();
