/**
 * The adversarial suite that stays (issue 10): a seeded fuzzer playing a QMP
 * peer and a guest-agent peer over an in-memory duplex pair
 * (runtime/mock/duplex-pair.ts). Each case makes random calls; the peer
 * answers in any order, in random chunkings, with duplicates, unknown ids,
 * id-less replies, error replies, events between everything, huge and deep
 * values (with integers beyond 2^53), stalls longer than the client's limits,
 * garbage, id-less errors, and hang-ups. The guest agent answers every 0xFF
 * with an id-less error, as qemu-ga does, and sometimes stalls through a sync.
 *
 * Asserted for every case: each call settles exactly once; a resolved call
 * got exactly the value the peer sent for its own id; a rejection is a typed
 * QmpError that fits what happened (ExecuteError only for an error the peer
 * sent for that id, TimeoutError only with a limit, AbortError only when
 * aborted); when the peer hangs up, every reply it delivered before reached
 * its call; events arrive in wire order; no unhandled rejection; and memory
 * stays bounded over all cases.
 *
 * Also no-reply commands (`success-response: false`): one the peer refuses
 * must reject with its error, one it accepts silently resolves.
 *
 * Seeded: QAPI_TS_FUZZ_SEED (default 20261201) and QAPI_TS_FUZZ_CASES
 * (default 300) repeat or extend a run; a failure names its case, and
 * QAPI_TS_FUZZ_CASE=N runs that case alone. Each case has its own seed, and
 * the peer draws its plan for a command from a generator seeded by the case and
 * the command, so a plan does not depend on when bytes happened to arrive;
 * which calls beat their (real-time) limits can still vary from run to run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Duplex } from "node:stream";
import { createPrng, type Prng } from "../support/prng.js";
import { createDuplexPair } from "../../runtime/mock/index.js";
import { JsonTextSplitter } from "../../runtime/json-stream.js";
import { parseJson, stringifyJson } from "../../runtime/json.js";
import {
  AbortError,
  connectWith,
  createGenericSdk,
  ExecuteError,
  GreetingError,
  InterruptedError,
  QmpError,
  StateError,
  TimeoutError,
  type GenericCommandMap,
  type GenericEventMap,
  type QmpClient,
} from "../../runtime/index.js";

const seed = Number(process.env["QAPI_TS_FUZZ_SEED"] ?? 20261201);
const cases = Number(process.env["QAPI_TS_FUZZ_CASES"] ?? 300);
const onlyCase = process.env["QAPI_TS_FUZZ_CASE"] === undefined ? undefined : Number(process.env["QAPI_TS_FUZZ_CASE"]);
const noReply = { successResponse: false };
const sdks = {
  qmp: createGenericSdk("fuzz", "qmp", { "oob-echo": { allowOob: true }, "no-reply": noReply }),
  qga: createGenericSdk("fuzz-qga", "qga", { "no-reply": noReply }),
};

/** A 32-bit seed mixed from a case seed and a salt (one generator per purpose). */
const mix = (a: number, b: number) => (Math.imul(a ^ (b + 0x9e3779b9), 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35)) >>> 0;

type Outcome = "reply" | "error" | "duplicate" | "silent" | "wrong-id" | "refuse" | "accept";

