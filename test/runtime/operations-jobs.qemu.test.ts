/**
 * Jobs run to their end (runtime/operations/jobs.ts) against a real
 * qemu-system-x86_64 (Debian's 7.2), typed and validated by the 10.2.2 SDK
 * following the server: a backup of a qcow2 disk with progress, a mirror that
 * waits at ready until completed, a job whose target fails (blkdebug injects
 * ENOSPC into the target's writes) and a cancelled job. After each, the job
 * list is empty.
 *
 * Progress is made observable without timing assertions: the disk holds
 * 64 MiB of data and the backup runs with a speed limit, so it takes several
 * polls; the tests count reports, never time them.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { AbortError, JobError, launchQemu, type LaunchedQemu } from "../../runtime/index.js";
import { runJob, startJob, type JobProgress } from "../../runtime/operations/index.js";
import { sdk, type CommandMap, type EventMap } from "../../generated/qemu/index.js";
import { bareMachineArgs, cleanupAll, makeTempDir, qemuImg, qemuSystem } from "./qemu-helpers.js";

const mib = 1024 * 1024;
const size = 64 * mib;
let dir: string;
let qemu: LaunchedQemu<CommandMap, EventMap>;

function image(name: string, data: boolean): string {
  const path = join(dir, name);
  execFileSync(qemuImg, ["create", "-q", "-f", "qcow2", path, String(size)]);
  if (data)
    execFileSync("/usr/bin/qemu-io", ["-f", "qcow2", "-c", `write -P 0x5a 0 ${size}`, path], { stdio: "ignore" });
  return path;
}

/** Polls `holds` every 20 ms; fails after 600 tries (a liveness bound, not a timing claim). */
async function until(holds: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await holds()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail("the condition never held");
}

async function addQcow2(node: string, path: string): Promise<void> {
  await qemu.client.execute("blockdev-add", {
    driver: "qcow2",
    "node-name": node,
    file: { driver: "file", filename: path },
  });
}

before(async () => {
  dir = makeTempDir();
  qemu = await launchQemu<CommandMap, EventMap>({ binary: qemuSystem, args: bareMachineArgs, sdk, validate: "strict" });
  await addQcow2("disk0", image("disk0.qcow2", true));
});

after(async () => {
  await qemu?.close();
  await cleanupAll();
});

async function jobsLeft(): Promise<string[]> {
  return (await qemu.client.execute("query-jobs")).map((job) => `${job.id} ${job.status}`);
}

test("blockdev-backup of a qcow2 disk runs to its end with progress reports", async () => {
  await addQcow2("backup0", image("backup0.qcow2", false));
  const reports: JobProgress[] = [];
  const outcome = await runJob(
    qemu.client,
    "blockdev-backup",
    { "job-id": "b0", device: "disk0", target: "backup0", sync: "full", speed: 32 * mib },
    { onProgress: (p) => reports.push(p), pollInterval: 50 },
  );
  assert.deepEqual(outcome, { id: "b0", type: "backup", current: size, total: size });
  const running = reports.filter((p) => p.status === "running");
  assert.ok(running.length >= 2, `progress reports while running: ${JSON.stringify(reports)}`);
  // Progress only grows, and reports are of this job.
  for (let i = 1; i < reports.length; i++) assert.ok(Number(reports[i]!.current) >= Number(reports[i - 1]!.current));
  assert.ok(reports.every((p) => p.id === "b0" && p.type === "backup"));
  assert.deepEqual(await jobsLeft(), []);
  // The copy is the disk: qemu-img compares the two images' contents.
  await qemu.client.execute("blockdev-del", { "node-name": "backup0" });
  execFileSync(qemuImg, ["compare", "-q", "-U", join(dir, "disk0.qcow2"), join(dir, "backup0.qcow2")]);
});

test("blockdev-mirror waits at ready until completed; the job list is empty after", async () => {
  await addQcow2("mirror0", image("mirror0.qcow2", false));
  const statuses: string[] = [];
  const job = await startJob(
    qemu.client,
    "blockdev-mirror",
    { "job-id": "m0", device: "disk0", target: "mirror0", sync: "full" },
    { onProgress: (p) => statuses.push(p.status), pollInterval: 50 },
  );
  await job.ready;
  assert.equal(job.status, "ready");
  // A ready mirror stays ready until told: it is still listed.
  assert.deepEqual(await jobsLeft(), ["m0 ready"]);
  const outcome = await job.complete();
  assert.equal(outcome.type, "mirror");
  assert.equal(outcome.current, outcome.total);
  assert.ok(statuses.includes("ready"));
  assert.deepEqual(await jobsLeft(), []);
});

