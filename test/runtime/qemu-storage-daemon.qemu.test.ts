/**
 * The client against real qemu-storage-daemon (Debian's 7.2): a monitor given
 * with `--chardev socket,... --monitor`, both as a server we connect to and via
 * launchQemu; block nodes created and queried over QMP.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { connect, launchQemu, type GenericCommandMap, type GenericEventMap } from "../../runtime/index.js";
import { connect as connectQsd } from "../../generated/qsd/index.js";
import { cleanupAll, makeTempDir, qemuStorageDaemon, startProcess, waitForPath } from "./qemu-helpers.js";

after(cleanupAll);

test("qemu-storage-daemon: --chardev socket,server=on + --monitor, block nodes over QMP", async () => {
  const dir = makeTempDir();
  const path = join(dir, "qsd.sock");
  const child = startProcess(qemuStorageDaemon, [
    "--chardev",
    `socket,id=m0,path=${path},server=on,wait=off`,
    "--monitor",
    "chardev=m0",
    "--pidfile",
    join(dir, "pid"),
  ]);
  // The daemon writes its pidfile once start-up is complete. A client that connects earlier,
  // as soon as the socket exists, was seen (1 in ~60 runs under load) to get no reply to
  // qmp_capabilities or to be disconnected by the daemon.
  await waitForPath(join(dir, "pid"), child);
  const client = await connect({ path, oob: true });
  assert.equal(client.greeting?.version.qemu.major, 7);
  await client.execute("blockdev-add", { driver: "null-co", "node-name": "disk0", size: 1 << 20 });
  const nodes = await client.execute("query-named-block-nodes", { flat: true });
  assert.deepEqual(
    nodes.map((n: { "node-name": string }) => n["node-name"]),
    ["disk0"],
  );
  await assert.rejects(client.execute("blockdev-add", { driver: "null-co", "node-name": "disk0" }), {
    name: "ExecuteError",
    errorClass: "GenericError",
  });
  await client.close();
  child.kill("SIGKILL");
});

test("qemu-storage-daemon via launchQemu: the monitor is added in the daemon's own syntax", async () => {
  const launched = await launchQemu<GenericCommandMap, GenericEventMap>({
    binary: qemuStorageDaemon,
    args: ["--blockdev", "null-co,node-name=n0,size=4096"],
  });
  const nodes = await launched.client.execute("query-named-block-nodes");
  assert.equal(nodes[0]["node-name"], "n0");
  await launched.close();
  const exit = await launched.exited;
  assert.ok(exit.code === 0 || exit.signal !== null);
});

test("qemu-storage-daemon with the typed qsd SDK: arguments checked strictly before sending", async () => {
  const dir = makeTempDir();
  const path = join(dir, "qsd-typed.sock");
  const child = startProcess(qemuStorageDaemon, [
    "--chardev",
    `socket,id=m0,path=${path},server=on,wait=off`,
    "--monitor",
    "chardev=m0",
    "--pidfile",
    join(dir, "pid"),
  ]);
  await waitForPath(join(dir, "pid"), child); // ready once start-up is complete (see above)
  const client = await connectQsd({ path });
  await client.executeWith(
    "blockdev-add",
    { driver: "null-co", "node-name": "typed0", size: 4096 },
    { validate: "strict" },
  );
  const nodes = await client.execute("query-named-block-nodes", { flat: true });
  assert.equal(nodes[0]?.["node-name"], "typed0");
  assert.equal(nodes[0]?.drv, "null-co");
  // A member the schema does not know is refused here, before QEMU sees it.
  const refused = await client
    .executeWith("blockdev-add", { driver: "null-co", "node-name": "typed1", "no-such-member": true } as never, {
      validate: "strict",
    })
    .catch((e: unknown) => e);
  assert.equal((refused as Error).name, "ValidationError");
  await client.close();
  child.kill("SIGKILL");
});
