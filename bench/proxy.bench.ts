/**
 * Benchmark of `qapi-ts proxy` against one real QEMU (Debian's 7.2,
 * `-machine none`) with two monitors: the qapi-ts client straight on one, and
 * through a proxy process (bin/qapi-ts proxy) holding the other. Same QEMU,
 * same client, same run, measured alternately:
 *   - sequential round trips of `query-status`: the latency the proxy adds per
 *     call (goal: under 100 µs);
 *   - pipelined `query-status`: throughput through the proxy against direct
 *     (goal: at least 80%).
 * Medians of several runs, printed as ratio tables (bench/lib/ratio-table.ts).
 *
 * Run: `node build/bench/proxy.bench.js` (or `npm run bench`).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { connect } from "../runtime/index.js";
import { median, type Measurement } from "./lib/measure.js";
import { printRatioTable, type Comparison } from "./lib/ratio-table.js";

const sequentialCalls = 1_000;
const pipelinedCalls = 2_000;
const runs = 7;
const cli = new URL("../../bin/qapi-ts", import.meta.url).pathname;

async function waitFor(path: string): Promise<void> {
  for (let i = 0; i < 1_000 && !existsSync(path); i++) await sleep(10);
  if (!existsSync(path)) throw new Error(`${path} did not appear`);
}

/** Times `work` on a fresh client of `path`, connecting and closing untimed. */
async function timedOn(path: string, work: (c: Awaited<ReturnType<typeof connect>>) => Promise<unknown>) {
  // oob on both sides: the proxy negotiates it upstream, which moves QEMU's monitor onto its I/O
  // thread and caps in-band calls in flight at 8; a direct client without it would measure another mode.
  const client = await connect({ path, waitForServer: 5_000, oob: true });
  const start = performance.now();
  await work(client);
  const elapsed = performance.now() - start;
  await client.close();
  return elapsed;
}

/** A and B alternately, after one warm-up each. */
async function interleaved(
  a: { label: string; work: () => Promise<number> },
  b: { label: string; work: () => Promise<number> },
): Promise<[Measurement, Measurement]> {
  await a.work();
  await b.work();
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) for (const [k, w] of [a, b].entries()) samples[k]!.push(await w.work());
  return [
    { label: a.label, samplesMs: samples[0], medianMs: median(samples[0]) },
    { label: b.label, samplesMs: samples[1], medianMs: median(samples[1]) },
  ];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "qapi-ts-bench-proxy-"));
  const direct = join(dir, "direct.sock");
  const upstream = join(dir, "upstream.sock");
  const shared = join(dir, "shared.sock");
  const qemu = spawn(
    "/usr/bin/qemu-system-x86_64",
    [
      ...["-machine", "none", "-nodefaults", "-display", "none"],
      ...["-qmp", `unix:${direct},server=on,wait=off`, "-qmp", `unix:${upstream},server=on,wait=off`],
    ],
    { stdio: "ignore" },
  );
  let proxy: ReturnType<typeof spawn> | undefined;
  const stop = () => {
    proxy?.kill("SIGKILL");
    qemu.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stop);
  try {
    await waitFor(upstream);
    proxy = spawn(
      process.execPath,
      [cli, "proxy", "--connect", `unix:${upstream}`, "--listen", `unix:${shared}`, "--wait", "5"],
      { stdio: "ignore" },
    );
    await waitFor(shared);

    const sequential = (path: string) => () =>
      timedOn(path, async (c) => {
        for (let i = 0; i < sequentialCalls; i++) await c.execute("query-status");
      });
    const pipelined = (path: string) => () =>
      timedOn(path, (c) => Promise.all(Array.from({ length: pipelinedCalls }, () => c.execute("query-status"))));

    const [seqProxy, seqDirect] = await interleaved(
      { label: "through the proxy", work: sequential(shared) },
      { label: "direct", work: sequential(direct) },
    );
    const [pipeProxy, pipeDirect] = await interleaved(
      { label: "through the proxy", work: pipelined(shared) },
      { label: "direct", work: pipelined(direct) },
    );
    const rows: Comparison[] = [
      { workload: `${sequentialCalls} sequential query-status`, ours: seqProxy, baseline: seqDirect },
      { workload: `${pipelinedCalls} pipelined query-status`, ours: pipeProxy, baseline: pipeDirect, goal: 0.8 },
    ];
    printRatioTable("qapi-ts proxy vs a direct connection to the same QEMU (goal: pipelined ≥ 0.8)", rows);
    const addedUs = ((seqProxy.medianMs - seqDirect.medianMs) / sequentialCalls) * 1000;
    const rate = (calls: number, ms: number) => Math.round((calls / ms) * 1000);
    const share = rate(pipelinedCalls, pipeProxy.medianMs) / rate(pipelinedCalls, pipeDirect.medianMs);
    console.log(
      `added latency per call (sequential, median): ${addedUs.toFixed(1)} µs (goal: < 100 µs) — ` +
        `direct ${((seqDirect.medianMs / sequentialCalls) * 1000).toFixed(1)} µs, proxy ${((seqProxy.medianMs / sequentialCalls) * 1000).toFixed(1)} µs`,
    );
    console.log(
      `pipelined throughput: direct ${rate(pipelinedCalls, pipeDirect.medianMs)}/s, proxy ${rate(pipelinedCalls, pipeProxy.medianMs)}/s ` +
        `= ${(share * 100).toFixed(0)}% (goal: ≥ 80%)\n`,
    );
  } finally {
    stop();
  }
}

await main();
