/**
 * Faults real QEMU cannot be made to produce, played by the mock QEMU's fault
 * knobs (runtime/mock/faults.ts, wired up by test/runtime/mock-peer.ts):
 * garbage and truncated JSON, an oversize message, unknown ids, replies without
 * id, an id-less error, a silent peer, a peer that hangs up with calls pending,
 * garbage in the same chunk as a reply, events interleaved with replies under
 * load, and 10 000 pipelined commands. (QEMU killed mid-command is tested for
 * real in test/runtime/qemu-system.qemu.test.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { MockCommandError, type CommandFault, type MockHandler } from "../../runtime/mock/index.js";
import type { CommandMapEntry } from "../../runtime/sdk.js";
import { mockPeer, never, until, type MockPeer, type PeerOptions } from "./mock-peer.js";
import {
  connect,
  ConnectionError,
  GreetingError,
  InterruptedError,
  ParseError,
  StateError,
  type QmpDiagnostic,
} from "../../runtime/index.js";

/** `query-status` is answered, `hold` never is, `fail` gets an error reply. */
const answers: Record<string, MockHandler<Record<string, CommandMapEntry>, string>> = {
  "query-status": () => ({ running: true, status: "running" }),
  hold: () => never(),
  fail: () => {
    throw new MockCommandError("GenericError", "JSON parse error");
  },
};

/** A mock answering `answers`; `hold` keeps the in-band queue busy, so use it last. */
function holdingPeer(options: PeerOptions = {}): MockPeer {
  return mockPeer({ handlers: answers, ...options });
}

/**
 * Calls `command` with `fault` on its reply (then runs `act`, if given) and
 * expects the session to end with an error passing `errorCheck`.
 */
async function expectFatal(
  command: string,
  fault: CommandFault,
  errorCheck: (e: unknown) => boolean,
  act?: (peer: MockPeer) => void,
): Promise<void> {
  const peer = holdingPeer({ faults: { commands: { [command]: fault } } });
  const client = await connect({ ...peer.target, maxMessageSize: 1024 });
  const pending = client.execute(command);
  act?.(peer);
  await assert.rejects(pending, (e: unknown) => e instanceof InterruptedError && errorCheck(e.cause));
  assert.ok(errorCheck(await client.closed));
  assert.equal(client.state, "closed");
  await peer.mock.close();
}

test("garbage from the server ends the session; pending calls reject with the parse error as cause", async () => {
  await expectFatal("query-status", { replaceWith: "this is not JSON\r\n" }, (e) => e instanceof ParseError);
  await expectFatal("query-status", { replaceWith: '{"return": {}, "id": }\r\n' }, (e) => e instanceof ParseError);
  await expectFatal("query-status", { reply: "garbage" }, (e) => e instanceof ParseError);
});

test("a truncated message followed by EOF rejects pending calls", async () => {
  await expectFatal(
    "query-status",
    { reply: "truncated" },
    (e) => e instanceof Error && /middle of a message/.test(e.message),
  );
});

test("a message over the size limit ends the session", async () => {
  const tooBig = (e: unknown) => e instanceof ParseError && /size limit/.test(e.message);
  await expectFatal("hold", {}, tooBig, (peer) => peer.mock.emit("BIG", { blob: "x".repeat(4096) }));
  await expectFatal("query-status", { reply: "oversize", oversizeBytes: 4096 }, tooBig);
});

test("an error without id is fatal: the call it belonged to cannot be known (qmp-spec Error NOTE)", async () => {
  await expectFatal("fail", { reply: "no-id" }, (e) => e instanceof ParseError);
});

test("replies with an unknown id or no id are dropped and reported; the session goes on", async () => {
  const peer = mockPeer({
    handlers: {
      "stray-number": () => ({ wrong: true }),
      "stray-string": () => ({ wrong: true }),
      "stray-none": () => ({ noid: true }),
      right: () => ({ right: true }),
    },
    faults: {
      commands: {
        "stray-number": { reply: "unknown-id", unknownId: 987654 },
        "stray-string": { reply: "unknown-id", unknownId: "a string id" },
        "stray-none": { reply: "no-id" },
      },
    },
  });
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connect({ ...peer.target, onDiagnostic: (d: QmpDiagnostic) => diagnostics.push(d) });
  const strays = ["stray-number", "stray-string", "stray-none"].map((name) => client.execute(name));
  const pending = client.execute("right");
  assert.deepEqual(await pending, { right: true });
  assert.deepEqual(
    diagnostics.map((d) => d.kind),
    ["unknown-id", "unknown-id", "unknown-id"],
  );
  await client.close();
  // Their replies were unrecognisable, so closing is what ends them.
  for (const stray of strays) await assert.rejects(stray, InterruptedError);
  await peer.mock.close();
});

