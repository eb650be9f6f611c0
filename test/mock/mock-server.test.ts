/**
 * The mock QMP server speaks QMP as QEMU does, checks what it is given, and
 * records conversations that replay reproduces exactly.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  MockCommandError,
  classifyMessage,
  createDuplexPair,
  createMockQemu,
  parseLog,
  replayMockQemu,
  type MockQemuOptions,
  type JsonObject,
} from "../../runtime/mock/index.js";
import { RawClient } from "./raw-client.js";
import { tinySdk, type TinyCommands, type TinyEvents } from "./tiny-sdk.js";

const options: MockQemuOptions<TinyCommands, TinyEvents> = {
  sdk: tinySdk,
  handlers: {
    "query-status": () => ({ running: true, status: "running" }),
    stop: (_args, context) => context.emitAfterReply("STOP"),
    "set-speed": ({ speed }) => {
      if (speed < 0) throw new MockCommandError("GenericError", "speed must not be negative");
      return {};
    },
  },
  events: [{ event: "SPEED", data: { speed: 1 }, after: "set-speed" }],
};

/** A fixed conversation, the same bytes each time, so record and replay can be compared. */
async function script(client: RawClient): Promise<JsonObject[]> {
  const seen: JsonObject[] = [];
  seen.push((await client.next())!);
  seen.push(...(await client.call({ execute: "qmp_capabilities", arguments: { enable: ["oob"] }, id: 1 })));
  seen.push(...(await client.call({ execute: "query-status", id: 2 })));
  seen.push(...(await client.call({ execute: "stop", id: 3 })));
  seen.push((await client.next())!); // STOP follows the reply
  seen.push(...(await client.call({ execute: "set-speed", arguments: { speed: 5 }, id: 4 })));
  seen.push((await client.next())!); // scripted SPEED
  seen.push(...(await client.call({ execute: "set-speed", arguments: { speed: -1 }, id: 5 })));
  seen.push(...(await client.call({ execute: "no-such-command", id: 6 })));
  return seen;
}

test("greeting, negotiation, ids, events and error replies look like QEMU's", async () => {
  const mock = createMockQemu(options);
  const [clientSide, serverSide] = createDuplexPair();
  mock.attach(serverSide);
  const seen = await script(new RawClient(clientSide));
  assert.deepEqual(seen[0], {
    QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: "qapi-ts mock" }, capabilities: ["oob"] },
  });
  assert.deepEqual(seen[1], { return: {}, id: 1 });
  assert.deepEqual(seen[2], { return: { running: true, status: "running" }, id: 2 });
  assert.deepEqual(seen[3], { return: {}, id: 3 });
  assert.equal(seen[4]!["event"], "STOP");
  assert.deepEqual(Object.keys(seen[4]!["timestamp"] as object), ["seconds", "microseconds"]);
  assert.deepEqual(seen[5], { return: {}, id: 4 });
  assert.deepEqual(seen[6]!["data"], { speed: 1 });
  assert.deepEqual(seen[7], { error: { class: "GenericError", desc: "speed must not be negative" }, id: 5 });
  assert.deepEqual(seen[8], { error: { class: "CommandNotFound", desc: "no command 'no-such-command' here" }, id: 6 });
  assert.deepEqual(mock.problems, []);
  await mock.close();
});

test("a recording replays to the same conversation", async () => {
  const mock = createMockQemu(options);
  const [a, b] = createDuplexPair();
  mock.attach(b);
  const live = await script(new RawClient(a));
  const recording = mock.recording();
  await mock.close();

  const messages = parseLog(recording);
  assert.deepEqual(
    messages.map((m) => classifyMessage(m).kind),
    [
      "greeting",
      ...["command", "return"],
      ...["command", "return"],
      ...["command", "return", "event"],
      ...["command", "return", "event"],
      ...["command", "error"],
      ...["command", "error"],
    ],
  );

  const replay = replayMockQemu(recording);
  const [c, d] = createDuplexPair();
  replay.attach(d);
  const replayed = await script(new RawClient(c));
  assert.deepEqual(replayed, live);
  assert.deepEqual(replay.log, messages);
  assert.deepEqual(replay.problems, []);
  assert.deepEqual(replay.unused(), []);
  await replay.close();
});

