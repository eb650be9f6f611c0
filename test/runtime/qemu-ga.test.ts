/**
 * The client in guest agent mode against a real qemu-ga (Debian's 7.2)
 * listening on a unix socket on the host: no greeting, 0xFF resync and
 * guest-sync-delimited, commands, and stale output of an earlier client that
 * left without reading its replies.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { connect as netConnect } from "node:net";
import { join } from "node:path";
import { connectWith, genericGuestAgentSdk, type GenericCommandMap, type GenericEventMap, type QmpDiagnostic } from "../../runtime/index.js";
import { connect as connectGuestAgent } from "../../generated/qga/index.js";
import { cleanupAll, makeTempDir, qemuGa, startProcess, waitForPath } from "./qemu-helpers.js";

after(cleanupAll);

async function startAgent(): Promise<string> {
  const dir = makeTempDir();
  const path = join(dir, "qga.sock");
  // -t: state directory in our temp dir, so no root-only path is touched.
  const child = startProcess(qemuGa, ["-m", "unix-listen", "-p", path, "-t", dir]);
  await waitForPath(path, child);
  return path;
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
      socket.write('{"execute":"guest-info","id":1}\n{"execute":"guest-ping","id":2}\n{"execute":"guest-pi', () => setTimeout(() => (socket.destroy(), resolve()), 100));
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
  assert.deepEqual(diagnostics.filter((d) => d.kind !== "validation-notice"), []);
  await client.close();
});
