/**
 * Limits and edges of the client's surface (issue 10): time limits of 2^31 ms
 * and more, Infinity and NaN for every kind of limit; one AbortSignal shared by
 * many calls; a port out of range; what strict validation says about an
 * unknown event, a timestamp that is no object and a greeting without version;
 * a reply at the depth limit holding a big integer, and one past it; and an event backlog of 200 000.
 * Peers: the mock QEMU (mock-peer.ts) where its knobs suffice, the byte-level
 * scripted peer (fake-peer.ts) where the test needs to write exact bytes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FakePeer, type CommandHandler, type ReceivedCommand } from "./fake-peer.js";
import { maxMessageDepth } from "../../runtime/json-stream.js";
import { mockPeer } from "./mock-peer.js";
import {
  AbortError,
  connect,
  connectWith,
  GreetingError,
  InterruptedError,
  ParseError,
  UsageError,
  type GenericCommandMap,
  type GenericEventMap,
  type QmpDiagnostic,
} from "../../runtime/index.js";
import { sdk as qemuSdk } from "../../generated/qemu/index.js";

const greeting = { QMP: { version: { qemu: { major: 10, minor: 2, micro: 2 }, package: "" }, capabilities: [] } };

/** A byte-level QMP peer: greets with `hello`, answers commands with `onCommand` (default `{}`). */
function qmpPeer(onCommand?: CommandHandler, hello: unknown = greeting): FakePeer {
  const peer = new FakePeer({
    onCommand: (c, p) => (c.execute === "qmp_capabilities" || !onCommand ? p.reply(c) : onCommand(c, p)),
  });
  peer.send(hello);
  return peer;
}

/** Answers after `turns` turns of the event loop: late for a timer of 1 ms, early for any real limit. */
function later(turns: number, then: () => void): void {
  if (turns === 0) return then();
  setTimeout(() => later(turns - 1, then), 5);
}

const long = [2 ** 31, 2 ** 31 + 1, 2 ** 32, Number.MAX_SAFE_INTEGER, Infinity];

test("per-call and client-wide limits of 2^31 ms and more, and Infinity, do not fire early", async () => {
  const peer = qmpPeer((c, p) => later(4, () => p.reply(c, "late")));
  const client = await connect(peer.target);
  for (const timeout of long)
    assert.equal(await client.executeWith("slow", undefined, { timeout }), "late", `timeout ${timeout}`);
  await client.close();
  for (const commandTimeout of long) {
    const each = qmpPeer((c, p) => later(4, () => p.reply(c, "late")));
    const c = await connect({ ...each.target, commandTimeout });
    assert.equal(await c.execute("slow"), "late", `commandTimeout ${commandTimeout}`);
    await c.close();
  }
});

test("a handshake limit of 2^31 ms or Infinity waits for a slow greeting", async () => {
  for (const handshakeTimeout of long) {
    const peer = mockPeer({ faults: { greeting: { delayMs: 30 } } });
    const client = await connect({ ...peer.target, handshakeTimeout });
    assert.equal(client.state, "running", `handshakeTimeout ${handshakeTimeout}`);
    await client.close();
    await peer.mock.close();
  }
});

test("waitFor with a limit of 2^31 ms or more gets its event", async () => {
  const peer = mockPeer();
  const client = await connect(peer.target);
  for (const timeout of long) {
    const waiting = client.waitFor("STOP", { timeout });
    later(4, () => peer.mock.emit("STOP", undefined));
    assert.equal((await waiting).event, "STOP", `timeout ${timeout}`);
  }
  await client.close();
  await peer.mock.close();
});

test("NaN, negative and non-number limits are a UsageError naming the option", async () => {
  const peer = mockPeer();
  const client = await connect(peer.target);
  for (const timeout of [NaN, -1, -Infinity, "5" as unknown as number]) {
    await assert.rejects(
      client.executeWith("query-status", undefined, { timeout }),
      (e: unknown) => e instanceof UsageError && /^timeout must be/.test(e.message),
    );
    await assert.rejects(
      client.waitFor("STOP", { timeout }),
      (e: unknown) => e instanceof UsageError && /^timeout must be/.test(e.message),
    );
  }
  assert.equal(client.pendingCount, 0);
  await client.close();
  await peer.mock.close();
  for (const option of ["commandTimeout", "handshakeTimeout", "syncTimeout"] as const) {
    const each = mockPeer();
    await assert.rejects(
      connect({ ...each.target, [option]: NaN }),
      (e: unknown) => e instanceof UsageError && e.message.startsWith(`${option} must be`),
    );
    await each.mock.close();
  }
});

test("one AbortSignal shared by 50 calls: no MaxListenersExceededWarning, and aborting it rejects them all", async () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on("warning", onWarning);
  try {
    const peer = qmpPeer(() => undefined); // never answers
    const client = await connect(peer.target);
    const controller = new AbortController();
    const calls = Array.from({ length: 50 }, () =>
      client.executeWith("hold", undefined, { signal: controller.signal }),
    );
    const waits = Array.from({ length: 20 }, () => client.waitFor("STOP", { signal: controller.signal }));
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
    controller.abort();
    for (const result of await Promise.allSettled([...calls, ...waits])) {
      assert.ok(result.status === "rejected" && result.reason instanceof AbortError);
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      warnings.map((w) => w.name),
      [],
    );
    await client.close();
  } finally {
    process.off("warning", onWarning);
  }
});

