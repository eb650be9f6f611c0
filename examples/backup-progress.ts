/**
 * Example: back a disk up to a new qcow2 image, printing progress as it goes.
 * The image itself is made by a job too (`blockdev-create`); `runJob` runs
 * each to its end and rejects with the job's own error text if it fails.
 *
 * The source is a null-co node (64 MiB, read as data); the backup is
 * limited to 32 MiB/s so that there is progress to see.
 *
 *   node backup-progress.js [/usr/bin/qemu-system-x86_64]
 */
import { join } from "node:path";
import { launchQemu } from "qapi-ts/runtime";
import { runJob } from "qapi-ts/operations";
import { sdk, type CommandMap, type EventMap } from "qapi-ts/qemu";

const binary = process.argv[2] ?? "qemu-system-x86_64";
const size = 64 * 1024 * 1024;
await using qemu = await launchQemu<CommandMap, EventMap>({
  binary,
  args: ["-machine", "none", "-nodefaults", "-display", "none"],
  sdk,
  validate: "strict",
});
const qmp = qemu.client;
await qmp.execute("blockdev-add", { driver: "null-co", "node-name": "disk0", size });

// The target image: a file, then qcow2 on it, each created by a job.
const filename = join(qemu.dir, "backup.qcow2");
await runJob(qmp, "blockdev-create", { "job-id": "create-file", options: { driver: "file", filename, size: 0 } });
await qmp.execute("blockdev-add", { driver: "file", "node-name": "backup-file", filename });
await runJob(qmp, "blockdev-create", {
  "job-id": "create-qcow2",
  options: { driver: "qcow2", file: "backup-file", size },
});
await qmp.execute("blockdev-add", { driver: "qcow2", "node-name": "backup0", file: "backup-file" });

const done = await runJob(
  qmp,
  "blockdev-backup",
  { "job-id": "backup0", device: "disk0", target: "backup0", sync: "full", speed: 32 * 1024 * 1024 },
  {
    pollInterval: 100,
    onProgress: (p) => console.log(`${p.id}: ${p.status} ${p.current}/${p.total}`),
  },
);
console.log(`${done.id}: done, ${done.total} bytes`);