test("replay matches by name and arguments, not position, and reports strays", async () => {
  const log = [
    { QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: "" }, capabilities: [] } },
    { execute: "qmp_capabilities", id: "a" },
    { return: {}, id: "a" },
    { execute: "query-name", id: "b" },
    { return: { name: "vm1" }, id: "b" },
    { execute: "human-monitor-command", arguments: { "command-line": "info cpus" }, id: "c" },
    { return: "cpu0\n", id: "c" },
  ]
    .map((m) => JSON.stringify(m, null, 2))
    .join("\n");
  const replay = replayMockQemu(log);
  const [c, d] = createDuplexPair();
  replay.attach(d);
  const client = new RawClient(c);
  await client.next();
  assert.deepEqual(await client.call({ execute: "qmp_capabilities", id: 10 }), [{ return: {}, id: 10 }]);
  assert.deepEqual(
    await client.call({ execute: "human-monitor-command", arguments: { "command-line": "info cpus" }, id: 11 }),
    [{ return: "cpu0\n", id: 11 }],
  );
  const stray = await client.call({
    execute: "human-monitor-command",
    arguments: { "command-line": "info pci" },
    id: 12,
  });
  assert.equal((stray[0]!["error"] as JsonObject)["class"], "GenericError");
  assert.equal(replay.problems.length, 1);
  assert.deepEqual(replay.unused(), [{ execute: "query-name", id: "b" }]);
  await replay.close();
});

test("negotiation rules: commands before qmp_capabilities, twice, unknown capability", async () => {
  const mock = createMockQemu(options);
  const [a, b] = createDuplexPair();
  mock.attach(b);
  const client = new RawClient(a);
  await client.next();
  const early = await client.call({ execute: "query-status", id: 1 });
  assert.equal((early[0]!["error"] as JsonObject)["class"], "CommandNotFound");
  const bad = await client.call({ execute: "qmp_capabilities", arguments: { enable: ["telepathy"] }, id: 2 });
  assert.equal((bad[0]!["error"] as JsonObject)["class"], "GenericError");
  assert.deepEqual(await client.call({ execute: "qmp_capabilities", id: 3 }), [{ return: {}, id: 3 }]);
  const again = await client.call({ execute: "qmp_capabilities", id: 4 });
  assert.equal((again[0]!["error"] as JsonObject)["class"], "CommandNotFound");
  // oob was not enabled in this session.
  const oob = await client.call({ "exec-oob": "set-speed", arguments: { speed: 1 }, id: 5 });
  assert.equal((oob[0]!["error"] as JsonObject)["class"], "GenericError");
  await mock.close();
});

test("strict checks: arguments, handler replies and emitted events", async () => {
  const mock = createMockQemu<TinyCommands, TinyEvents>({
    ...options,
    handlers: { ...options.handlers, "query-status": () => ({ running: "yes" }) as never },
  });
  const [a, b] = createDuplexPair();
  mock.attach(b);
  const client = new RawClient(a);
  await client.next();
  await client.call({ execute: "qmp_capabilities", id: 0 });
  const unknown = await client.call({ execute: "set-speed", arguments: { speed: 1, turbo: true }, id: 1 });
  assert.deepEqual(unknown, [{ error: { class: "GenericError", desc: "$.arguments: unknown member 'turbo'" }, id: 1 }]);
  const wrongType = await client.call({ execute: "set-speed", arguments: { speed: "fast" }, id: 2 });
  assert.deepEqual(wrongType, [
    { error: { class: "GenericError", desc: '$.arguments["speed"]: expected number, got "fast"' }, id: 2 },
  ]);
  const notObject = await client.call({ execute: "set-speed", arguments: [1], id: 3 });
  assert.deepEqual(notObject, [
    { error: { class: "GenericError", desc: "QMP input member 'arguments' must be an object" }, id: 3 },
  ]);
  const extra = await client.call({ execute: "stop", id: 4, colour: "red" });
  assert.deepEqual(extra, [
    { error: { class: "GenericError", desc: "QMP input member 'colour' is unexpected" }, id: 4 },
  ]);
  const invalidReply = await client.call({ execute: "query-status", id: 5 });
  assert.equal((invalidReply[0]!["error"] as JsonObject)["class"], "GenericError");
  assert.equal(mock.problems.length, 1);
  assert.match(mock.problems[0]!, /handler for query-status returned an invalid reply/);
  assert.throws(() => mock.emit("SPEED", { speed: "fast" } as never), /mock.emit\("SPEED"\)/);
  assert.equal(mock.emit("SPEED", { speed: 3 }), 1);
  assert.deepEqual((await client.next())!["data"], { speed: 3 });
  await mock.close();
});