test("a peer that never greets makes connect fail with GreetingError after the handshake timeout", async () => {
  const peer = mockPeer({ faults: { greeting: { omit: true } } });
  await assert.rejects(connect({ ...peer.target, handshakeTimeout: 50 }), GreetingError);
  assert.ok(peer.stream.destroyed, "the transport is closed");
  await peer.mock.close();
});

test("a peer that hangs up before greeting makes connect fail with GreetingError", async () => {
  const peer = mockPeer({ faults: { greeting: { omit: true } } });
  setImmediate(() => void peer.mock.close());
  await assert.rejects(connect(peer.target), GreetingError);
});

test("a peer that hangs up rejects every pending call and ends event iterators with an error", async () => {
  const holds = () => peer.commands().filter((c) => c["execute"] === "hold").length;
  const peer: MockPeer = mockPeer({
    // The first hold closes the connection mid-command once all five are in.
    handlers: { hold: () => until(() => holds() === 5) },
    faults: { commands: { hold: { reply: "close" } } },
  });
  const client = await connect(peer.target);
  const calls = Array.from({ length: 5 }, () => client.execute("hold"));
  const iterator = client.events();
  const waiter = client.waitFor("NEVER");
  for (const call of calls) await assert.rejects(call, InterruptedError);
  await assert.rejects(iterator.next(), InterruptedError);
  await assert.rejects(waiter, InterruptedError);
  assert.equal(holds(), 5);
  await peer.mock.close();
});

test("events interleaved with replies under load keep wire order", async () => {
  let n = 0;
  const peer: MockPeer = mockPeer({
    handlers: {
      "query-status": (_args, context) => {
        peer.mock.emit("TICK", { n: n++ });
        const reply = n;
        context.emitAfterReply("TICK", { n: n++ });
        return reply;
      },
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
  assert.deepEqual(
    log,
    Array.from({ length: 1000 }, (_, i) => i),
  );
  assert.deepEqual(
    seenAtReply,
    [...seenAtReply].sort((a, b) => a - b),
  );
  await client.close();
  await peer.mock.close();
});

test("10 000 pipelined commands all resolve with their own replies", async () => {
  const peer = mockPeer({ handlers: { echo: (args) => (args as { i: number }).i } });
  const client = await connect(peer.target);
  const results = await Promise.all(Array.from({ length: 10_000 }, (_, i) => client.execute("echo", { i })));
  assert.deepEqual(
    results,
    Array.from({ length: 10_000 }, (_, i) => i),
  );
  assert.equal(client.pendingCount, 0);
  await client.close();
  await peer.mock.close();
});

test("connecting can be aborted, and a client-wide command timeout applies to every call", async () => {
  const silent = mockPeer({ faults: { greeting: { omit: true } } });
  const controller = new AbortController();
  const attempt = connect({ ...silent.target, signal: controller.signal });
  controller.abort(new Error("user cancelled"));
  await assert.rejects(attempt, InterruptedError);
  await silent.mock.close();

  const peer = holdingPeer();
  const client = await connect({ ...peer.target, commandTimeout: 20 });
  await assert.rejects(client.execute("hold"), { name: "TimeoutError", timeout: 20 });
  await client.close();
  await peer.mock.close();
});

test("state goes connecting → running → closed; calls in the wrong state raise StateError", async () => {
  const peer = holdingPeer();
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
  await peer.mock.close();

  const other = holdingPeer();
  const failing = await connect(other.target);
  failing.on("*", () => undefined);
  other.stream.destroy(new Error("EPIPE simulated")); // the client's own end of the connection fails
  assert.ok((await failing.closed) instanceof ConnectionError);
  await other.mock.close();
});

test("replies before garbage in the same chunk still settle their calls; the garbage then ends the session", async () => {
  let calls = 0;
  const holds = () => peer.commands().filter((c) => c["execute"] === "hold").length;
  const peer: MockPeer = mockPeer({
    // The first hold is answered once both are in, with garbage in the same write; the second never.
    handlers: { hold: async () => (++calls === 1 ? until(() => holds() === 2).then(() => "one") : never()) },
    faults: { commands: { hold: { garbageAfter: "%%%" } } },
  });
  const client = await connect(peer.target);
  const first = client.execute("hold");
  const second = client.execute("hold");
  assert.equal(await first, "one");
  await assert.rejects(second, (e: unknown) => e instanceof InterruptedError && e.cause instanceof ParseError);
  await peer.mock.close();
});

test("garbage in the same chunk as the negotiation reply fails connect instead of handing out a dead client", async () => {
  const peer = mockPeer({ faults: { commands: { qmp_capabilities: { garbageAfter: "GARBAGE\r\n" } } } });
  await assert.rejects(connect(peer.target), ParseError);
  await peer.mock.close();
});
