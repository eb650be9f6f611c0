/**
 * Benchmark of event backlogs (issue 10 item 4): an `events()` iterator that
 * falls 200 000 events behind and then drains them, against the same iterator
 * keeping up as the events arrive, in one run. With O(1) per event the backlog
 * costs a small factor more than keeping up (it also holds 200 000 events and
 * reads them as one 17 MB chunk): measured 0.2–0.7×. The array buffer it
 * replaced took 52 s against 0.29 s (0.006×), hence the goal of 0.1×. A second
 * row does the same with `maxBuffered`, where dropping the oldest happens
 * inside the socket's data handler.
 *
 * The peer is an in-memory duplex pair (runtime/mock/duplex-pair.ts) writing
 * a greeting, the negotiation reply and then raw event lines.
 *
 * Run: `node build/bench/event-backlog.bench.js` (or `npm run bench`).
 */
import { connect } from "../runtime/index.js";
import { createDuplexPair } from "../runtime/mock/index.js";
import { median, type Measurement } from "./lib/measure.js";
import { printRatioTable, type Comparison } from "./lib/ratio-table.js";

const count = 200_000;
const runs = 5;
const eventText = (() => {
  const lines: string[] = [];
  for (let i = 0; i < count; i++)
    lines.push(`{"event": "E", "data": {"n": ${i}}, "timestamp": {"seconds": 1, "microseconds": 0}}\r\n`);
  lines.push(`{"event": "LAST", "timestamp": {"seconds": 1, "microseconds": 0}}\r\n`);
  return lines.join("");
})();

/** One run: ms from the first event written until the iterator saw the last one. */
async function drain(behind: boolean, maxBuffered?: number): Promise<number> {
  const [clientSide, serverSide] = createDuplexPair();
  serverSide.write(
    '{"QMP": {"version": {"qemu": {"major": 10, "minor": 2, "micro": 2}, "package": ""}, "capabilities": []}}\r\n',
  );
  // The negotiation is the first command (id 1).
  serverSide.once("data", () => serverSide.write('{"return": {}, "id": 1}\r\n'));
  const client = await connect({ stream: clientSide });
  const events = maxBuffered === undefined ? client.events() : client.eventsWith(["E", "LAST"], { maxBuffered });
  const consume = async () => {
    for await (const event of events) if (event.event === "LAST") break;
  };
  const start = performance.now();
  if (behind) {
    const last = client.waitFor("LAST");
    serverSide.write(eventText);
    await last;
    await consume();
  } else {
    const consumer = consume();
    // Chunks as a socket would deliver them, with turns in between for the consumer.
    for (let i = 0; i < eventText.length; i += 65_536) {
      serverSide.write(eventText.slice(i, i + 65_536));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await consumer;
  }
  const ms = performance.now() - start;
  await client.close();
  return ms;
}

async function sample(label: string, work: () => Promise<number>): Promise<Measurement> {
  await work();
  const samplesMs: number[] = [];
  for (let i = 0; i < runs; i++) samplesMs.push(await work());
  return { label, samplesMs, medianMs: median(samplesMs) };
}

const comparisons: Comparison[] = [
  {
    workload: `${count} events: 200 000 behind, then drained (baseline: keeping up)`,
    ours: await sample("behind", () => drain(true)),
    baseline: await sample("keeping up", () => drain(false)),
    goal: 0.1,
  },
  {
    workload: `${count} events, maxBuffered 100 000: behind (baseline: keeping up)`,
    ours: await sample("behind, bounded", () => drain(true, 100_000)),
    baseline: await sample("keeping up, bounded", () => drain(false, 100_000)),
    goal: 0.1,
  },
];
printRatioTable("Event backlog (runtime/event-hub.ts)", comparisons);