/** What the peer did with each call (keyed by the call's `n` argument). */
interface PeerRecord {
  id?: unknown;
  outcome?: Outcome;
  value?: unknown;
  errorClass?: string;
  /** The reply (or error) was completely written before the peer hung up or broke the stream. */
  delivered?: boolean;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A random value: small, huge (a 200 kB string), deep (nested 1 000 levels, within the reader's limit) or holding 2^64 − 1. */
function randomValue(rng: Prng, n: number): unknown {
  const roll = rng.next();
  if (roll < 0.05) return { n, text: "x".repeat(200_000) };
  if (roll < 0.1) {
    let deep: unknown = 18446744073709551615n;
    for (let i = 0; i < 1_000; i++) deep = [deep];
    return { n, deep };
  }
  if (roll < 0.3) return { n, big: -9223372036854775808n, list: [1, "two", null, true, 3.5] };
  return { n };
}

/** The scripted peer: reads commands, answers per a random plan, writes through a random chunker. */
class FuzzPeer {
  readonly records = new Map<number, PeerRecord>();
  /** Event sequence numbers completely written, in order. */
  readonly eventsDelivered: number[] = [];
  private readonly splitter = new JsonTextSplitter();
  private readonly out: { bytes: Buffer; onDelivered?: (() => void) | undefined }[] = [];
  private pumping = false;
  private stallUntil = 0;
  private heldReplies: (() => void)[] = [];
  private eventSeq = 0;
  ended = false;
  /** The peer broke the stream (garbage, id-less error outside a sync): later replies are not owed. */
  broke = false;

  private syncs = 0;

  constructor(
    private readonly rng: Prng,
    private readonly caseSeed: number,
    private readonly stream: Duplex,
    readonly protocol: "qmp" | "qga",
    readonly oob: boolean,
  ) {
    stream.on("data", (chunk: Buffer) => this.read(chunk));
    stream.on("error", () => undefined);
    if (protocol === "qmp") {
      if (rng.next() < 0.2) this.event();
      this.send({
        QMP: { version: { qemu: { major: 10, minor: 2, micro: 2 }, package: "" }, capabilities: oob ? ["oob"] : [] },
      });
    }
  }

  /** Hangs up: what was written so far still reaches the client. */
  hangUp(): void {
    this.ended = true;
    this.stream.end();
  }

  private read(chunk: Buffer): void {
    let text = "";
    for (const byte of chunk) {
      if (byte === 0xff) {
        // qemu-ga: the 0xFF resets its parser and is answered with an id-less error.
        this.splitter.reset();
        if (this.protocol === "qga")
          this.send({ error: { class: "GenericError", desc: "JSON parse error, stray '\uFFFD'" } });
      } else text += String.fromCharCode(byte);
    }
    for (const json of this.splitter.push(text)) this.command(parseJson(json) as Record<string, unknown>);
  }

  private command(c: Record<string, unknown>): void {
    const name = (c["execute"] ?? c["exec-oob"]) as string;
    const id = c["id"];
    if (name === "qmp_capabilities") return this.send({ return: {}, id });
    if (name === "guest-sync-delimited") {
      // Sometimes the agent is stopped past the client's sync limit, then answers everything.
      const plan = createPrng(mix(this.caseSeed, 1_000_000 + this.syncs++));
      if (plan.next() < 0.3) this.stallUntil = Date.now() + plan.int(40, 80);
      const token = (c["arguments"] as { id: number }).id;
      return this.send({ return: token, id }, undefined, true);
    }
    const n = (c["arguments"] as { n: number }).n;
    const record = this.records.get(n) ?? {};
    this.records.set(n, record);
    record.id = id;
    const plan = createPrng(mix(this.caseSeed, n));
    const delivered = () => (record.delivered = !this.broke);
    if (name === "no-reply") {
      // Like qemu-ga's guest-shutdown: silence when it runs, an error with the id, at once, when refused.
      record.outcome = plan.next() < 0.5 ? "refuse" : "accept";
      if (record.outcome === "refuse") {
        record.errorClass = "CommandNotFound";
        this.send({ error: { class: record.errorClass, desc: "disabled" }, id }, delivered);
      }
      return;
    }
    const r = plan.next();
    record.outcome =
      r < 0.65 ? "reply" : r < 0.78 ? "error" : r < 0.84 ? "duplicate" : r < 0.94 ? "silent" : "wrong-id";
    const answer = () => {
      if (this.ended) return;
      this.noise(plan);
      switch (record.outcome) {
        case "reply":
          record.value = randomValue(plan, n);
          return this.send({ return: record.value, id }, delivered);
        case "duplicate":
          record.value = randomValue(plan, n);
          this.send({ return: record.value, id }, delivered);
          return this.send({ return: { n: -1 }, id });
        case "error":
          record.errorClass = plan.pick(["GenericError", "DeviceNotFound", "CommandNotFound"]);
          return this.send({ error: { class: record.errorClass, desc: "refused" }, id }, delivered);
        case "wrong-id":
          return this.send({ return: { n: -2 }, id: typeof id === "number" ? id + 1e9 : "x" });
        default:
          return;
      }
    };
    // Replies in any order: some wait and are released later, shuffled.
    if (plan.next() < 0.5) this.heldReplies.push(answer);
    else answer();
    if (plan.next() < 0.3) this.releaseHeld();
  }

  releaseHeld(): void {
    const held = this.heldReplies;
    this.heldReplies = [];
    while (held.length > 0) held.splice(this.rng.int(0, held.length - 1), 1)[0]!();
  }

  /** Messages between everything: events, id-less success replies, replies to ids nobody used. */
  private noise(plan: Prng): void {
    const r = plan.next();
    if (r < 0.25 && this.protocol === "qmp") this.event(plan);
    else if (r < 0.3) this.send({ return: { n: -3 } });
    else if (r < 0.35) this.send({ return: {}, id: "never-used" });
  }

  event(plan: Prng = this.rng): void {
    const seq = this.eventSeq++;
    this.send(
      {
        event: "FUZZ",
        data: { seq, payload: plan.next() < 0.05 ? randomValue(plan, -4) : seq },
        timestamp: { seconds: 1, microseconds: seq },
      },
      () => this.eventsDelivered.push(seq),
    );
  }

  /** A fault that ends the session: garbage, or an id-less error (QMP: a command the server could not read). */
  breakStream(): void {
    if (this.ended) return;
    const garbage =
      this.rng.next() < 0.5
        ? "%%% not json\r\n"
        : '{"error": {"class": "GenericError", "desc": "JSON parse error"}}\r\n';
    this.broke = true;
    this.queue(Buffer.from(garbage));
  }

  send(message: unknown, onDelivered?: () => void, sentinel = false): void {
    const text = Buffer.from(stringifyJson(message) + "\r\n");
    this.queue(sentinel ? Buffer.concat([Buffer.from([0xff]), text]) : text, onDelivered);
  }

  private queue(bytes: Buffer, onDelivered?: () => void): void {
    if (this.ended) return;
    this.out.push({ bytes, onDelivered });
    if (!this.pumping) void this.pump();
  }

  /** Writes queued bytes in random chunk sizes on random turns, waiting out stalls. */
  private async pump(): Promise<void> {
    this.pumping = true;
    while (this.out.length > 0 && !this.ended) {
      while (Date.now() < this.stallUntil) await new Promise((resolve) => setTimeout(resolve, 5));
      const first = this.out[0]!;
      // Small pieces split anything (UTF-8 sequences, numbers, the sentinel's neighbours); big
      // messages mostly go in big pieces, or one 200 kB value would take thousands of turns.
      const small = this.rng.next() < (first.bytes.length > 4_096 ? 0.02 : 0.5);
      const size = Math.min(first.bytes.length, small ? this.rng.int(1, 64) : this.rng.int(64, 1 << 20));
      this.stream.write(first.bytes.subarray(0, size));
      first.bytes = first.bytes.subarray(size);
      if (first.bytes.length === 0) {
        this.out.shift();
        first.onDelivered?.();
      }
      if (this.rng.next() < 0.3) await turn();
    }
    this.pumping = false;
  }
}

interface CallRecord {
  n: number;
  timeout?: number;
  aborted: boolean;
  settled: number;
  value?: unknown;
  error?: unknown;
}

async function runCase(caseSeed: number, label: string): Promise<string> {
  const rng = createPrng(caseSeed);
  const protocol = rng.next() < 0.3 ? "qga" : "qmp";
  const oob = protocol === "qmp" && rng.next() < 0.3;
  const [clientSide, serverSide] = createDuplexPair();
  const peer = new FuzzPeer(createPrng(mix(caseSeed, -1)), caseSeed, serverSide, protocol, oob);
  let client: QmpClient<GenericCommandMap, GenericEventMap>;
  try {
    client = await connectWith(sdks[protocol], {
      stream: clientSide,
      oob,
      handshakeTimeout: 2_000,
      syncTimeout: 25,
      syncAttempts: 5,
    });
  } catch (error) {
    // Only a sync that no attempt got through in time may fail connecting; never the agent's
    // answers to abandoned attempts (issue 10 item 1).
    assert.ok(error instanceof GreetingError && protocol === "qga", `${label}: connect failed: ${String(error)}`);
    peer.hangUp();
    return "connect failed";
  }
  const seen: number[] = [];
  client.on("FUZZ", (data) => seen.push((data as { seq: number }).seq));
  const records: CallRecord[] = [];
  const settled: Promise<unknown>[] = [];
  const count = rng.int(1, 40);
  for (let n = 0; n < count; n++) {
    const record: CallRecord = { n, aborted: false, settled: 0 };
    if (rng.next() < 0.1) record.timeout = rng.int(0, 15);
    const controller = rng.next() < 0.05 ? new AbortController() : undefined;
    const which = rng.next();
    const command = which < 0.05 ? "no-reply" : oob && which < 0.25 ? "oob-echo" : "echo";
    const call = client.executeWith(command, { n }, { timeout: record.timeout, signal: controller?.signal });
    settled.push(
      call.then(
        (value) => ((record.value = value), record.settled++),
        (error: unknown) => ((record.error = error), record.settled++),
      ),
    );
    records.push(record);
    if (controller && rng.next() < 0.5) ((record.aborted = true), controller.abort());
    else if (controller) setTimeout(() => ((record.aborted = true), controller.abort()), rng.int(0, 10));
    if (rng.next() < 0.3) await turn();
    if (rng.next() < 0.02) peer.breakStream();
  }
  for (let i = rng.int(0, 30); i > 0; i--) {
    await turn();
    if (rng.next() < 0.2) peer.releaseHeld();
  }
  const hangUp = rng.next() < 0.7;
  if (hangUp) {
    peer.releaseHeld();
    // Let the chunker finish what it started, then hang up.
    while ((peer as unknown as { pumping: boolean }).pumping) await turn();
    peer.hangUp();
  } else await client.close();
  const watchdog = setTimeout(() => assert.fail(`${label}: a call never settled`), 5_000);
  await Promise.all(settled);
  await client.closed;
  clearTimeout(watchdog);

  for (const record of records) {
    const what = `${label} call ${record.n}`;
    assert.equal(record.settled, 1, `${what} settled ${record.settled} times`);
    const sent = peer.records.get(record.n);
    if (
      record.settled === 1 &&
      record.error === undefined &&
      (sent?.outcome === "accept" || sent?.outcome === "refuse")
    ) {
      assert.equal(record.value, undefined, `${what}: a no-reply command resolved with a value`);
      // Taken as accepted although refused: only when the refusal could not arrive first
      // (the session ended, or the call's own limit passed, before it).
      if (sent.outcome === "refuse")
        assert.ok(!hangUp || !sent.delivered || record.timeout !== undefined, `${what}: resolved though refused`);
      continue;
    }
    if (record.settled === 1 && record.error === undefined) {
      assert.ok(
        sent && (sent.outcome === "reply" || sent.outcome === "duplicate"),
        `${what} resolved though the peer sent no reply for it`,
      );
      // Compared as text: assert.deepStrictEqual recurses and cannot take the deep values.
      assert.ok(
        stringifyJson(record.value) === stringifyJson(sent.value),
        `${what} resolved with a value not sent for its id`,
      );
      continue;
    }
    const error = record.error;
    assert.ok(error instanceof QmpError, `${what} rejected with an untyped error: ${String(error)}`);
    if (error instanceof ExecuteError)
      assert.equal(error.errorClass, sent?.errorClass, `${what}: ExecuteError without such an error reply`);
    else if (error instanceof TimeoutError)
      assert.notEqual(record.timeout, undefined, `${what}: TimeoutError without a limit`);
    else if (error instanceof AbortError) assert.ok(record.aborted, `${what}: AbortError without abort`);
    else
      assert.ok(
        error instanceof InterruptedError || error instanceof StateError,
        `${what}: unexpected ${error.name}: ${error.message}`,
      );
    // A reply delivered before a hang-up must have reached a call that was still waiting.
    if (hangUp && sent?.delivered && record.timeout === undefined && !record.aborted) {
      assert.ok(
        !(error instanceof InterruptedError),
        `${what}: its ${sent.outcome} was delivered, yet the call was interrupted`,
      );
    }
  }
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, `${label}: events out of order`);
  if (hangUp && !peer.broke)
    assert.deepEqual(
      seen,
      peer.eventsDelivered.filter((s) => seen.includes(s) || s >= (seen[0] ?? 0)),
      `${label}: events lost`,
    );
  assert.equal(client.pendingCount, 0, `${label}: calls left in the table`);
  return hangUp ? "hang-up" : "close";
}

test(`fuzz: a random QMP / guest agent peer (seed ${seed}, ${cases} cases)`, { timeout: 600_000 }, async () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  const endings = new Map<string, number>();
  let baseline = 0;
  try {
    for (let i = onlyCase ?? 0; i < (onlyCase === undefined ? cases : onlyCase + 1); i++) {
      const label = `case ${i} (QAPI_TS_FUZZ_SEED=${seed} QAPI_TS_FUZZ_CASE=${i})`;
      const ending = await runCase(mix(seed, i), label);
      endings.set(ending, (endings.get(ending) ?? 0) + 1);
      if (baseline === 0 || i === 19) (gc(), (baseline = process.memoryUsage().heapUsed));
    }
    await turn();
    gc();
    const growth = process.memoryUsage().heapUsed - baseline;
    const ran = onlyCase === undefined ? cases : 1;
    console.log(
      `fuzz: ${ran} cases ran (seed ${seed}): ${[...endings].map(([k, v]) => `${v} ${k}`).join(", ")}; heap growth after case 20: ${(growth / 1e6).toFixed(1)} MB`,
    );
    assert.ok(growth < 64e6, `heap grew by ${(growth / 1e6).toFixed(1)} MB over the cases`);
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});