test("a port outside 1–65535 is a UsageError saying so, not a bare RangeError", async () => {
  for (const port of [99999, -1, 0, 1.5]) {
    await assert.rejects(
      connect({ host: "127.0.0.1", port }),
      (e: unknown) => e instanceof UsageError && /port must be a whole number from 1 to 65535/.test(e.message),
    );
  }
  await assert.rejects(
    connect({ listen: { port: 70000 } }),
    (e: unknown) => e instanceof UsageError && /listen\.port/.test(e.message),
  );
});

test("strict validation reports an unknown event and a timestamp that is no object; the events are still delivered", async () => {
  const peer = qmpPeer();
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connectWith<GenericCommandMap, GenericEventMap>(qemuSdk, {
    ...peer.target,
    validate: "strict",
    onDiagnostic: (d) => diagnostics.push(d),
  });
  const seen: string[] = [];
  client.on("*", (_data, event) => seen.push(event.event));
  peer.send({ event: "NO_SUCH_EVENT", timestamp: { seconds: 1, microseconds: 2 } });
  peer.send({ event: "STOP", timestamp: "yesterday" });
  peer.send({ event: "RESUME", timestamp: { seconds: 1, microseconds: 2 } });
  while (seen.length < 3) await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, ["NO_SUCH_EVENT", "STOP", "RESUME"]);
  const invalid = diagnostics.filter((d) => d.kind === "invalid-event");
  assert.deepEqual(
    invalid.map((d) => d.issues!.map((i) => i.path)),
    [["$.event"], ["$.timestamp"]],
  );
  assert.match(invalid[0]!.issues![0]!.message, /unknown event "NO_SUCH_EVENT"/);
  await client.close();
});

test("lenient validation lets an unknown event through with a notice", async () => {
  const peer = qmpPeer();
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connectWith<GenericCommandMap, GenericEventMap>(qemuSdk, {
    ...peer.target,
    validate: "lenient",
    onDiagnostic: (d) => diagnostics.push(d),
  });
  const next = client.waitFor("X_NEWER_EVENT");
  peer.send({ event: "X_NEWER_EVENT", timestamp: { seconds: 1, microseconds: 2 } });
  await next;
  assert.deepEqual(
    diagnostics.map((d) => d.kind),
    ["validation-notice"],
  );
  await client.close();
});

test("validation refuses a greeting without version; without validation it is accepted as before", async () => {
  for (const validate of ["strict", "lenient"] as const) {
    const peer = qmpPeer(undefined, { QMP: { capabilities: [] } });
    await assert.rejects(
      connectWith(qemuSdk, { ...peer.target, validate }),
      (e: unknown) => e instanceof GreetingError && /no valid version/.test(e.message),
    );
  }
  const peer = qmpPeer(undefined, { QMP: { capabilities: [] } });
  const client = await connect(peer.target);
  await client.close();
});

test("a reply nested to the depth limit resolves exactly; one level more ends the session, not the process", async () => {
  // The limit counts the reply's own object: the value may nest one level less.
  const deepReply = (levels: number) => (c: ReceivedCommand, p: FakePeer) =>
    p.raw(`{"return": ${"[".repeat(levels)}18446744073709551615${"]".repeat(levels)}, "id": ${String(c.id)}}\r\n`);
  const peer = qmpPeer(deepReply(maxMessageDepth - 1));
  const client = await connect(peer.target);
  let value: unknown = await client.execute("deep");
  let levels = 0;
  while (Array.isArray(value)) ((value = value[0]), levels++);
  assert.equal(levels, maxMessageDepth - 1);
  assert.equal(value, 18446744073709551615n);
  await client.close();
  for (const depth of [maxMessageDepth, 100_000]) {
    const deeper = qmpPeer(deepReply(depth));
    const c = await connect(deeper.target);
    await assert.rejects(
      c.execute("deep"),
      (e: unknown) =>
        e instanceof InterruptedError && e.cause instanceof ParseError && /nested deeper than 1024/.test(e.message),
    );
    assert.equal(c.state, "closed");
  }
});

// A hang guard, not a measurement: the drain takes about 0.6 s here and took 30 s with the
// quadratic buffer (bench/event-backlog.bench.ts prints the ratio). The loop yields to the
// event loop now and then so the runner's timeout can fire at all.
test(
  "an iterator 200 000 events behind drains them all in order; maxBuffered keeps the newest",
  { timeout: 15_000 },
  async () => {
    const count = 200_000;
    const peer = qmpPeer();
    const client = await connect(peer.target);
    const all = client.events();
    const bounded = client.eventsWith(["E"], { maxBuffered: 1_000 });
    const last = client.waitFor("LAST");
    const lines: string[] = [];
    for (let i = 0; i < count; i++)
      lines.push(`{"event": "E", "data": {"n": ${i}}, "timestamp": {"seconds": 1, "microseconds": 0}}\r\n`);
    lines.push(`{"event": "LAST", "timestamp": {"seconds": 1, "microseconds": 0}}\r\n`);
    peer.raw(lines.join(""));
    await last; // everything is buffered now
    let expected = 0;
    for await (const event of all) {
      if (event.event === "LAST") break;
      assert.equal((event.data as { n: number }).n, expected++);
      if (expected % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(expected, count);
    const kept: number[] = [];
    for await (const event of bounded) {
      kept.push((event.data as { n: number }).n);
      if (kept.length === 1_000) break;
    }
    assert.deepEqual(
      kept,
      Array.from({ length: 1_000 }, (_, i) => count - 1_000 + i),
    );
    await client.close();
  },
);
