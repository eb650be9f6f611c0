/**
 * The project's real client (runtime/) with the generated QEMU 10.2.2 SDK
 * talks to the mock server: typed handlers and events, strict validation on
 * both ends, error replies, out-of-band calls, and a replay of the recording.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ExecuteError, connectWith } from "../../runtime/index.js";
import { createDuplexPair, createMockQemu, MockCommandError, replayMockQemu } from "../../runtime/mock/index.js";
import { sdk, type Client, type CommandMap, type EventMap } from "../../generated/qemu/index.js";

function serve() {
  return createMockQemu<CommandMap, EventMap>({
    sdk,
    handlers: {
      "query-status": () => ({ running: true, status: "running" }),
      "query-name": () => ({ name: "vm1" }),
      stop: (_args, context) => context.emitAfterReply("STOP"),
      device_del: ({ id }) => {
        throw new MockCommandError("DeviceNotFound", `Device '${id}' not found`);
      },
      "migrate-pause": () => ({}),
    },
  });
}

async function open(mock: ReturnType<typeof serve> | ReturnType<typeof replayMockQemu>): Promise<Client> {
  const [clientSide, serverSide] = createDuplexPair();
  mock.attach(serverSide);
  return connectWith<CommandMap, EventMap>(sdk, { stream: clientSide, validate: "strict", oob: true });
}

test("the runtime client and the mock agree on QMP, and the recording replays", async () => {
  const mock = serve();
  const client = await open(mock);
  assert.deepEqual(client.greeting?.capabilities, ["oob"]);
  assert.deepEqual(await client.execute("query-status"), { running: true, status: "running" });
  const stopped = client.waitFor("STOP");
  assert.deepEqual(await client.execute("stop"), {});
  assert.equal((await stopped).event, "STOP");
  await assert.rejects(client.execute("device_del", { id: "disk0" }), (error: unknown) => {
    assert.ok(error instanceof ExecuteError);
    assert.equal(error.errorClass, "DeviceNotFound");
    return true;
  });
  // migrate-pause allows oob in 10.2.2; the client sends it as exec-oob when asked.
  assert.deepEqual(await client.executeWith("migrate-pause", undefined, { oob: true }), {});
  assert.ok(mock.log.some((m) => m["exec-oob"] === "migrate-pause"));
  assert.deepEqual(mock.problems, []);
  await client.close();
  await mock.close();

  // The same calls against the replayed recording give the same answers.
  const replay = replayMockQemu(mock.recording());
  const again = await open(replay);
  assert.deepEqual(await again.execute("query-status"), { running: true, status: "running" });
  const stoppedAgain = again.waitFor("STOP");
  await again.execute("stop");
  await stoppedAgain;
  await assert.rejects(again.execute("device_del", { id: "disk0" }), ExecuteError);
  assert.deepEqual(replay.problems, []);
  await again.close();
  await replay.close();
});

test("the mock rejects what a strict QEMU rejects, even when the client does not check", async () => {
  const mock = serve();
  const [clientSide, serverSide] = createDuplexPair();
  mock.attach(serverSide);
  const client = await connectWith<CommandMap, EventMap>(sdk, { stream: clientSide, validate: "off" });
  await assert.rejects(client.execute("device_del", { id: "d", force: true } as never), (error: unknown) => {
    assert.ok(error instanceof ExecuteError);
    assert.equal(error.errorClass, "GenericError");
    return true;
  });
  await assert.rejects(client.execute("query-cpus-fast"), (error: unknown) => {
    assert.ok(error instanceof ExecuteError);
    assert.equal(error.errorClass, "CommandNotFound");
    return true;
  });
  await client.close();
  await mock.close();
});

/** Never called: the compiler checks that `emit` and handlers are typed by the SDK's maps. */
export function typedMockChecks(mock: ReturnType<typeof serve>): void {
  mock.emit("POWERDOWN");
  mock.emit("SHUTDOWN", { guest: true, reason: "guest-shutdown" });
  // @ts-expect-error SHUTDOWN carries data
  mock.emit("SHUTDOWN");
  // @ts-expect-error 'reason' must be a ShutdownCause
  mock.emit("SHUTDOWN", { guest: true, reason: "bored" });
  // @ts-expect-error no such event
  mock.emit("NO_SUCH_EVENT");
  createMockQemu<CommandMap, EventMap>({
    // @ts-expect-error query-status returns a StatusInfo, not a string
    handlers: { "query-status": () => "running" },
  });
}

test("typed events reach the client, checked against the SDK", async () => {
  const mock = serve();
  const client = await open(mock);
  const shutdown = client.waitFor("SHUTDOWN");
  assert.equal(mock.emit("SHUTDOWN", { guest: true, reason: "guest-shutdown" }), 1);
  assert.deepEqual((await shutdown).data, { guest: true, reason: "guest-shutdown" });
  assert.throws(() => mock.emit("SHUTDOWN", { guest: true } as never), /mock\.emit\("SHUTDOWN"\)/);
  assert.equal(typeof typedMockChecks, "function");
  await client.close();
  await mock.close();
});

test("the mock module's own example: a scripted event after a command that has no handler", async () => {
  const mock = createMockQemu<CommandMap, EventMap>({
    sdk,
    handlers: { "query-status": () => ({ running: true, status: "running" }) },
    events: [{ event: "RESUME", after: "cont" }],
  });
  const client = await open(mock);
  const resumed = client.waitFor("RESUME");
  assert.deepEqual(await client.execute("cont"), {});
  assert.equal((await resumed).event, "RESUME");
  const listed = (await client.execute("query-commands")).map((c) => c.name);
  assert.ok(listed.includes("cont"), `query-commands lists the trigger: ${listed.join(", ")}`);
  // Commands neither handled nor triggering anything stay unknown.
  await assert.rejects(
    client.execute("stop"),
    (error: unknown) => error instanceof ExecuteError && error.errorClass === "CommandNotFound",
  );
  assert.deepEqual(mock.problems, []);
  await client.close();
  await mock.close();
});

test("the mock takes device_add with device properties ('gen': false), and refuses a bad declared member", async () => {
  const mock = createMockQemu<CommandMap, EventMap>({ sdk, handlers: { device_add: () => ({}) } });
  const [clientSide, serverSide] = createDuplexPair();
  mock.attach(serverSide);
  const client = await connectWith<CommandMap, EventMap>(sdk, { stream: clientSide, validate: "off" });
  assert.deepEqual(
    await client.execute("device_add", { driver: "virtio-blk-pci", drive: "disk0", id: "vd0", bootindex: 1 }),
    {},
  );
  await assert.rejects(client.execute("device_add", { driver: 1 as unknown as string }), (error: unknown) => {
    assert.ok(error instanceof ExecuteError);
    assert.match(error.desc, /\$\.arguments\.driver/);
    return true;
  });
  assert.deepEqual(mock.problems, []);
  await client.close();
  await mock.close();
});
