/**
 * Protocol behaviour of QmpClient against the mock QEMU (runtime/mock, wired
 * up by test/runtime/mock-peer.ts): greeting and negotiation, ids, out-of-band
 * execution and the in-flight limit, success-response false, events before
 * the greeting and before the negotiation reply, wire order, waitFor,
 * iteration, per-call timeout and abort, and validation through
 * sdk.validators. Guest agent synchronisation is in client-guest-agent.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { MockCommandError, type JsonObject } from "../../runtime/mock/index.js";
import { mockPeer, until, type MockPeer } from "./mock-peer.js";
import {
  AbortError,
  connect,
  connectWith,
  createGenericSdk,
  ExecuteError,
  NegotiationError,
  StateError,
  TimeoutError,
  UsageError,
  ValidationError,
  type GenericCommandMap,
  type GenericEventMap,
  type QmpDiagnostic,
  type SdkDescriptor,
  type SdkValidators,
} from "../../runtime/index.js";

/** The ids of the mock's replies, in wire order. */
function replyIds(peer: MockPeer): JsonObject[string][] {
  return peer.mock.log.filter((m) => "return" in m || "error" in m).map((m) => m["id"]!);
}

test("greeting is exposed, oob is enabled only when asked and offered, every command has an id", async () => {
  const peer = mockPeer({ greeting: { capabilities: ["oob"] }, handlers: { "query-status": () => ({}) } });
  const client = await connect({ ...peer.target, oob: true });
  assert.equal(client.greeting?.version.qemu.major, 7);
  assert.deepEqual(client.greeting?.capabilities, ["oob"]);
  assert.deepEqual(client.capabilities, ["oob"]);
  const negotiation = peer.commands()[0]!;
  assert.deepEqual(negotiation, {
    execute: "qmp_capabilities",
    arguments: { enable: ["oob"] },
    id: negotiation["id"]!,
  });
  await client.execute("query-status");
  const query = peer.commands()[1]!;
  assert.equal(query["execute"], "query-status");
  assert.notEqual(query["id"], undefined);
  assert.notEqual(query["id"], negotiation["id"]);
  await client.close();
  await peer.mock.close();

  const plain = mockPeer({ greeting: { capabilities: ["oob"] } });
  const without = await connect(plain.target);
  assert.deepEqual(without.capabilities, []);
  assert.equal(plain.commands()[0]!["arguments"], undefined);
  await without.close();
  await plain.mock.close();
});

test("replies are matched by id even when they come out of order", async () => {
  // QEMU answers in-band commands in order; out-of-band ones are how replies
  // overtake each other, so `echo` is an allow-oob command here.
  const held: Array<() => void> = [];
  const peer = mockPeer({
    handlers: {
      echo: async (args) => {
        await new Promise<void>((release) => {
          held.push(release);
          // Released on a later turn, so all three continuations resume in release order.
          if (held.length === 3) setImmediate(() => held.reverse().forEach((next) => next()));
        });
        return (args as { n: number }).n;
      },
    },
  });
  const sdk = createGenericSdk("t", "qmp", { echo: { allowOob: true } });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(sdk, { ...peer.target, oob: true });
  const results = await Promise.all([1, 2, 3].map((n) => client.execute("echo", { n })));
  assert.deepEqual(results, [1, 2, 3]);
  const sent = peer
    .commands()
    .filter((c) => c["exec-oob"] === "echo")
    .map((c) => c["id"]);
  assert.deepEqual(replyIds(peer).slice(1), [...sent].reverse(), "the replies really came in reverse order");
  await client.close();
  await peer.mock.close();
});

test("a failed negotiation rejects connect with NegotiationError", async () => {
  const peer = mockPeer({
    faults: { commands: { qmp_capabilities: { errorReply: { class: "GenericError", desc: "no" } } } },
  });
  await assert.rejects(connect(peer.target), NegotiationError);
  await peer.mock.close();
});

test("exec-oob only for allow-oob commands; at most 8 in-band commands in flight with oob", async () => {
  let maxInFlight = 0;
  let draining = false;
  /** In-band commands the mock has received but not answered yet. */
  const inFlight = () => {
    const inBand = new Set(
      peer
        .commands()
        .filter((c) => c["execute"] === "query-status")
        .map((c) => c["id"]),
    );
    return inBand.size - replyIds(peer).filter((id) => inBand.has(id)).length;
  };
  const peer: MockPeer = mockPeer({
    greeting: { capabilities: ["oob"] },
    handlers: {
      // Answer once the client has filled the window, then one by one as new ones arrive.
      "query-status": async () => {
        await until(() => {
          maxInFlight = Math.max(maxInFlight, inFlight());
          return draining || inFlight() >= 8;
        });
        return "ib";
      },
      "migrate-pause": () => "oob",
    },
  });
  const sdk = createGenericSdk("t", "qmp", { "migrate-pause": { allowOob: true } });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(sdk, { ...peer.target, oob: true });
  const calls = Array.from({ length: 20 }, () => client.execute("query-status"));
  assert.equal(await client.execute("migrate-pause"), "oob");
  await assert.rejects(client.executeWith("query-status", undefined, { oob: true }), UsageError);
  // Drain the last in-band ones.
  draining = true;
  assert.deepEqual(await Promise.all(calls), Array(20).fill("ib"));
  assert.equal(maxInFlight, 8);
  const oobMessage = peer.commands().find((c) => c["exec-oob"]);
  assert.equal(oobMessage?.["exec-oob"], "migrate-pause");
  await client.close();
  await peer.mock.close();
});