test("out-of-band commands overtake a slow in-band one", async () => {
  const mock = createMockQemu<TinyCommands, TinyEvents>({
    ...options,
    faults: { commands: { "query-status": { delayMs: 50 } } },
  });
  const [a, b] = createDuplexPair();
  mock.attach(b);
  const client = new RawClient(a);
  await client.next();
  await client.call({ execute: "qmp_capabilities", arguments: { enable: ["oob"] }, id: 0 });
  client.send({ execute: "query-status", id: "slow" });
  client.send({ "exec-oob": "set-speed", arguments: { speed: 2 }, id: "fast" });
  const first = await client.next();
  assert.equal(first!["id"], "fast");
  const ids = [];
  for (let i = 0; i < 2; i++) ids.push((await client.next())!);
  assert.ok(ids.some((m) => m["id"] === "slow"));
  const stopOob = await client.call({ "exec-oob": "stop", id: "x" });
  assert.deepEqual(stopOob, [
    { error: { class: "GenericError", desc: "The command stop does not support OOB" }, id: "x" },
  ]);
  await mock.close();
});

test("fault knobs put the promised misbehaviour on the wire", async () => {
  const mock = createMockQemu<TinyCommands, TinyEvents>({
    ...options,
    greeting: { capabilities: [] },
    faults: {
      greeting: { garbageBefore: "\u0000junk " },
      commands: {
        "query-status": { reply: "no-id" },
        stop: { reply: "unknown-id" },
        "set-speed": { reply: "truncated" },
      },
    },
  });
  const [a, b] = createDuplexPair();
  mock.attach(b);
  const client = new RawClient(a);
  assert.ok("QMP" in (await client.next())!);
  assert.deepEqual(client.garbage, ["\u0000junk"]);
  await client.call({ execute: "qmp_capabilities", id: 0 });
  assert.deepEqual(await client.call({ execute: "query-status", id: 1 }), [
    { return: { running: true, status: "running" } },
  ]);
  assert.deepEqual(await client.call({ execute: "stop", id: 2 }), [{ return: {}, id: "mock-unknown-id" }]);
  assert.equal((await client.next())!["event"], "STOP"); // raised by the stop handler
  client.send({ execute: "set-speed", arguments: { speed: 1 }, id: 3 });
  assert.equal(await client.next(), undefined); // half a reply, then hang-up
  assert.deepEqual(client.garbage, ["\u0000junk"]);
  await mock.close();

  const silent = createMockQemu({ faults: { greeting: { omit: true }, commands: { "*": { reply: "close" } } } });
  const [c, d] = createDuplexPair();
  silent.attach(d);
  const quiet = new RawClient(c);
  quiet.send({ execute: "qmp_capabilities" });
  // No greeting; the negotiation closes the connection without an answer.
  assert.equal(await quiet.next(), undefined);
  await silent.close();
});

