/**
 * Faults real QEMU cannot be made to produce, played by the scripted peer
 * (test/runtime/fake-peer.ts): garbage and truncated JSON, an oversize message,
 * unknown ids, replies without id, an id-less error, a silent peer, a peer that
 * hangs up with calls pending, events interleaved with replies under load, and
 * 10 000 pipelined commands. (QEMU killed mid-command is tested for real in
 * test/runtime/qemu-system.test.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FakePeer, type ReceivedCommand } from "./fake-peer.js";
import { connect, ConnectionError, GreetingError, InterruptedError, ParseError, StateError, type QmpDiagnostic } from "../../runtime/index.js";

/** Connects to a peer that answers commands named `hold` never, everything else with {}. */
async function connectHolding(peer: FakePeer, extra: object = {}) {
  return connect({ ...peer.target, ...extra });
}

function holdingPeer(): { peer: FakePeer; held: ReceivedCommand[] } {
  const held: ReceivedCommand[] = [];
  const peer = new FakePeer({ onCommand: (c, p) => (c.execute === "hold" ? held.push(c) : p.reply(c)) });
  return { peer, held };
}

async function expectFatal(send: (peer: FakePeer) => void, errorCheck: (e: unknown) => boolean): Promise<void> {
  const { peer } = holdingPeer();
  const client = await connectHolding(peer, { maxMessageSize: 1024 });
  const pending = client.execute("hold");
  send(peer);
  await assert.rejects(pending, (e: unknown) => e instanceof InterruptedError && errorCheck(e.cause));
  assert.ok(errorCheck(await client.closed));
  assert.equal(client.state, "closed");
}

test("garbage from the server ends the session; pending calls reject with the parse error as cause", async () => {
  await expectFatal((p) => p.raw("this is not JSON\r\n"), (e) => e instanceof ParseError);
  await expectFatal((p) => p.raw('{"return": {}, "id": }\r\n'), (e) => e instanceof ParseError);
});

test("a truncated message followed by EOF rejects pending calls", async () => {
  await expectFatal(
    (p) => {
      p.raw('{"return": {"status": "runn');
      p.hangUp();
    },
    (e) => e instanceof Error && /middle of a message/.test(e.message),
  );
});

test("a message over the size limit ends the session", async () => {
  await expectFatal((p) => p.event("BIG", { blob: "x".repeat(4096) }), (e) => e instanceof ParseError && /size limit/.test(e.message));
});

test("an error without id is fatal: the call it belonged to cannot be known (qmp-spec Error NOTE)", async () => {
  await expectFatal((p) => p.send({ error: { class: "GenericError", desc: "JSON parse error" } }), (e) => e instanceof ParseError);
});

test("replies with an unknown id or no id are dropped and reported; the session goes on", async () => {
  const { peer, held } = holdingPeer();
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connectHolding(peer, { onDiagnostic: (d: QmpDiagnostic) => diagnostics.push(d) });
  const pending = client.execute("hold");
  while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
  peer.send({ return: { wrong: true }, id: 987654 });
  peer.send({ return: { wrong: true }, id: "a string id" });
  peer.send({ return: { noid: true } });
  peer.reply(held[0]!, { right: true });
  assert.deepEqual(await pending, { right: true });
  assert.deepEqual(diagnostics.map((d) => d.kind), ["unknown-id", "unknown-id", "unknown-id"]);
  await client.close();
});

test("a peer that never greets makes connect fail with GreetingError after the handshake timeout", async () => {
  const peer = new FakePeer({ greeting: false });
  await assert.rejects(connect({ ...peer.target, handshakeTimeout: 50 }), GreetingError);
  assert.ok(peer.toClient.destroyed, "the transport is closed");
});

test("a peer that hangs up before greeting makes connect fail with GreetingError", async () => {
  const peer = new FakePeer({ greeting: false });
  setImmediate(() => peer.hangUp());
  await assert.rejects(connect(peer.target), GreetingError);
});

