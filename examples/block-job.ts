/**
 * Example: run a block job and wait for it — a mirror from one block node to
 * another, completed once it is in sync.
 *
 * The nodes are null-co (reads return zeros, writes are dropped), so the
 * example needs no image files; with real images only `blockdev-add` changes.
 *
 *   node block-job.js [/usr/bin/qemu-system-x86_64]
 */
import { launchQemu } from "qapi-ts/runtime";
import { sdk, type CommandMap, type EventMap } from "qapi-ts/qemu";

const binary = process.argv[2] ?? "qemu-system-x86_64";
const qemu = await launchQemu<CommandMap, EventMap>({
  binary,
  args: ["-machine", "none", "-nodefaults", "-display", "none"],
  sdk,
  // No run-time checks ("off", the default): the SDK describes QEMU 10.2.2, whose replies have members an
  // older QEMU's lack (query-block-jobs' "actively-synced"), and even "lenient" counts a missing member.
  // For exact types, generate an SDK from your QEMU (README: "Generate an SDK for your QEMU").
  validate: "off",
});
const qmp = qemu.client;
try {
  const size = 64 * 1024 * 1024;
  await qmp.execute("blockdev-add", { driver: "null-co", "node-name": "source", size, "read-zeroes": true });
  await qmp.execute("blockdev-add", { driver: "null-co", "node-name": "target", size });

  // Events of every job arrive on one stream: pick ours by its id.
  const ours = (data: { device: string }) => data.device === "mirror0";
  const ready = qmp.waitFor("BLOCK_JOB_READY", ours, { timeout: 60_000 });
  await qmp.execute("blockdev-mirror", { "job-id": "mirror0", device: "source", target: "target", sync: "full" });
  await ready;
  console.log(
    "mirror0 is in sync:",
    (await qmp.execute("query-block-jobs")).map((job) => `${job.device} ${job.offset}/${job.len}`),
  );

  const completed = qmp.waitFor("BLOCK_JOB_COMPLETED", ours, { timeout: 60_000 });
  await qmp.execute("job-complete", { id: "mirror0" });
  const { data } = await completed;
  if (data.error !== undefined) throw new Error(`mirror0 failed: ${data.error}`);
  console.log(`mirror0 completed: ${data.offset} of ${data.len} bytes`);
} finally {
  await qemu.close();
}