test("fault knobs for the runtime's tests: events before the greeting and a reply, exact raw text, garbage in the reply's write, a chosen unknown id", async () => {
  const mock = createMockQemu<TinyCommands, TinyEvents>({
    ...options,
    faults: {
      greeting: { eventsBefore: ["EARLY"] },
      commands: {
        qmp_capabilities: { eventsBefore: ["NEGOTIATING"], garbageAfter: "%%% " },
        "query-status": { replaceWith: '{"return": {}, "id": }\r\n' },
        stop: { reply: "unknown-id", unknownId: 987654 },
      },
    },
  });
  const [a, b] = createDuplexPair();
  mock.attach(b);
  const client = new RawClient(a);
  assert.equal((await client.next())!["event"], "EARLY");
  assert.ok("QMP" in (await client.next())!);
  const negotiation = await client.call({ execute: "qmp_capabilities", id: 0 });
  assert.deepEqual(
    negotiation.map((m) => m["event"] ?? m),
    ["NEGOTIATING", { return: {}, id: 0 }],
  );
  // The garbage shares the reply's write, so it has arrived with it.
  assert.deepEqual(client.garbage, ["%%%"]);
  client.send({ execute: "query-status", id: 1 });
  assert.deepEqual(await client.call({ execute: "stop", id: 2 }), [{ return: {}, id: 987654 }]);
  assert.deepEqual(client.garbage, ["%%%", '{"return": {}, "id": }']);
  await mock.close();

  const refusing = createMockQemu({
    faults: { commands: { qmp_capabilities: { errorReply: { class: "GenericError", desc: "no" } } } },
  });
  const [c, d] = createDuplexPair();
  refusing.attach(d);
  const refused = new RawClient(c);
  await refused.next();
  assert.deepEqual(await refused.call({ execute: "qmp_capabilities", id: 0 }), [
    { error: { class: "GenericError", desc: "no" }, id: 0 },
  ]);
  // The failed negotiation left the connection in negotiation mode.
  const [after] = await refused.call({ execute: "query-version", id: 1 });
  assert.equal((after!["error"] as JsonObject)["class"], "CommandNotFound");
  await refusing.close();
});

test("an oversize reply is as large as asked and still valid JSON", async () => {
  const mock = createMockQemu<TinyCommands, TinyEvents>({
    ...options,
    faults: { commands: { "query-status": { reply: "oversize", oversizeBytes: 100_000 } } },
  });
  const [a, b] = createDuplexPair();
  mock.attach(b);
  const client = new RawClient(a);
  await client.next();
  await client.call({ execute: "qmp_capabilities", id: 0 });
  const [reply] = await client.call({ execute: "query-status", id: 1 });
  assert.ok(JSON.stringify(reply).length > 100_000);
  assert.equal(reply!["id"], 1);
  await mock.close();
});

test("64-bit integers stay exact through recording and replay", async () => {
  const big = 18446744073709551615n; // uint64 max: no double holds it
  const mock = createMockQemu({ handlers: { "query-big": () => ({ size: big }) } });
  const [a, b] = createDuplexPair();
  mock.attach(b);
  const client = new RawClient(a);
  await client.next();
  await client.call({ execute: "qmp_capabilities" });
  assert.deepEqual(await client.call({ execute: "query-big" }), [{ return: { size: big } }]);
  assert.match(mock.recording(), /"size":18446744073709551615\}/);
  await mock.close();
  const replay = replayMockQemu(mock.recording());
  const [c, d] = createDuplexPair();
  replay.attach(d);
  const again = new RawClient(c);
  await again.next();
  await again.call({ execute: "qmp_capabilities" });
  assert.deepEqual(await again.call({ execute: "query-big" }), [{ return: { size: big } }]);
  await replay.close();
});

test("listens on a unix socket and a TCP port", async () => {
  const dir = mkdtempSync(join(tmpdir(), "qapi-ts-mock-"));
  const mock = createMockQemu(options);
  try {
    const unix = await mock.listen({ path: join(dir, "qmp.sock") });
    const tcp = await mock.listen({ port: 0 });
    for (const address of [unix, tcp]) {
      const socket = "path" in address ? connect(address.path) : connect(address.port, address.host);
      const client = new RawClient(socket);
      assert.ok("QMP" in (await client.next())!);
      assert.deepEqual(await client.call({ execute: "qmp_capabilities", id: 1 }), [{ return: {}, id: 1 }]);
      socket.destroy();
    }
  } finally {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
