/**
 * `qapi-ts proxy` against a real QEMU 7.2: three clients at once (a program
 * using the typed SDK, `qapi-ts shell -c`, and a raw socket client choosing
 * its own ids: strings, objects, none), each getting its own replies; every
 * event reaching every client; an out-of-band command overtaking an in-band
 * one that blocks QEMU's main loop (a blockdev-add opening a FIFO nobody
 * writes to); a client leaving mid-command; the socket's mode; the upstream's
 * loss passed on as each client's disconnect; and the library with `await using`
 * surviving a QEMU restart with `reconnect`.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { openSync, closeSync, statSync } from "node:fs";
import { connect as netConnect, type Socket } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { connect } from "../../generated/qemu/index.js";
import { parseJson, stringifyJson } from "../../runtime/index.js";
import { startProxy } from "../../runtime/proxy.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";
import {
  bareMachineArgs,
  cleanupAll,
  exitOf,
  makeTempDir,
  qemuSystem,
  startProcess,
  waitForPath,
} from "./qemu-helpers.js";

after(cleanupAll);

const cli = join(repoRoot, "bin/qapi-ts");

async function startQemu(path: string) {
  const child = startProcess(qemuSystem, [...bareMachineArgs, "-qmp", `unix:${path},server=on,wait=off`]);
  await waitForPath(path, child);
  return child;
}

/** A raw client: lines in, parsed messages out, `next(predicate)` waits for one. */
function rawClient(path: string) {
  const socket: Socket = netConnect(path);
  const messages: Record<string, unknown>[] = [];
  const waiters: { test: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] =
    [];
  let buffered = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    let end;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, end).trim();
      buffered = buffered.slice(end + 1);
      if (!line) continue;
      const message = parseJson(line) as Record<string, unknown>;
      messages.push(message);
      for (const waiter of waiters.filter((w) => w.test(message))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return {
    socket,
    messages,
    closed,
    send: (message: object) => socket.write(stringifyJson(message) + "\n"),
    next: (predicate: (m: Record<string, unknown>) => boolean) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const seen = messages.find(predicate);
        if (seen) return resolve(seen);
        waiters.push({ test: predicate, resolve });
      }),
  };
}

const withId = (id: unknown) => (m: Record<string, unknown>) =>
  Object.hasOwn(m, "id") && stringifyJson(m.id) === stringifyJson(id);

