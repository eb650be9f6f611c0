/**
 * Protocol behaviour of QmpClient against the scripted in-memory peer
 * (test/runtime/fake-peer.ts): greeting and negotiation, ids, out-of-band
 * execution and the in-flight limit, success-response false, events before
 * the greeting, wire order, waitFor, iteration, per-call timeout and abort,
 * validation through sdk.validators, and guest agent synchronisation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FakePeer, type ReceivedCommand } from "./fake-peer.js";
import {
  AbortError,
  connect,
  InterruptedError,
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

test("greeting is exposed, oob is enabled only when asked and offered, every command has an id", async () => {
  const peer = new FakePeer({ capabilities: ["oob"] });
  const client = await connect({ ...peer.target, oob: true });
  assert.equal(client.greeting?.version.qemu.major, 7);
  assert.deepEqual(client.greeting?.capabilities, ["oob"]);
  assert.deepEqual(client.capabilities, ["oob"]);
  assert.deepEqual(peer.received[0], { execute: "qmp_capabilities", arguments: { enable: ["oob"] }, id: peer.received[0]!.id });
  await client.execute("query-status");
  assert.equal(peer.received[1]!.execute, "query-status");
  assert.notEqual(peer.received[1]!.id, undefined);
  assert.notEqual(peer.received[1]!.id, peer.received[0]!.id);
  await client.close();

  const plain = new FakePeer({ capabilities: ["oob"] });
  const without = await connect(plain.target);
  assert.deepEqual(without.capabilities, []);
  assert.equal(plain.received[0]!.arguments, undefined);
  await without.close();
});

test("replies are matched by id even when they come out of order", async () => {
  const held: ReceivedCommand[] = [];
  const peer = new FakePeer({
    onCommand: (command, p) => {
      held.push(command);
      if (held.length === 3) for (const c of held.reverse()) p.reply(c, c.arguments?.n);
    },
  });
  const client = await connect(peer.target);
  const results = await Promise.all([1, 2, 3].map((n) => client.execute("echo", { n })));
  assert.deepEqual(results, [1, 2, 3]);
  await client.close();
});

test("a failed negotiation rejects connect with NegotiationError", async () => {
  const peer = new FakePeer({ negotiate: false, onCommand: (c, p) => p.send({ error: { class: "GenericError", desc: "no" }, id: c.id }) });
  await assert.rejects(connect(peer.target), NegotiationError);
});

test("exec-oob only for allow-oob commands; at most 8 in-band commands in flight with oob", async () => {
  const inBand: ReceivedCommand[] = [];
  let maxInFlight = 0;
  const peer = new FakePeer({
    capabilities: ["oob"],
    onCommand: (command, p) => {
      if (command["exec-oob"]) return p.reply(command, "oob");
      inBand.push(command);
      maxInFlight = Math.max(maxInFlight, inBand.length);
      // Answer once the client has filled the window, then one by one as new ones arrive.
      if (inBand.length >= 8) p.reply(inBand.shift()!, "ib");
    },
  });
  const sdk = createGenericSdk("t", "qmp", { "migrate-pause": { allowOob: true } });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(sdk, { ...peer.target, oob: true });
  const calls = Array.from({ length: 20 }, () => client.execute("query-status"));
  assert.equal(await client.execute("migrate-pause"), "oob");
  await assert.rejects(client.executeWith("query-status", undefined, { oob: true }), UsageError);
  // Drain the last in-band ones.
  const drain = setInterval(() => inBand.length > 0 && peer.reply(inBand.shift()!, "ib"), 1);
  assert.deepEqual(await Promise.all(calls), Array(20).fill("ib"));
  clearInterval(drain);
  assert.equal(maxInFlight, 8);
  const oobMessage = peer.received.find((c) => c["exec-oob"]);
  assert.equal(oobMessage?.["exec-oob"], "migrate-pause");
  await client.close();
});

test("without oob negotiated, allow-oob commands go in-band and oob: true is refused", async () => {
  const peer = new FakePeer({ capabilities: ["oob"] });
  const sdk = createGenericSdk("t", "qmp", { "migrate-pause": { allowOob: true } });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(sdk, peer.target);
  await client.execute("migrate-pause");
  assert.equal(peer.received.at(-1)!.execute, "migrate-pause");
  await assert.rejects(client.executeWith("migrate-pause", undefined, { oob: true }), UsageError);
  await client.close();
});

test("a success-response: false command resolves once sent", async () => {
  const peer = new FakePeer({ onCommand: () => undefined });
  const sdk = createGenericSdk("t", "qmp", { "guest-shutdown": { successResponse: false } });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(sdk, peer.target);
  assert.equal(await client.execute("guest-shutdown"), undefined);
  assert.equal(peer.received.at(-1)!.execute, "guest-shutdown");
  assert.equal(client.pendingCount, 0);
  await client.close();
});

test("events sent before the greeting and before the negotiation reply reach listeners attached after connect", async () => {
  const peer = new FakePeer({ greeting: false, negotiate: false, onCommand: (c, p) => p.reply(c) });
  peer.event("EARLY_1");
  peer.send({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: "" }, capabilities: [] } });
  const original = peer.fromClient.listeners("data")[0] as (chunk: Buffer) => void;
  peer.fromClient.removeAllListeners("data");
  peer.fromClient.on("data", (chunk: Buffer) => {
    const command = JSON.parse(chunk.toString()) as ReceivedCommand;
    if (command.execute === "qmp_capabilities") {
      peer.event("EARLY_2");
      peer.reply(command);
      peer.event("LATER");
    } else original(chunk);
  });
  const client = await connect(peer.target);
  const seen: string[] = [];
  client.on("*", (_data, event) => seen.push(event.event));
  await client.waitFor("LATER", { timeout: 5000 });
  assert.deepEqual(seen, ["EARLY_1", "EARLY_2", "LATER"]);
  await client.close();
});

test("an event that arrived before a reply reaches listeners, iterators and waiters before the reply resolves", async () => {
  const peer = new FakePeer({
    onCommand: (c, p) => {
      p.event("BEFORE", { n: 1 });
      p.reply(c);
    },
  });
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
});

test("events() filters by name, waitFor checks the predicate, off stops a listener", async () => {
  const peer = new FakePeer();
  const client = await connect(peer.target);
  const iterator = client.events("A", "C");
  let count = 0;
  const listener = () => count++;
  client.on("A", listener);
  const third = client.waitFor("C", (data: { n: number }) => data.n === 3);
  peer.event("A", { n: 1 });
  peer.event("B", { n: 2 });
  peer.event("C", { n: 2 });
  peer.event("C", { n: 3 });
  assert.equal((await third).data.n, 3);
  client.off("A", listener);
  peer.event("A", { n: 4 });
  const names: string[] = [];
  for await (const event of iterator) {
    names.push(`${event.event}${(event.data as { n: number }).n}`);
    if (names.length === 4) break;
  }
  assert.deepEqual(names, ["A1", "C2", "C3", "A4"]);
  assert.equal(count, 1);
  await client.close();
});

test("per-call timeout and abort reject, the late reply is dropped, the connection goes on", async () => {
  const late: ReceivedCommand[] = [];
  const peer = new FakePeer({ onCommand: (c, p) => (c.execute === "slow" ? late.push(c) : p.reply(c, "fast")) });
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connect({ ...peer.target, onDiagnostic: (d) => diagnostics.push(d) });
  await assert.rejects(client.executeWith("slow", undefined, { timeout: 20 }), TimeoutError);
  const controller = new AbortController();
  const aborted = client.executeWith("slow", undefined, { signal: controller.signal });
  controller.abort(new Error("user gave up"));
  await assert.rejects(aborted, AbortError);
  while (late.length < 2) await new Promise((resolve) => setImmediate(resolve));
  for (const c of late) peer.reply(c, "too late");
  assert.equal(await client.execute("quick"), "fast");
  assert.deepEqual(diagnostics.map((d) => d.kind), ["late-reply", "late-reply"]);
  await assert.rejects(client.waitFor("NEVER", { timeout: 10 }), TimeoutError);
  await client.close();
  await assert.rejects(client.execute("quick"), StateError);
});

test("validation: bad arguments are not sent, bad replies reject, lenient notices are reported", async () => {
  const validators: SdkValidators = {
    commandArgs: (_c, value, _mode, root = "$") =>
      typeof (value as { name?: unknown }).name === "string" ? { errors: [], notices: [] } : { errors: [{ path: `${root}.name`, message: "expected string" }], notices: [] },
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
  const peer = new FakePeer({ onCommand: (c, p) => p.reply(c, { ok: true, extra: 1 }) });
  const notices: QmpDiagnostic[] = [];
  const client = await connectWith<GenericCommandMap, GenericEventMap>(sdk, { ...peer.target, validate: "lenient", onDiagnostic: (d) => notices.push(d) });
  const sentBefore = peer.received.length;
  const bad = await client.execute("cmd", { name: 42 }).catch((e: unknown) => e);
  assert.ok(bad instanceof ValidationError);
  assert.equal(bad.path, "$.arguments.name");
  assert.equal(peer.received.length, sentBefore);
  assert.deepEqual(await client.execute("cmd", { name: "x" }), { ok: true, extra: 1 });
  assert.equal(notices[0]?.kind, "validation-notice");
  const strict = await client.executeWith("cmd", { name: "x" }, { validate: "strict" }).catch((e: unknown) => e);
  assert.ok(strict instanceof ValidationError && strict.path === "$.return.extra");
  await client.close();
});

test("guest agent: 0xFF resync, guest-sync-delimited, stale output before the sentinel is discarded", async () => {
  const peer = new FakePeer({
    greeting: false,
    onCommand: (c, p) => {
      if (c.execute === "guest-sync-delimited") {
        // Stale output of an earlier client, a partial message, then the sentinel and the reply.
        p.raw('{"return": {"stale": true}, "id": 1}\n{"return": {"half');
        p.raw(Buffer.from([0xff]));
        p.reply(c, c.arguments!.id);
      } else p.reply(c, { pong: c.execute });
    },
  });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(createGenericSdk("qga", "qga"), peer.target);
  assert.equal(client.greeting, undefined);
  assert.equal(peer.resyncBytes, 1);
  assert.deepEqual(await client.execute("guest-ping"), { pong: "guest-ping" });
  await client.close();
});

test("guest agent: a sync attempt that times out is retried", async () => {
  let attempts = 0;
  const peer = new FakePeer({
    greeting: false,
    onCommand: (c, p) => {
      if (c.execute !== "guest-sync-delimited") return p.reply(c);
      if (++attempts === 1) return; // the agent is busy: no answer
      p.raw(Buffer.from([0xff]));
      p.reply(c, c.arguments!.id);
    },
  });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(createGenericSdk("qga", "qga"), { ...peer.target, syncTimeout: 50 });
  assert.equal(attempts, 2);
  assert.equal(peer.resyncBytes, 2);
  await client.close();
});

test("execute errors carry class, desc, command and id", async () => {
  const peer = new FakePeer({ onCommand: (c, p) => p.send({ error: { class: "DeviceNotFound", desc: "Device 'x' not found" }, id: c.id }) });
  const client = await connect(peer.target);
  const error = await client.execute("device_del", { id: "x" }).catch((e: unknown) => e);
  assert.ok(error instanceof ExecuteError);
  assert.equal(error.errorClass, "DeviceNotFound");
  assert.equal(error.desc, "Device 'x' not found");
  assert.equal(error.command, "device_del");
  assert.equal(error.id, peer.received.at(-1)!.id);
  await client.close();
});

test("a slow iterator keeps at most maxBuffered events (the newest); a throwing listener is reported, others still run", async () => {
  const peer = new FakePeer();
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connect({ ...peer.target, onDiagnostic: (d) => diagnostics.push(d) });
  const iterator = client.eventsWith(["E"], { maxBuffered: 2 });
  const seen: number[] = [];
  client.on("E", () => {
    throw new Error("listener bug");
  });
  client.on("E", (data: { n: number }) => seen.push(data.n));
  for (let n = 1; n <= 5; n++) peer.event("E", { n });
  await client.waitFor("E", (d: { n: number }) => d.n === 5);
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  assert.equal(diagnostics.filter((d) => d.kind === "listener-error").length, 5);
  assert.deepEqual([(await iterator.next()).value?.data, (await iterator.next()).value?.data], [{ n: 4 }, { n: 5 }]);
  await iterator.return!();
  await client.close();
});

test("guest agent resync: calls still pending reject (their replies would be dropped as stale), then the session goes on", async () => {
  let hold = true;
  const peer = new FakePeer({
    greeting: false,
    onCommand: (c, p) => {
      if (c.execute === "guest-sync-delimited") {
        p.raw(Buffer.from([0xff]));
        return p.reply(c, c.arguments!.id);
      }
      if (c.execute === "guest-exec-status" && hold) return; // busy
      p.reply(c, {});
    },
  });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(createGenericSdk("qga", "qga"), peer.target);
  const stuck = client.execute("guest-exec-status", { pid: 1 });
  while (!peer.received.some((c) => c.execute === "guest-exec-status")) await new Promise((resolve) => setImmediate(resolve));
  await client.resync();
  await assert.rejects(stuck, InterruptedError);
  hold = false;
  assert.deepEqual(await client.execute("guest-ping"), {});
  await assert.rejects(connect(new FakePeer().target).then((c) => c.resync()), StateError);
});
