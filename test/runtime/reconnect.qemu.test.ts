/**
 * Reconnecting clients against real programs (Debian's 7.2): QEMU killed under
 * a client with a call in flight and a new QEMU started on the same socket;
 * a mock announcing 10.2.2 replaced by the real QEMU 7.2 (a different release
 * behind the socket: only 7.2 binaries are installed, so the mock plays the
 * other release); qemu-storage-daemon restarted; qemu-ga restarted (the client
 * synchronises again). The offline counterpart is reconnect.test.ts.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { connect } from "../../generated/qemu/index.js";
import { connect as connectQsd } from "../../generated/qsd/index.js";
import { connect as connectQga } from "../../generated/qga/index.js";
import { ConnectionError, ConnectionLostError, ValidationError, type ConnectionEvent } from "../../runtime/index.js";
import { createMockQemu } from "../../runtime/mock/index.js";
import {
  bareMachineArgs,
  cleanupAll,
  exitOf,
  makeTempDir,
  qemuGa,
  qemuStorageDaemon,
  qemuSystem,
  startProcess,
  waitForPath,
} from "./qemu-helpers.js";

/** Reconnecting clients try forever: a failed test must not leave one keeping the file alive. */
const opened: { close(): Promise<void> }[] = [];
function kept<T extends { close(): Promise<void> }>(client: T): T {
  opened.push(client);
  return client;
}
after(async () => {
  await Promise.all(opened.map((client) => client.close()));
  await cleanupAll();
});

const backoff = { initialDelay: 20, maxDelay: 200 };

async function startQemu(path: string): Promise<ChildProcess> {
  const child = startProcess(qemuSystem, [...bareMachineArgs, "-qmp", `unix:${path},server=on,wait=off`]);
  await waitForPath(path, child);
  return child;
}