test("qapi-ts proxy: a program, the shell and a raw client share one QEMU monitor", async () => {
  const dir = makeTempDir();
  const qmp = join(dir, "qmp.sock");
  const shared = join(dir, "shared.sock");
  const qemu = await startQemu(qmp);
  const proxy = startProcess(process.execPath, [
    cli,
    "proxy",
    "--connect",
    `unix:${qmp}`,
    "--listen",
    `unix:${shared}`,
  ]);
  await waitForPath(shared, proxy);
  assert.equal(statSync(shared).mode & 0o777, 0o600, "owner-only socket");

  // 1. A program with the typed SDK, oob negotiated through the proxy.
  const program = await connect({ path: shared, oob: true, validate: "strict" });
  assert.equal(program.greeting?.version.qemu.major, 7);
  assert.deepEqual(program.capabilities, ["oob"]);
  const programEvents: string[] = [];
  program.on("*", (_data, event) => programEvents.push(event.event));

  // 2. A raw client with ids of its own: they collide with the program's numbers on purpose.
  const raw = rawClient(shared);
  const greeting = await raw.next((m) => Object.hasOwn(m, "QMP"));
  assert.deepEqual((greeting.QMP as { capabilities: string[] }).capabilities, ["oob"]);
  raw.send({ execute: "query-status", id: "early" }); // before negotiation: refused, as QEMU would
  assert.equal(((await raw.next(withId("early"))).error as { class: string }).class, "CommandNotFound");
  raw.send({ execute: "qmp_capabilities", arguments: { enable: ["oob"] }, id: "neg" });
  assert.deepEqual(await raw.next(withId("neg")), { return: {}, id: "neg" });
  const ids: unknown[] = [1, 2, "three", { four: [4] }, 2n ** 53n + 1n]; // the last one no double can hold;
  for (const id of ids) raw.send({ execute: "query-name", id });
  const replies = await Promise.all([
    ...ids.map((id) => raw.next(withId(id))),
    program.execute("query-status"),
    program.execute("query-name"),
  ]);
  for (const [i, id] of ids.entries()) assert.deepEqual(replies[i], { return: {}, id });
  assert.equal(typeof (replies[ids.length] as { running: boolean }).running, "boolean");
  raw.send({ execute: "no-such-command", id: "bad" });
  assert.equal(((await raw.next(withId("bad"))).error as { class: string }).class, "CommandNotFound");
  // Garbage and broken JSON get an id-less error, as from QEMU, and the client goes on.
  const before = raw.messages.length;
  raw.socket.write('this is not json\n{"execute": "query-name", "id": "x" oops}\n');
  raw.send({ execute: "query-name", id: "after-garbage" });
  assert.deepEqual(await raw.next(withId("after-garbage")), { return: {}, id: "after-garbage" });
  const parseErrors = raw.messages.slice(before).filter((m) => Object.hasOwn(m, "error") && !Object.hasOwn(m, "id"));
  assert.equal(parseErrors.length, 2, JSON.stringify(parseErrors));
  for (const m of parseErrors) assert.match((m.error as { desc: string }).desc, /^JSON parse error, /);

  // 3. The shell, through the same proxy, while the others are connected: its `stop` is seen by all.
  const stopped = program.waitFor("STOP");
  const shell = await promisify(execFile)(process.execPath, [
    cli,
    "shell",
    "--connect",
    `unix:${shared}`,
    "-c",
    "query-status",
    "-c",
    "stop",
  ]);
  assert.match(shell.stdout, /running/);
  assert.match(shell.stdout, /^event STOP /m, "the shell got the event of its own stop through the proxy");
  await stopped;
  await raw.next((m) => m.event === "STOP");

  // 4. Out-of-band overtakes in-band: blockdev-add opens a FIFO for reading, which blocks QEMU's
  // main loop until someone opens it for writing; query-yank (allow-oob) answers meanwhile.
  const fifo = join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  let slowDone = false;
  const slow = program
    .execute("blockdev-add", { driver: "file", "node-name": "fifo0", filename: fifo, "read-only": true })
    .then(
      () => "ok",
      (e: Error) => e.name,
    )
    .finally(() => (slowDone = true));
  // A raw client that sends a command behind the blocked one and leaves before its reply.
  const leaver = rawClient(shared);
  await leaver.next((m) => Object.hasOwn(m, "QMP"));
  leaver.send({ execute: "qmp_capabilities", id: 0 });
  await leaver.next(withId(0));
  leaver.send({ execute: "query-status", id: 1 });
  leaver.socket.destroy();
  await leaver.closed;

  assert.deepEqual(await program.executeWith("query-yank", undefined, { oob: true }), [
    { type: "chardev", id: "compat_monitor0" },
  ]);
  raw.send({ "exec-oob": "query-yank", id: "oob" });
  assert.ok(Array.isArray((await raw.next(withId("oob"))).return));
  assert.equal(slowDone, false, "the in-band blockdev-add is still blocked");
  closeSync(openSync(fifo, "w")); // QEMU's open returns
  assert.ok(["ok", "ExecuteError"].includes(await slow));

  // 5. The others go on after the leaver: replies and events.
  assert.equal((await program.execute("query-status")).status, "paused");
  const resumed = program.waitFor("RESUME");
  raw.send({ execute: "cont", id: ["after"] });
  assert.deepEqual(await raw.next(withId(["after"])), { return: {}, id: ["after"] });
  await raw.next((m) => m.event === "RESUME");
  await resumed;
  assert.ok(programEvents.includes("STOP") && programEvents.includes("RESUME"), programEvents.join());

  // 6. The upstream's loss is each client's disconnect, and the proxy (no --reconnect) exits.
  qemu.kill("SIGKILL");
  await raw.closed;
  assert.ok((await program.closed) instanceof Error);
  await exitOf(proxy);
  assert.equal(proxy.exitCode, 1);
  assert.match(proxy.stderrText(), /the monitor is gone/);
});

test("startProxy with reconnect survives a QEMU restart; await using closes it", async () => {
  const dir = makeTempDir();
  const qmp = join(dir, "qmp.sock");
  const shared = join(dir, "shared.sock");
  let qemu = await startQemu(qmp);
  {
    await using proxy = await startProxy({
      connect: { path: qmp, reconnect: { initialDelay: 20, maxDelay: 200 } },
      listen: { path: shared },
    });
    const first = await connect({ path: shared });
    const reconnected = new Promise((resolve) =>
      proxy.upstream.onConnectionEvent((e) => e.kind === "reconnected" && resolve(e)),
    );
    qemu.kill("SIGKILL");
    assert.ok((await first.closed) instanceof Error, "the client of the lost QEMU is disconnected");
    qemu = await startQemu(qmp);
    await reconnected;
    const second = await connect({ path: shared, waitForServer: 5_000 });
    assert.equal((await second.execute("query-status")).status, "running");
    assert.equal(proxy.clientCount, 1);
    await second.close();
  }
  // Disposed: the socket file is gone and nothing listens.
  assert.throws(() => statSync(shared), { code: "ENOENT" });
  qemu.kill("SIGKILL");
});
