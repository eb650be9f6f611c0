/**
 * Benchmark of the QMP runtime against one real QEMU (Debian's 7.2
 * qemu-system-x86_64, `-machine none`):
 *   - sequential round trips of `query-status` and pipelined throughput, our
 *     client against a minimal raw-socket client written here (the floor: no
 *     framing checks, no id table, no events, no lossless JSON);
 *   - `parseJson` against plain `JSON.parse` on ordinary messages recorded from
 *     that QEMU (goal: under 10% overhead);
 *   - the client's framing (runtime/framing.ts: UTF-8, the JSON splitter,
 *     lossless parse) on those messages as a chunked stream, against cutting at
 *     CRLF and `JSON.parse`.
 * Medians of several runs, printed as ratio tables (bench/lib/ratio-table.ts).
 *
 * Run: `node build/bench/runtime.bench.js` (or `npm run bench`).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect as netConnect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { MessageReader } from "../runtime/framing.js";
import { connect, parseJson } from "../runtime/index.js";
import { median, type Measurement } from "./lib/measure.js";
import { printRatioTable, type Comparison } from "./lib/ratio-table.js";

const sequentialCalls = 1_000;
const pipelinedCalls = 2_000;
const runs = 7;

/**
 * Times two pieces of work alternately (A, B, A, B, …) after one warm-up each,
 * so drift in the shared machine's load affects both alike.
 */
async function interleaved(
  a: { label: string; work: () => unknown },
  b: { label: string; work: () => unknown },
  /** When the work times its own core (without set-up), it returns that time in ms. */
  count: number,
): Promise<[Measurement, Measurement]> {
  await a.work();
  await b.work();
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < count; i++) {
    for (const [k, w] of [a, b].entries()) {
      const start = performance.now();
      const own = await w.work();
      samples[k]!.push(typeof own === "number" ? own : performance.now() - start);
    }
  }
  return [
    { label: a.label, samplesMs: samples[0], medianMs: median(samples[0]) },
    { label: b.label, samplesMs: samples[1], medianMs: median(samples[1]) },
  ];
}