test("a job whose target fails rejects with the job's own error text, and leaves no job", async () => {
  const path = image("full.qcow2", false);
  // Every data write of the target fails with ENOSPC (errno 28), as on a full disk.
  await qemu.client.execute("blockdev-add", {
    driver: "qcow2",
    "node-name": "full0",
    file: {
      driver: "blkdebug",
      "inject-error": [{ event: "write_aio", errno: 28 }],
      image: { driver: "file", filename: path },
    },
  });
  await assert.rejects(
    runJob(qemu.client, "blockdev-backup", { "job-id": "f0", device: "disk0", target: "full0", sync: "full" }),
    (error: unknown) => {
      assert.ok(error instanceof JobError, String(error));
      assert.equal(error.jobId, "f0");
      assert.equal(error.jobType, "backup");
      assert.equal(error.jobError, "No space left on device");
      assert.equal(error.message, "job f0 (backup) failed: No space left on device");
      return true;
    },
  );
  assert.deepEqual(await jobsLeft(), []);
});

test("a job cancelled through its AbortSignal rejects with AbortError and leaves no job", async () => {
  await addQcow2("slow0", image("slow0.qcow2", false));
  const abort = new AbortController();
  const reports: JobProgress[] = [];
  await assert.rejects(
    runJob(
      qemu.client,
      "blockdev-backup",
      // 1 MiB/s: 64 s for the disk, so the job is surely running when the first progress comes.
      { "job-id": "c0", device: "disk0", target: "slow0", sync: "full", speed: mib },
      {
        signal: abort.signal,
        pollInterval: 50,
        onProgress: (p) => {
          reports.push(p);
          if (Number(p.current) > 0) abort.abort(new Error("enough"));
        },
      },
    ),
    (error: unknown) => {
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(error.message, "job c0 was cancelled");
      assert.equal((error.cause as Error).message, "enough");
      return true;
    },
  );
  assert.ok(Number(reports.at(-1)!.current) < size, "cancelled before the end");
  assert.deepEqual(await jobsLeft(), []);
});

test("a job command the server refuses rejects with its ExecuteError and follows nothing", async () => {
  await assert.rejects(
    runJob(qemu.client, "blockdev-backup", { "job-id": "x0", device: "disk0", target: "nowhere", sync: "full" }),
    /blockdev-backup: GenericError: .*nowhere/,
  );
  assert.deepEqual(await jobsLeft(), []);
});

test("pause and resume a job through its handle; the statuses are reported", async () => {
  await addQcow2("paused0", image("paused0.qcow2", false));
  const abort = new AbortController();
  const seen: string[] = [];
  let onStatus: ((status: string) => void) | undefined;
  const statusSeen = (wanted: string) =>
    new Promise<void>((resolve) => (onStatus = (status) => status === wanted && resolve()));
  const job = await startJob(
    qemu.client,
    "blockdev-backup",
    { "job-id": "p0", device: "disk0", target: "paused0", sync: "full", speed: mib },
    {
      signal: abort.signal,
      pollInterval: 50,
      onProgress: (p) => (seen.push(p.status), onStatus?.(p.status)),
    },
  );
  await job.pause();
  // QEMU pauses the job at its next pause point, and its own drains pause and
  // resume jobs too: wait for QEMU's list to say paused, then for the handle.
  await until(async () => (await jobsLeft()).join() === "p0 paused");
  await until(() => job.status === "paused");
  assert.deepEqual(await jobsLeft(), ["p0 paused"]);
  const running = statusSeen("running");
  await job.resume();
  await running;
  abort.abort();
  await assert.rejects(job.finished, AbortError);
  assert.deepEqual(await jobsLeft(), []);
  // Reported in order: running, then paused, then running again.
  const paused = seen.indexOf("paused");
  assert.ok(seen.indexOf("running") < paused && seen.lastIndexOf("running") > paused, seen.join(" "));
});

test("auto-finalize off: the job is finalized when pending; auto-dismiss on: the end comes from the events", async () => {
  await addQcow2("final0", image("final0.qcow2", false));
  const statuses: string[] = [];
  const outcome = await runJob(
    qemu.client,
    "blockdev-backup",
    { "job-id": "af0", device: "disk0", target: "final0", sync: "full", "auto-finalize": false },
    { onProgress: (p) => statuses.push(p.status), pollInterval: 50 },
  );
  assert.equal(outcome.current, size);
  assert.ok(statuses.includes("pending"), statuses.join(" "));
  assert.deepEqual(await jobsLeft(), []);

  // A job QEMU dismisses by itself is gone from query-jobs at its end: its error comes from BLOCK_JOB_COMPLETED.
  await assert.rejects(
    runJob(qemu.client, "blockdev-backup", {
      "job-id": "ad0",
      device: "disk0",
      target: "full0",
      sync: "full",
      "auto-dismiss": true,
    }),
    (error: unknown) => error instanceof JobError && error.jobError === "No space left on device",
  );
  assert.deepEqual(await jobsLeft(), []);
});
