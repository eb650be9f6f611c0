/**
 * Example: the storage daemon — qemu-storage-daemon has block nodes and
 * exports but no guest; its QMP schema is the `qapi-ts/qsd` SDK.
 *
 * Adds a node, exports it over NBD on a unix socket, lists both, and stops.
 *
 *   node storage-daemon.js [/usr/bin/qemu-storage-daemon]
 */
import { join } from "node:path";
import { launchQemu } from "qapi-ts/runtime";
import { sdk, type CommandMap, type EventMap } from "qapi-ts/qsd";

const binary = process.argv[2] ?? "qemu-storage-daemon";
// validate "off" (the default): the SDK describes QEMU 10.2.2's daemon, whose replies have members an older
// daemon's lack (query-named-block-nodes' "active"); "lenient" would still count them missing.
const daemon = await launchQemu<CommandMap, EventMap>({ binary, sdk, validate: "off" });
const qmp = daemon.client;
try {
  await qmp.execute("blockdev-add", { driver: "null-co", "node-name": "disk0", size: 16 * 1024 * 1024 });
  // daemon.dir is the launch's temporary folder, removed at close: a good place for the NBD socket.
  const socket = join(daemon.dir, "nbd.sock");
  await qmp.execute("nbd-server-start", { addr: { type: "unix", data: { path: socket } } });
  await qmp.execute("block-export-add", { type: "nbd", id: "export0", "node-name": "disk0", name: "disk0" });

  const nodes = await qmp.execute("query-named-block-nodes");
  console.log("nodes:", nodes.map((node) => `${node["node-name"]} (${node.drv})`).join(", "));
  const exports = await qmp.execute("query-block-exports");
  console.log("exports:", exports.map((e) => `${e.id} of ${e["node-name"]} (${e.type})`).join(", "));
  console.log(`NBD clients can connect to nbd+unix:///disk0?socket=${socket}`);
} finally {
  await daemon.close();
}