/** The floor: greeting, negotiation, then newline-split JSON.parse of replies; nothing else. */
class RawClient {
  private buffer = "";
  private waiting: ((line: string) => void)[] = [];
  private lines: string[] = [];
  private constructor(private readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf("\n")) !== -1) {
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 1);
        const next = this.waiting.shift();
        if (next) next(line);
        else this.lines.push(line);
      }
    });
  }

  static async open(path: string): Promise<RawClient> {
    const socket = netConnect(path);
    await new Promise((resolve) => socket.once("connect", resolve));
    const client = new RawClient(socket);
    await client.readLine(); // greeting
    socket.write('{"execute":"qmp_capabilities"}\n');
    await client.readLine();
    return client;
  }

  readLine(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private nextId = 1;

  // Ids as our client sends them (qmp-spec recommends them), so QEMU reads the same bytes.
  async call(): Promise<unknown> {
    this.socket.write(`{"execute":"query-status","id":${this.nextId++}}\n`);
    return JSON.parse(await this.readLine());
  }

  async pipelined(count: number): Promise<void> {
    let text = "";
    for (let i = 0; i < count; i++) text += `{"execute":"query-status","id":${this.nextId++}}\n`;
    this.socket.write(text);
    for (let i = 0; i < count; i++) JSON.parse(await this.readLine());
  }

  close(): void {
    this.socket.destroy();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "qapi-ts-bench-"));
  const path = join(dir, "qmp.sock");
  const qemu = spawn(
    "/usr/bin/qemu-system-x86_64",
    ["-machine", "none", "-nodefaults", "-display", "none", "-qmp", `unix:${path},server=on,wait=off`],
    {
      stdio: "ignore",
    },
  );
  const stopQemu = () => {
    qemu.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stopQemu);
  try {
    for (let i = 0; i < 500 && !existsSync(path); i++) await sleep(10);

    // QEMU serves one monitor client at a time: each measurement connects, works, and leaves.
    const ours = await connect({ path });
    const corpus = await recordCorpus(ours);
    await ours.close();

    // Connecting and closing are set-up, not timed: only the calls are.
    // Client CPU per run (user + system µs), by label: less sensitive than wall time to QEMU's latency.
    const cpu = new Map<string, number[]>();
    const timed = async (label: string, work: () => Promise<unknown>): Promise<number> => {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      await work();
      const elapsed = performance.now() - start;
      const used = process.cpuUsage(cpuStart);
      cpu.set(label, [...(cpu.get(label) ?? []), used.user + used.system]);
      return elapsed;
    };
    const withOurs = async (
      work: (c: Awaited<ReturnType<typeof connect>>) => Promise<unknown>,
      label: string,
      commandTimeout?: number,
    ): Promise<number> => {
      const client = await connect(commandTimeout === undefined ? { path } : { path, commandTimeout });
      const elapsed = await timed(label, () => work(client));
      await client.close();
      return elapsed;
    };
    const withRaw = async (work: (c: RawClient) => Promise<unknown>, label: string): Promise<number> => {
      const client = await RawClient.open(path);
      const elapsed = await timed(label, () => work(client));
      client.close();
      return elapsed;
    };
    const pipelinedWork = (c: Awaited<ReturnType<typeof connect>>) =>
      Promise.all(Array.from({ length: pipelinedCalls }, () => c.execute("query-status")));
    const [sequentialOurs, sequentialRaw] = await interleaved(
      {
        label: "qapi-ts client",
        work: () =>
          withOurs(async (c) => {
            for (let i = 0; i < sequentialCalls; i++) await c.execute("query-status");
          }, "ours sequential"),
      },
      {
        label: "raw socket",
        work: () =>
          withRaw(async (c) => {
            for (let i = 0; i < sequentialCalls; i++) await c.call();
          }, "raw sequential"),
      },
      runs,
    );
    const [pipelinedOurs, pipelinedRaw] = await interleaved(
      {
        label: "qapi-ts client",
        work: () => withOurs(pipelinedWork, "ours pipelined"),
      },
      { label: "raw socket", work: () => withRaw((c) => c.pipelined(pipelinedCalls), "raw pipelined") },
      runs,
    );

    // Every call has a time limit by default (runtime/default-timeouts.ts): what its timer costs.
    const [limited, unlimited] = await interleaved(
      {
        label: "default time limits",
        work: () => withOurs(pipelinedWork, "ours limited"),
      },
      { label: "no time limits", work: () => withOurs(pipelinedWork, "ours unlimited", Infinity) },
      runs,
    );

    const rows: Comparison[] = [
      { workload: `${sequentialCalls} sequential query-status`, ours: sequentialOurs, baseline: sequentialRaw },
      { workload: `${pipelinedCalls} pipelined query-status`, ours: pipelinedOurs, baseline: pipelinedRaw },
    ];
    printRatioTable("QMP client vs raw-socket floor (speed-up < 1: slower than the floor)", rows);
    printRatioTable("Default per-call time limits vs none (pipelined; speed-up < 1: the timers cost)", [
      { workload: `${pipelinedCalls} pipelined query-status`, ours: limited, baseline: unlimited },
    ]);
    const rate = (calls: number, ms: number) => `${Math.round((calls / ms) * 1000).toLocaleString("en")}/s`;
    const perCall = (label: string, calls: number) => `${(median(cpu.get(label)!) / calls).toFixed(1)} µs`;
    console.log(
      `round trips: ours ${rate(sequentialCalls, sequentialOurs.medianMs)}, raw ${rate(sequentialCalls, sequentialRaw.medianMs)}; ` +
        `pipelined: ours ${rate(pipelinedCalls, pipelinedOurs.medianMs)}, raw ${rate(pipelinedCalls, pipelinedRaw.medianMs)}`,
    );
    console.log(
      `client CPU per call (median): sequential ours ${perCall("ours sequential", sequentialCalls)}, raw ${perCall("raw sequential", sequentialCalls)}; ` +
        `pipelined ours ${perCall("ours pipelined", pipelinedCalls)}, raw ${perCall("raw pipelined", pipelinedCalls)}\n`,
    );

    // Parsing: the recorded ordinary messages, many times over.
    const repeat = Math.max(1, Math.ceil(50_000 / corpus.length));
    const parseAll = (parse: (t: string) => unknown) => () => {
      for (let r = 0; r < repeat; r++) for (const text of corpus) parse(text);
    };
    const [parseOurs, parsePlain] = await interleaved(
      { label: "parseJson", work: parseAll(parseJson) },
      { label: "JSON.parse", work: parseAll(JSON.parse) },
      15,
    );
    const parseRows: Comparison[] = [
      { workload: `${corpus.length} recorded messages ×${repeat}`, ours: parseOurs, baseline: parsePlain, goal: 0.9 },
    ];
    printRatioTable("Lossless parseJson vs JSON.parse on ordinary messages (goal: at most 10% slower)", parseRows);

    // Framing: the same messages as one byte stream in 64 KiB chunks, each ended by CRLF as QEMU
    // writes them, through the client's reader (UTF-8, the JSON splitter, lossless parse) against
    // cutting at CRLF and JSON.parse, which knows nothing of pretty-printed or broken input.
    const stream = Buffer.from(
      corpus
        .map((t) => t + "\r\n")
        .join("")
        .repeat(repeat),
    );
    const chunks: Buffer[] = [];
    for (let at = 0; at < stream.length; at += 65536) chunks.push(stream.subarray(at, at + 65536));
    const [frameOurs, framePlain] = await interleaved(
      {
        label: "MessageReader",
        work: () => {
          const reader = new MessageReader();
          for (const chunk of chunks) reader.push(chunk);
        },
      },
      {
        label: "CRLF split + JSON.parse",
        work: () => {
          let rest = "";
          for (const chunk of chunks) {
            const lines = (rest + chunk.toString("utf8")).split("\r\n");
            rest = lines.pop()!;
            for (const line of lines) JSON.parse(line);
          }
        },
      },
      15,
    );
    printRatioTable("Client framing vs a bare line splitter (the same messages as a 64 KiB-chunked stream)", [
      { workload: `${corpus.length} recorded messages ×${repeat}, CRLF`, ours: frameOurs, baseline: framePlain },
    ]);
  } finally {
    stopQemu();
  }
}

/** Ordinary messages from the running QEMU, as text: replies of common queries and events. */
async function recordCorpus(client: Awaited<ReturnType<typeof connect>>): Promise<string[]> {
  const texts: string[] = [];
  for (const command of [
    "query-status",
    "query-version",
    "query-commands",
    "query-name",
    "query-kvm",
    "query-uuid",
    "query-migrate-parameters",
    "query-chardev",
  ]) {
    texts.push(JSON.stringify({ return: await client.execute(command, undefined), id: texts.length + 1 }));
  }
  client.on("*", (_data, event) => texts.push(JSON.stringify(event)));
  const stopped = client.waitFor("STOP");
  await client.execute("stop");
  await stopped;
  const resumed = client.waitFor("RESUME");
  await client.execute("cont");
  await resumed;
  return texts;
}

await main();