test("without oob negotiated, allow-oob commands go in-band and oob: true is refused", async () => {
  const peer = mockPeer({ greeting: { capabilities: ["oob"] }, handlers: { "migrate-pause": () => ({}) } });
  const sdk = createGenericSdk("t", "qmp", { "migrate-pause": { allowOob: true } });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(sdk, peer.target);
  await client.execute("migrate-pause");
  assert.equal(peer.commands().at(-1)!["execute"], "migrate-pause");
  await assert.rejects(client.executeWith("migrate-pause", undefined, { oob: true }), UsageError);
  await client.close();
  await peer.mock.close();
});

test("a success-response: false command resolves once sent", async () => {
  const sdk = createGenericSdk("t", "qmp", { "guest-shutdown": { successResponse: false } });
  // Given the sdk, the mock leaves the command unanswered, as QEMU does.
  const peer = mockPeer({ sdk, handlers: { "guest-shutdown": () => undefined } });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(sdk, peer.target);
  assert.equal(await client.execute("guest-shutdown"), undefined);
  await until(() => peer.commands().length === 2);
  assert.equal(peer.commands().at(-1)!["execute"], "guest-shutdown");
  assert.equal(client.pendingCount, 0);
  assert.equal(replyIds(peer).length, 1, "only the negotiation was answered");
  await client.close();
  await peer.mock.close();
});

test("events sent before the greeting and before the negotiation reply reach listeners attached after connect", async () => {
  const peer = mockPeer({
    faults: { greeting: { eventsBefore: ["EARLY_1"] }, commands: { qmp_capabilities: { eventsBefore: ["EARLY_2"] } } },
    events: [{ event: "LATER" }],
  });
  const client = await connect(peer.target);
  const seen: string[] = [];
  client.on("*", (_data, event) => seen.push(event.event));
  await client.waitFor("LATER", { timeout: 5000 });
  assert.deepEqual(seen, ["EARLY_1", "EARLY_2", "LATER"]);
  await client.close();
  await peer.mock.close();
});

test("an event that arrived before a reply reaches listeners, iterators and waiters before the reply resolves", async () => {
  const peer: MockPeer = mockPeer({ handlers: { stop: () => void peer.mock.emit("BEFORE", { n: 1 }) } });
  const client = await connect(peer.target);
  const order: string[] = [];
  client.on("BEFORE", () => order.push("listener"));
  const waiter = client.waitFor("BEFORE").then(() => order.push("waitFor"));
  const iterator = client.events("BEFORE");
  const next = iterator.next().then(() => order.push("iterator"));
  await client.execute("stop").then(() => order.push("reply"));
  await Promise.all([waiter, next]);
  assert.deepEqual(order, ["listener", "waitFor", "iterator", "reply"]);
  await iterator.return!();
  await client.close();
  await peer.mock.close();
});

test("events() filters by name, waitFor checks the predicate, off stops a listener", async () => {
  const peer = mockPeer();
  const client = await connect(peer.target);
  const iterator = client.events("A", "C");
  let count = 0;
  const listener = () => count++;
  client.on("A", listener);
  const third = client.waitFor("C", (data: { n: number }) => data.n === 3);
  peer.mock.emit("A", { n: 1 });
  peer.mock.emit("B", { n: 2 });
  peer.mock.emit("C", { n: 2 });
  peer.mock.emit("C", { n: 3 });
  assert.equal((await third).data.n, 3);
  client.off("A", listener);
  peer.mock.emit("A", { n: 4 });
  const names: string[] = [];
  for await (const event of iterator) {
    names.push(`${event.event}${(event.data as { n: number }).n}`);
    if (names.length === 4) break;
  }
  assert.deepEqual(names, ["A1", "C2", "C3", "A4"]);
  assert.equal(count, 1);
  await client.close();
  await peer.mock.close();
});

