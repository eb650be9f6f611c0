/**
 * The client against real qemu-system-x86_64 (Debian's 7.2) over every
 * transport: unix socket, TCP, TLS with x509 certificates, stdio, and listening
 * mode (QEMU connects to us); plus oob negotiation, exact 64-bit values, events,
 * launchQemu, QEMU killed with commands pending, and a second client on a
 * monitor that is busy with a first one.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import {
  connect,
  ConnectionError,
  GreetingError,
  InterruptedError,
  launchQemu,
  type QmpClient,
  type GenericCommandMap,
  type GenericEventMap,
} from "../../runtime/index.js";
import {
  bareMachineArgs,
  cleanupAll,
  exitOf,
  freePort,
  makeTempDir,
  makeTestPki,
  qemuSystem,
  retry,
  startProcess,
  waitForPath,
} from "./qemu-helpers.js";

after(cleanupAll);

type Client = QmpClient<GenericCommandMap, GenericEventMap>;

async function checkSession(client: Client): Promise<void> {
  assert.equal(client.greeting?.version.qemu.major, 7);
  const status = await client.execute("query-status");
  assert.equal(typeof status.running, "boolean");
  const version = await client.execute("query-version");
  assert.deepEqual(version.qemu, client.greeting?.version.qemu);
}

test("unix socket: greeting, oob negotiated, commands, errors, 2^64 - 1 sent and received unchanged", async () => {
  const dir = makeTempDir();
  const path = join(dir, "qmp.sock");
  const child = startProcess(qemuSystem, [...bareMachineArgs, "-qmp", `unix:${path},server=on,wait=off`]);
  await waitForPath(path, child);
  const client = await connect({ path, oob: true, waitForServer: 20_000 });
  await checkSession(client);
  assert.deepEqual(client.greeting?.capabilities, ["oob"]);
  assert.deepEqual(client.capabilities, ["oob"]);
  await assert.rejects(client.execute("no-such-command"), { name: "ExecuteError", errorClass: "CommandNotFound" });
  await client.execute("migrate-set-parameters", { "max-postcopy-bandwidth": 18446744073709551615n });
  const parameters = await client.execute("query-migrate-parameters");
  assert.equal(parameters["max-postcopy-bandwidth"], 18446744073709551615n);
  // migrate-pause allows oob: it goes as exec-oob and QEMU answers it (with an error outside postcopy).
  await assert.rejects(client.execute("migrate-pause"), /postcopy/);
  await client.close();
  child.kill("SIGKILL");
});

test("a second client on a monitor held by a first one: the greeting timeout says another client may hold it", async () => {
  const dir = makeTempDir();
  const path = join(dir, "busy.sock");
  const child = startProcess(qemuSystem, [...bareMachineArgs, "-qmp", `unix:${path},server=on,wait=off`]);
  await waitForPath(path, child);
  const first = await connect({ path, waitForServer: 20_000 });
  // QEMU accepts the second connection but serves one client at a time: no greeting comes.
  await assert.rejects(
    connect({ path, handshakeTimeout: 1_000 }),
    (e: unknown) =>
      e instanceof GreetingError &&
      /no QMP greeting within 1000 ms/.test(e.message) &&
      /another client may be holding it/.test(e.message),
  );
  assert.equal(typeof (await first.execute("query-status")).running, "boolean");
  await first.close();
  child.kill("SIGKILL");
});

test("a monitor with pretty=on: multi-line replies and events are read like single-line ones", async () => {
  const dir = makeTempDir();
  const path = join(dir, "pretty.sock");
  const child = startProcess(qemuSystem, [
    ...bareMachineArgs,
    "-chardev",
    `socket,id=mon0,path=${path},server=on,wait=off`,
    "-mon",
    "chardev=mon0,mode=control,pretty=on",
  ]);
  await waitForPath(path, child);
  const client = await connect({ path, waitForServer: 20_000 });
  await checkSession(client);
  const stop = client.waitFor("STOP", { timeout: 20_000 });
  await client.execute("stop");
  await stop;
  await client.close();
  child.kill("SIGKILL");
});

test("TCP: many pipelined commands with oob on respect the in-flight window and all resolve", async () => {
  const port = await freePort();
  const child = startProcess(qemuSystem, [...bareMachineArgs, "-qmp", `tcp:127.0.0.1:${port},server=on,wait=off`]);
  const client = await retry(() => connect({ host: "127.0.0.1", port, oob: true }), child);
  await checkSession(client);
  const results = await Promise.all(Array.from({ length: 200 }, () => client.execute("query-status")));
  assert.equal(results.length, 200);
  await client.close();
  child.kill("SIGKILL");
});

test("TLS: QEMU's tls-creds-x509 on the monitor socket, with client certificates", async () => {
  const pki = makeTestPki();
  const port = await freePort();
  const child = startProcess(qemuSystem, [
    ...bareMachineArgs,
    "-object",
    `tls-creds-x509,id=tls0,dir=${pki.dir},endpoint=server,verify-peer=on`,
    "-chardev",
    `socket,id=mon0,host=127.0.0.1,port=${port},server=on,wait=off,tls-creds=tls0`,
    "-mon",
    "chardev=mon0,mode=control",
  ]);
  const tls = { ca: readFileSync(pki.ca), cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) };
  const client = await retry(() => connect({ host: "127.0.0.1", port, tls }), child);
  await checkSession(client);
  await client.close();
  // Without our CA the server's certificate is refused.
  await assert.rejects(connect({ host: "127.0.0.1", port, tls: { cert: tls.cert, key: tls.key } }), ConnectionError);
  child.kill("SIGKILL");
});

test("stdio: a child started with -qmp stdio, through its stdout/stdin", async () => {
  const child = spawn(qemuSystem, [...bareMachineArgs, "-qmp", "stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  try {
    const client = await connect({ stream: { readable: child.stdout!, writable: child.stdin! } });
    await checkSession(client);
    const exited = exitOf(child);
    await client.execute("quit").catch(() => undefined); // QEMU may exit before its reply is read
    await exited;
    // QEMU's exit closes the stream, and with it the session.
    await client.closed;
    assert.equal(client.state, "closed");
  } finally {
    child.kill("SIGKILL");
  }
});

test("listening mode: QEMU started with -qmp unix:PATH (client) and -qmp tcp:HOST:PORT connects to us", async () => {
  const dir = makeTempDir();
  const path = join(dir, "listen.sock");
  let unixChild: ReturnType<typeof startProcess> | undefined;
  const viaUnix = await connect({
    listen: { path },
    onListening: () => (unixChild = startProcess(qemuSystem, [...bareMachineArgs, "-qmp", `unix:${path}`])),
  });
  await checkSession(viaUnix);
  await viaUnix.close();
  assert.equal(existsSync(path), false, "the listening socket is removed once the peer is accepted");
  unixChild?.kill("SIGKILL");

  let tcpChild: ReturnType<typeof startProcess> | undefined;
  const viaTcp = await connect({
    listen: { host: "127.0.0.1", port: 0 },
    onListening: (address) => {
      const port = (address as { port: number }).port;
      tcpChild = startProcess(qemuSystem, [...bareMachineArgs, "-qmp", `tcp:127.0.0.1:${port}`]);
    },
  });
  await checkSession(viaTcp);
  await viaTcp.close();
  tcpChild?.kill("SIGKILL");
});

test("listening mode with TLS: QEMU connects as a TLS client (tls-creds-x509 endpoint=client) and we check its certificate", async () => {
  const pki = makeTestPki();
  let child: ReturnType<typeof startProcess> | undefined;
  const tls = {
    key: readFileSync(join(pki.dir, "server-key.pem")),
    cert: readFileSync(join(pki.dir, "server-cert.pem")),
    ca: readFileSync(pki.ca),
    requestCert: true,
    rejectUnauthorized: true,
  };
  const client = await connect({
    listen: { host: "127.0.0.1", port: 0 },
    tls,
    onListening: (address) => {
      const port = (address as { port: number }).port;
      child = startProcess(qemuSystem, [
        ...bareMachineArgs,
        "-object",
        `tls-creds-x509,id=tls0,dir=${pki.dir},endpoint=client`,
        "-chardev",
        `socket,id=mon0,host=127.0.0.1,port=${port},tls-creds=tls0`,
        "-mon",
        "chardev=mon0,mode=control",
      ]);
    },
  });
  await checkSession(client);
  await client.close();
  child?.kill("SIGKILL");
});

test("events from a real VM: STOP and RESUME, waitFor armed before the command", async () => {
  const launched = await launchQemu<GenericCommandMap, GenericEventMap>({
    binary: qemuSystem,
    args: [...bareMachineArgs],
  });
  const client = launched.client;
  const stop = client.waitFor("STOP", { timeout: 20_000 });
  await client.execute("stop");
  assert.equal((await stop).event, "STOP");
  const resume = client.waitFor("RESUME", { timeout: 20_000 });
  await client.execute("cont");
  const event = await resume;
  assert.ok(event.timestamp.seconds > 0);
  await launched.close();
  assert.equal(existsSync(launched.dir), false);
  assert.notEqual(launched.process.exitCode ?? launched.process.signalCode, null);
});

test("QEMU killed with SIGKILL while commands are pending: every call rejects promptly", async () => {
  const launched = await launchQemu<GenericCommandMap, GenericEventMap>({
    binary: qemuSystem,
    args: [...bareMachineArgs],
  });
  const client = launched.client;
  // query-qmp-schema replies are large: with many in the pipe, some are surely pending at the kill.
  const calls = Array.from({ length: 300 }, () => client.execute("query-qmp-schema"));
  await calls[0];
  launched.process.kill("SIGKILL");
  const outcomes = await Promise.allSettled(calls);
  const rejected = outcomes.filter((o) => o.status === "rejected");
  assert.ok(rejected.length > 0, "some calls were still pending when QEMU died");
  for (const r of rejected) assert.ok((r as PromiseRejectedResult).reason instanceof InterruptedError);
  assert.ok((await client.closed) instanceof ConnectionError);
  await launched.close();
  assert.equal(existsSync(launched.dir), false);
});
