/**
 * Type-level tests of the committed QEMU SDK (generated/qemu): correct use
 * compiles, and every `@ts-expect-error` line must fail to compile — if one
 * stopped failing, tsc reports the unused directive and the build fails.
 * Compiled with the rest of the project; never run.
 */
import type { Int64 } from "../../runtime/index.js";
import {
  type BlockdevOptions,
  type Client,
  type StatusInfo,
  blockResize,
  deviceAdd,
  queryBlockstats,
  queryStatus,
} from "../../generated/qemu/index.js";

export async function typeLevelUsage(client: Client): Promise<void> {
  // Correct use.
  const status: StatusInfo = await client.execute("query-status");
  const running: boolean = (await queryStatus(client)).running;
  await client.execute("query-blockstats");
  await queryBlockstats(client, { "query-nodes": true });
  await client.execute("blockdev-del", { "node-name": "disk0" });
  await blockResize(client, { "node-name": "disk0", size: 2n ** 60n });
  const options: BlockdevOptions = { driver: "file", "node-name": "f0", filename: "/tmp/disk.img" };
  await client.execute("blockdev-add", options);
  client.on("BLOCK_JOB_COMPLETED", (data) => {
    const length: Int64 = data.len;
    const device: string = data.device;
    (void length, device);
  });
  (void status, running);
  // device_add ('gen': false) takes the device's properties beyond its declared members.
  await client.execute("device_add", { driver: "virtio-blk-pci", drive: "disk0", id: "vd0", bootindex: 1 });
  await deviceAdd(client, { driver: "virtio-blk-pci", drive: "disk0", id: "vd0", bootindex: 1 });

  // Unknown command.
  // @ts-expect-error
  await client.execute("no-such-command");
  // Arguments for a command that takes none.
  // @ts-expect-error
  await client.execute("query-status", {});
  // Missing required argument.
  // @ts-expect-error
  await client.execute("blockdev-del");
  // @ts-expect-error
  await client.execute("blockdev-del", {});
  // Wrong member type.
  // @ts-expect-error
  await client.execute("blockdev-del", { "node-name": 42 });
  // Unknown member.
  // @ts-expect-error
  await client.execute("blockdev-del", { "node-name": "x", nodeName: "x" });
  // device_add's declared members stay typed.
  // @ts-expect-error
  await client.execute("device_add", { driver: 42, drive: "disk0" });
  // @ts-expect-error
  await client.execute("device_add", { drive: "disk0" });
  // Wrong union branch: 'file' has no 'host', and needs 'filename'.
  // @ts-expect-error
  await client.execute("blockdev-add", { driver: "file", "node-name": "f0", host: "h" });
  // Wrong return type.
  // @ts-expect-error
  const wrong: number = (await queryStatus(client)).status;
  // Wrong event payload type.
  client.on("BLOCK_JOB_COMPLETED", (data) => {
    // @ts-expect-error
    const device: number = data.device;
    void device;
  });
  // Unknown event.
  // @ts-expect-error
  client.on("NO_SUCH_EVENT", () => {});
  void wrong;
}