test("per-call timeout and abort reject, the late reply is dropped, the connection goes on", async () => {
  let answerSlow!: () => void;
  const slowMayAnswer = new Promise<void>((resolve) => (answerSlow = resolve));
  const peer = mockPeer({
    handlers: {
      slow: async () => {
        await slowMayAnswer;
        return "too late";
      },
      quick: () => "fast",
    },
  });
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connect({ ...peer.target, onDiagnostic: (d) => diagnostics.push(d) });
  await assert.rejects(client.executeWith("slow", undefined, { timeout: 20 }), TimeoutError);
  const controller = new AbortController();
  const aborted = client.executeWith("slow", undefined, { signal: controller.signal });
  controller.abort(new Error("user gave up"));
  await assert.rejects(aborted, AbortError);
  await until(() => peer.commands().filter((c) => c["execute"] === "slow").length === 2);
  answerSlow();
  assert.equal(await client.execute("quick"), "fast");
  assert.deepEqual(
    diagnostics.map((d) => d.kind),
    ["late-reply", "late-reply"],
  );
  await assert.rejects(client.waitFor("NEVER", { timeout: 10 }), TimeoutError);
  await client.close();
  await assert.rejects(client.execute("quick"), StateError);
  await peer.mock.close();
});

test("validation: bad arguments are not sent, bad replies reject, lenient notices are reported", async () => {
  const validators: SdkValidators = {
    commandArgs: (_c, value, _mode, root = "$") =>
      typeof (value as { name?: unknown }).name === "string"
        ? { errors: [], notices: [] }
        : { errors: [{ path: `${root}.name`, message: "expected string" }], notices: [] },
    commandReturn: (_c, value, mode, root = "$") =>
      (value as { extra?: unknown }).extra === undefined
        ? { errors: [], notices: [] }
        : mode === "strict"
          ? { errors: [{ path: `${root}.extra`, message: "unknown member 'extra'" }], notices: [] }
          : { errors: [], notices: [{ path: `${root}.extra`, message: "unknown member 'extra'" }] },
    event: () => undefined,
    type: () => undefined,
  };
  const sdk: SdkDescriptor = { ...createGenericSdk("t"), validators };
  // The mock gets no sdk: the reply it sends is meant to fail the client's checks.
  const peer = mockPeer({ handlers: { cmd: () => ({ ok: true, extra: 1 }) } });
  const notices: QmpDiagnostic[] = [];
  const client = await connectWith<GenericCommandMap, GenericEventMap>(sdk, {
    ...peer.target,
    validate: "lenient",
    onDiagnostic: (d) => notices.push(d),
  });
  const sentBefore = peer.commands().length;
  const bad = await client.execute("cmd", { name: 42 }).catch((e: unknown) => e);
  assert.ok(bad instanceof ValidationError);
  assert.equal(bad.path, "$.arguments.name");
  assert.equal(peer.commands().length, sentBefore);
  assert.deepEqual(await client.execute("cmd", { name: "x" }), { ok: true, extra: 1 });
  assert.equal(notices[0]?.kind, "validation-notice");
  const strict = await client.executeWith("cmd", { name: "x" }, { validate: "strict" }).catch((e: unknown) => e);
  assert.ok(strict instanceof ValidationError && strict.path === "$.return.extra");
  await client.close();
  await peer.mock.close();
});

test("execute errors carry class, desc, command and id", async () => {
  const peer = mockPeer({
    handlers: {
      device_del: () => {
        throw new MockCommandError("DeviceNotFound", "Device 'x' not found");
      },
    },
  });
  const client = await connect(peer.target);
  const error = await client.execute("device_del", { id: "x" }).catch((e: unknown) => e);
  assert.ok(error instanceof ExecuteError);
  assert.equal(error.errorClass, "DeviceNotFound");
  assert.equal(error.desc, "Device 'x' not found");
  assert.equal(error.command, "device_del");
  assert.equal(error.id, peer.commands().at(-1)!["id"]);
  await client.close();
  await peer.mock.close();
});

test("a slow iterator keeps at most maxBuffered events (the newest); a throwing listener is reported, others still run", async () => {
  const peer = mockPeer();
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connect({ ...peer.target, onDiagnostic: (d) => diagnostics.push(d) });
  const iterator = client.eventsWith(["E"], { maxBuffered: 2 });
  const seen: number[] = [];
  client.on("E", () => {
    throw new Error("listener bug");
  });
  client.on("E", (data: { n: number }) => seen.push(data.n));
  for (let n = 1; n <= 5; n++) peer.mock.emit("E", { n });
  await client.waitFor("E", (d: { n: number }) => d.n === 5);
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  assert.equal(diagnostics.filter((d) => d.kind === "listener-error").length, 5);
  assert.deepEqual([(await iterator.next()).value?.data, (await iterator.next()).value?.data], [{ n: 4 }, { n: 5 }]);
  await iterator.return!();
  await client.close();
  await peer.mock.close();
});