/** Collects connection events; `next(kind)` resolves at the next event of that kind. */
function watch(client: { onConnectionEvent(listener: (event: ConnectionEvent) => void): () => void }) {
  const seen: ConnectionEvent[] = [];
  const waiters: { kind: string; resolve: (event: ConnectionEvent) => void }[] = [];
  client.onConnectionEvent((event) => {
    seen.push(event);
    for (const waiter of waiters.filter((w) => w.kind === event.kind)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  return {
    seen,
    next: (kind: ConnectionEvent["kind"]) => new Promise<ConnectionEvent>((resolve) => waiters.push({ kind, resolve })),
  };
}

test("QEMU killed under a reconnecting client, a new QEMU on the same socket: lost calls, events go on", async () => {
  const dir = makeTempDir();
  const path = join(dir, "qmp.sock");
  let qemu = await startQemu(path);
  const client = kept(await connect({ path, validate: "strict", reconnect: backoff }));
  const events = watch(client);
  const stops: string[] = [];
  client.on("STOP", (_data, event) => stops.push(String(event.timestamp.seconds)));
  const iterator = client.events("STOP");
  const waited = client.waitFor("STOP");

  // A call in flight when QEMU dies: QEMU is stopped so it cannot answer, then killed.
  qemu.kill("SIGSTOP");
  const inFlight = assert.rejects(
    client.execute("query-status"),
    (e: unknown) => e instanceof ConnectionLostError && e.command === "query-status" && /not resent/.test(e.message),
  );
  const disconnected = events.next("disconnected");
  const reconnected = events.next("reconnected");
  qemu.kill("SIGKILL");
  await exitOf(qemu);
  await inFlight;
  const lost = await disconnected;
  assert.equal(lost.kind, "disconnected");
  // The server closed the connection, or the socket failed first (ECONNRESET, EPIPE): either way a ConnectionError.
  assert.ok((lost as { reason: Error }).reason instanceof ConnectionError, String((lost as { reason: Error }).reason));
  assert.equal(client.state, "reconnecting");

  qemu = await startQemu(path);
  const back = await reconnected;
  assert.equal(back.kind, "reconnected");
  assert.ok((back as { attempt: number }).attempt >= 1);
  assert.equal(client.state, "running");
  assert.equal(client.greeting?.version.qemu.major, 7);

  // Subscriptions made before the restart receive the new QEMU's event.
  await client.execute("stop");
  const event = await waited;
  assert.equal(event.event, "STOP");
  const first = await iterator.next();
  assert.equal(first.value?.event, "STOP");
  assert.equal(stops.length, 1);
  assert.deepEqual(await client.execute("query-status"), { running: false, singlestep: false, status: "paused" });
  await client.close();
  assert.equal(client.state, "closed");
  assert.equal((await iterator.next()).done, true, "close ends the iterator");
  qemu.kill("SIGKILL");
});

test("a different release behind the socket: validation follows the new server (mock 10.2.2, then QEMU 7.2)", async () => {
  const dir = makeTempDir();
  const path = join(dir, "qmp.sock");
  const mock = createMockQemu({
    greeting: { version: { qemu: { major: 10, minor: 2, micro: 2 }, package: "mock" } },
    handlers: { "query-machines": () => [] },
  });
  await mock.listen({ path });
  const client = kept(await connect({ path, validate: "strict", reconnect: backoff }));
  const events = watch(client);
  const resumed = client.waitFor("RESUME");
  assert.equal(client.greeting?.version.qemu.major, 10);
  // compat-props came in 9.1: 10.2.2 has it, 7.2 does not.
  assert.deepEqual(await client.execute("query-machines", { "compat-props": true }), []);

  const reconnected = events.next("reconnected");
  await mock.close();
  const qemu = await startQemu(path);
  await reconnected;
  assert.equal(client.greeting?.version.qemu.major, 7);
  await assert.rejects(
    client.execute("query-machines", { "compat-props": true }),
    (e: unknown) => e instanceof ValidationError && e.path === '$.arguments["compat-props"]',
  );
  // 7.2's own query-status (with singlestep, which 10.2.2 dropped) is accepted in strict mode.
  assert.deepEqual(await client.execute("query-status"), { status: "running", singlestep: false, running: true });
  await client.execute("stop");
  await client.execute("cont");
  assert.equal((await resumed).event, "RESUME");
  await client.close();
  qemu.kill("SIGKILL");
});

test("qemu-storage-daemon restarted under a reconnecting client", async () => {
  const dir = makeTempDir();
  const path = join(dir, "qsd.sock");
  const start = async (n: number) => {
    const pid = join(dir, `pid${n}`);
    const child = startProcess(qemuStorageDaemon, [
      "--chardev",
      `socket,id=m0,path=${path},server=on,wait=off`,
      "--monitor",
      "chardev=m0",
      "--pidfile",
      pid,
    ]);
    await waitForPath(pid, child); // written once start-up is complete
    return child;
  };
  let daemon = await start(1);
  const client = kept(await connectQsd({ path, validate: "strict", reconnect: backoff }));
  const events = watch(client);
  await client.execute("blockdev-add", { driver: "null-co", "node-name": "before", size: 1 << 20 });
  const reconnected = events.next("reconnected");
  daemon.kill("SIGKILL");
  await exitOf(daemon);
  daemon = await start(2);
  await reconnected;
  // A new daemon: the node of the old one is gone, and the session works.
  const nodes = await client.execute("query-named-block-nodes", { flat: true });
  assert.deepEqual(nodes, []);
  await client.execute("blockdev-add", { driver: "null-co", "node-name": "after", size: 1 << 20 });
  await client.close();
  daemon.kill("SIGKILL");
});

test("qemu-ga restarted: the client synchronises with the new agent", async () => {
  const dir = makeTempDir();
  const path = join(dir, "qga.sock");
  const start = async () => {
    const child = startProcess(qemuGa, ["-m", "unix-listen", "-p", path, "-t", dir, "-b", "guest-shutdown"]);
    await waitForPath(path, child);
    return child;
  };
  let agent = await start();
  const client = kept(await connectQga({ path, validate: "strict", reconnect: backoff }));
  const events = watch(client);
  const before = await client.execute("guest-info");
  const reconnected = events.next("reconnected");
  agent.kill("SIGKILL");
  await exitOf(agent);
  agent = await start();
  const back = await reconnected;
  assert.equal((back as { greeting: unknown }).greeting, undefined, "the guest agent sends no greeting");
  assert.deepEqual(await client.execute("guest-ping"), {});
  assert.equal((await client.execute("guest-info")).version, before.version);
  await client.close();
  agent.kill("SIGKILL");
});
