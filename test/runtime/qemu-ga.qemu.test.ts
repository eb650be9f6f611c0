/**
 * The client in guest agent mode against a real qemu-ga (Debian's 7.2)
 * listening on a unix socket on the host: no greeting, 0xFF resync and
 * guest-sync-delimited, commands, stale output of an earlier client that
 * left without reading its replies, an agent stopped (SIGSTOP) for seconds
 * during connect and during resync(), and a refused no-reply command.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { connect as netConnect } from "node:net";
import type { ChildProcess } from "node:child_process";
import {
  connectWith,
  ExecuteError,
  genericGuestAgentSdk,
  type GenericCommandMap,
  type GenericEventMap,
  type QmpDiagnostic,
} from "../../runtime/index.js";
import { connect as connectGuestAgent } from "../../generated/qga/index.js";
import { cleanupAll, startGuestAgent } from "./qemu-helpers.js";

after(cleanupAll);

/** Starts qemu-ga on a unix socket (qemu-helpers.ts: shutdown and suspend disabled). */
const startAgentProcess = () => startGuestAgent();

async function startAgent(): Promise<string> {
  return (await startAgentProcess()).path;
}

/** Stops the agent now and lets it go on after `ms`: it answers nothing meanwhile, then everything at once. */
function stopFor(child: ChildProcess, ms: number): Promise<void> {
  child.kill("SIGSTOP");
  return new Promise((resolve) => setTimeout(() => (child.kill("SIGCONT"), resolve()), ms));
}

test("qemu-ga: sync, then commands with ids", async () => {
  const path = await startAgent();
  const client = await connectWith<GenericCommandMap, GenericEventMap>(genericGuestAgentSdk, { path });
  assert.equal(client.protocol, "qga");
  assert.equal(client.greeting, undefined);
  assert.deepEqual(await client.execute("guest-ping"), {});
  const info = await client.execute("guest-info");
  assert.equal(typeof info.version, "string");
  await assert.rejects(client.execute("guest-no-such-thing"), { name: "ExecuteError", errorClass: "CommandNotFound" });
  await client.resync();
  assert.deepEqual(await client.execute("guest-ping"), {});
  await client.close();
});

test("qemu-ga: output an earlier client never read, and its half-sent command, are discarded", async () => {
  const path = await startAgent();
  // An earlier client sends commands, leaves half a command behind and goes without reading.
  await new Promise<void>((resolve, reject) => {
    const socket = netConnect(path, () => {
      socket.write('{"execute":"guest-info","id":1}\n{"execute":"guest-ping","id":2}\n{"execute":"guest-pi', () =>
        setTimeout(() => (socket.destroy(), resolve()), 100),
      );
    });
    socket.on("error", reject);
  });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(genericGuestAgentSdk, { path });
  const osinfo = await client.execute("guest-get-osinfo");
  assert.equal(typeof osinfo["kernel-release"], "string");
  await client.close();
});

test("qemu-ga with the typed qga SDK: guest agent mode from the descriptor, replies validated leniently", async () => {
  const path = await startAgent();
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connectGuestAgent({ path, validate: "lenient", onDiagnostic: (d) => diagnostics.push(d) });
  assert.equal(client.protocol, "qga");
  const info = await client.execute("guest-info");
  assert.ok(info.supported_commands.some((c) => c.name === "guest-ping"));
  const time = await client.execute("guest-get-time");
  // Nanoseconds since the epoch exceed 2^53: the lossless reader keeps them exact.
  assert.equal(typeof time, "bigint");
  // The 10.2.2 schema knows everything a 7.2 agent says: at most notices, never errors.
  // (The one other line: Debian's 7.2.22 agent counts as 7.2.15, the history's newest 7.2.)
  assert.deepEqual(
    diagnostics.filter((d) => d.kind !== "validation-notice" && d.kind !== "server-release"),
    [],
  );
  assert.match(diagnostics.find((d) => d.kind === "server-release")?.message ?? "", /checked as 7\.2\.15/);
  await client.close();
});

test("qemu-ga stopped for 4 s while connecting: the abandoned sync attempt's answers are dropped, the session works", async () => {
  const { path, child } = await startAgentProcess();
  const diagnostics: QmpDiagnostic[] = [];
  const resumed = stopFor(child, 4_000);
  // One attempt (3 s) times out; the agent then answers it, with an id-less error for each of our 0xFF bytes.
  const client = await connectWith<GenericCommandMap, GenericEventMap>(genericGuestAgentSdk, {
    path,
    onDiagnostic: (d) => diagnostics.push(d),
  });
  await resumed;
  assert.deepEqual(await client.execute("guest-ping"), {});
  assert.equal(client.state, "running");
  const kinds = new Set(diagnostics.map((d) => d.kind));
  assert.ok(kinds.has("late-reply"), "the abandoned attempt was answered late");
  assert.ok(kinds.has("stale-output"), "the agent's id-less errors about our 0xFF bytes were seen and dropped");
  await client.close();
});

test("qemu-ga stopped for 4 s during resync(): the session survives and the next command works", async () => {
  const { path, child } = await startAgentProcess();
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connectWith<GenericCommandMap, GenericEventMap>(genericGuestAgentSdk, {
    path,
    onDiagnostic: (d) => diagnostics.push(d),
  });
  const resumed = stopFor(child, 4_000);
  await client.resync();
  await resumed;
  assert.deepEqual(await client.execute("guest-ping"), {});
  assert.equal(typeof (await client.execute("guest-info")).version, "string");
  assert.ok(diagnostics.some((d) => d.kind === "stale-output"));
  await client.close();
});

test("qemu-ga: a refused no-reply command (guest-shutdown blocked with -b) rejects with the agent's error", async () => {
  const path = await startAgent();
  const client = await connectWith<GenericCommandMap, GenericEventMap>(genericGuestAgentSdk, { path });
  await assert.rejects(
    client.execute("guest-shutdown"),
    (e: unknown) => e instanceof ExecuteError && e.errorClass === "CommandNotFound" && e.command === "guest-shutdown",
  );
  assert.deepEqual(await client.execute("guest-ping"), {});
  await client.close();
});