test("a peer that hangs up rejects every pending call and ends event iterators with an error", async () => {
  const { peer, held } = holdingPeer();
  const client = await connectHolding(peer);
  const calls = Array.from({ length: 5 }, () => client.execute("hold"));
  const iterator = client.events();
  const waiter = client.waitFor("NEVER");
  while (held.length < 5) await new Promise((resolve) => setImmediate(resolve));
  peer.hangUp();
  for (const call of calls) await assert.rejects(call, InterruptedError);
  await assert.rejects(iterator.next(), InterruptedError);
  await assert.rejects(waiter, InterruptedError);
});

test("events interleaved with replies under load keep wire order", async () => {
  let n = 0;
  const peer = new FakePeer({
    onCommand: (c, p) => {
      p.event("TICK", { n: n++ });
      p.reply(c, n);
      p.event("TICK", { n: n++ });
    },
  });
  const client = await connect(peer.target);
  const log: number[] = [];
  client.on("TICK", (data: { n: number }) => log.push(data.n));
  const seenAtReply: number[] = [];
  await Promise.all(
    Array.from({ length: 500 }, () =>
      client.execute("query-status").then((afterFirstEvent: number) => {
        // The event sent before this reply has already been delivered.
        assert.ok(log.includes(afterFirstEvent - 1));
        seenAtReply.push(afterFirstEvent);
      }),
    ),
  );
  if (log.length < 1000) await client.waitFor("TICK", (d: { n: number }) => d.n === 999, { timeout: 10_000 });
  assert.deepEqual(log, Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(seenAtReply, [...seenAtReply].sort((a, b) => a - b));
  await client.close();
});

test("10 000 pipelined commands all resolve with their own replies", async () => {
  const peer = new FakePeer({ onCommand: (c, p) => p.reply(c, c.arguments?.i) });
  const client = await connect(peer.target);
  const results = await Promise.all(Array.from({ length: 10_000 }, (_, i) => client.execute("echo", { i })));
  assert.deepEqual(results, Array.from({ length: 10_000 }, (_, i) => i));
  assert.equal(client.pendingCount, 0);
  await client.close();
});

test("connecting can be aborted, and a client-wide command timeout applies to every call", async () => {
  const silent = new FakePeer({ greeting: false });
  const controller = new AbortController();
  const attempt = connect({ ...silent.target, signal: controller.signal });
  controller.abort(new Error("user cancelled"));
  await assert.rejects(attempt, InterruptedError);

  const { peer } = holdingPeer();
  const client = await connect({ ...peer.target, commandTimeout: 20 });
  await assert.rejects(client.execute("hold"), { name: "TimeoutError", timeout: 20 });
  await client.close();
});

test("state goes connecting → running → closed; calls in the wrong state raise StateError", async () => {
  const { peer } = holdingPeer();
  const client = await connect(peer.target);
  assert.equal(client.state, "running");
  const pending = client.execute("hold");
  await client.close();
  assert.equal(client.state, "closed");
  await assert.rejects(pending, InterruptedError);
  assert.equal(await client.closed, undefined, "a deliberate close has no failure");
  await assert.rejects(client.execute("query-status"), StateError);
  await assert.rejects(client.waitFor("STOP"), StateError);
  await client.close(); // idempotent

  const failing = await connect(holdingPeer().peer.target);
  failing.on("*", () => undefined);
  (failing as unknown as { input: { destroy(e: Error): void } }).input.destroy(new Error("EPIPE simulated"));
  assert.ok((await failing.closed) instanceof ConnectionError);
});

test("replies before garbage in the same chunk still settle their calls; the garbage then ends the session", async () => {
  const { peer, held } = holdingPeer();
  const client = await connectHolding(peer);
  const first = client.execute("hold");
  const second = client.execute("hold");
  while (held.length < 2) await new Promise((resolve) => setImmediate(resolve));
  peer.raw(`{"return": "one", "id": ${JSON.stringify(held[0]!.id)}}\r\n%%%`);
  assert.equal(await first, "one");
  await assert.rejects(second, (e: unknown) => e instanceof InterruptedError && e.cause instanceof ParseError);
});

test("garbage in the same chunk as the negotiation reply fails connect instead of handing out a dead client", async () => {
  const peer = new FakePeer({
    negotiate: false,
    onCommand: (c, p) => p.raw(`{"return": {}, "id": ${JSON.stringify(c.id)}}\r\nGARBAGE\r\n`),
  });
  await assert.rejects(connect(peer.target), ParseError);
});
