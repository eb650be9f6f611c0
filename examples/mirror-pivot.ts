/**
 * Example: mirror a disk to a new node while the VM uses it, then pivot — the
 * device writes to the copy from then on. `startJob` follows the job: `ready`
 * resolves once the copy is in sync, `complete()` pivots and waits for the
 * end (and dismisses the job, so nothing is left in `query-jobs`).
 *
 * The nodes are null-co (no image files needed); with real images only
 * `blockdev-add` changes. Validation is strict: it follows the connected
 * QEMU's release, so an older QEMU is checked as it is.
 *
 *   node mirror-pivot.js [/usr/bin/qemu-system-x86_64]
 */
import { launchQemu } from "qapi-ts/runtime";
import { startJob } from "qapi-ts/operations";
import { sdk, type CommandMap, type EventMap } from "qapi-ts/qemu";

const binary = process.argv[2] ?? "qemu-system-x86_64";
const size = 64 * 1024 * 1024;
await using qemu = await launchQemu<CommandMap, EventMap>({
  binary,
  args: [
    ...["-machine", "pc", "-nodefaults", "-display", "none", "-S"],
    ...["-blockdev", `driver=null-co,node-name=disk0,size=${size},read-zeroes=on`],
    ...["-device", "virtio-blk-pci,drive=disk0,id=vd0"],
  ],
  sdk,
  validate: "strict",
});
const qmp = qemu.client;
const attached = async () =>
  (await qmp.execute("query-block")).find((b) => b.qdev?.startsWith("/machine/peripheral/vd0"))?.inserted?.[
    "node-name"
  ];

await qmp.execute("blockdev-add", { driver: "null-co", "node-name": "copy0", size });
console.log(`vd0 uses ${await attached()}`);
const job = await startJob(qmp, "blockdev-mirror", {
  "job-id": "mirror0",
  device: "disk0",
  target: "copy0",
  sync: "full",
});
await job.ready;
console.log(`mirror0 is ${job.status}`);
const done = await job.complete();
console.log(`mirror0 completed: ${done.current} of ${done.total} bytes`);
console.log(`vd0 uses ${await attached()}; jobs left: ${(await qmp.execute("query-jobs")).length}`);
