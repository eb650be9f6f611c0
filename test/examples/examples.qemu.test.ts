/**
 * The programs in examples/ type-check the way a user's project would (their
 * own tsconfig: strict, skipLibCheck false, importing `qapi-ts/…` by name,
 * which resolves to this package) and run against Debian's real QEMU 7.2:
 * the system emulator, the storage daemon and the guest agent (started here
 * on a unix socket on the host). Every example file is run by one test below.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  cleanupAll,
  makeTempDir,
  qemuGa,
  qemuStorageDaemon,
  qemuSystem,
  startProcess,
  waitForPath,
} from "../runtime/qemu-helpers.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

after(cleanupAll);

const built = join(repoRoot, "build", "examples");

/** The environment without the marker that makes a nested `node --test` report to this runner instead of printing. */
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== "NODE_TEST_CONTEXT"));

function node(...args: string[]) {
  return spawnSync(process.execPath, args, { cwd: built, env, encoding: "utf8", timeout: 120_000 });
}

function ok(r: ReturnType<typeof node>): string {
  assert.equal(r.status, 0, `status ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const covered = new Set<string>();

test("the examples type-check as a user's strict project (skipLibCheck false)", () => {
  const tsc = spawnSync(
    process.execPath,
    [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", join(repoRoot, "examples", "tsconfig.json")],
    {
      encoding: "utf8",
    },
  );
  assert.equal(tsc.status, 0, `tsc reported:\n${tsc.stdout}${tsc.stderr}`);
});

test("launch-and-drive: launches QEMU, stops and resumes it", () => {
  covered.add("launch-and-drive.ts");
  const out = ok(node("launch-and-drive.js", qemuSystem));
  assert.match(out, /^QEMU \d+\.\d+\.\d+\nstatus: paused\nstatus: running\n$/);
});

test("mirror-pivot: a mirror reaches ready, is completed, and the device then uses the copy", () => {
  covered.add("mirror-pivot.ts");
  const out = ok(node("mirror-pivot.js", qemuSystem));
  assert.equal(
    out,
    "vd0 uses disk0\nmirror0 is ready\nmirror0 completed: 67108864 of 67108864 bytes\nvd0 uses copy0; jobs left: 0\n",
  );
});

test("backup-progress: images made by jobs, a backup with at least two progress reports", () => {
  covered.add("backup-progress.ts");
  const out = ok(node("backup-progress.js", qemuSystem));
  const running = out.match(/^backup0: running \d+\/67108864$/gm) ?? [];
  assert.ok(running.length >= 2, out);
  assert.match(out, /^backup0: concluded 67108864\/67108864\nbackup0: done, 67108864 bytes\n$/m);
});

test("hot-unplug: device_del and its DEVICE_DELETED in one wait", () => {
  covered.add("hot-unplug.ts");
  const out = ok(node("hot-unplug.js", qemuSystem));
  assert.equal(out, "devices: tablet0 type xhci\nDEVICE_DELETED /machine/peripheral/tablet0\ndevices: type xhci\n");
});

test("migration: a paused VM moves to a second QEMU, which then runs", () => {
  covered.add("migration.ts");
  const out = ok(node("migration.js", qemuSystem));
  assert.match(out, /^migration completed: [1-9]\d* bytes sent, [1-9]\d* progress reports\n/);
  assert.match(out, /\nsource: postmigrate\ndestination: running\n$/);
});

test("storage-daemon: a node exported over NBD", () => {
  covered.add("storage-daemon.ts");
  const out = ok(node("storage-daemon.js", qemuStorageDaemon));
  assert.match(
    out,
    /^nodes: disk0 \(null-co\)\nexports: export0 of disk0 \(nbd\)\nNBD clients can connect to nbd\+unix:\/\/\/disk0\?socket=\/.+\/nbd\.sock\n$/,
  );
});

test("guest-agent: talks to qemu-ga on a unix socket", async () => {
  covered.add("guest-agent.ts");
  const dir = makeTempDir();
  const path = join(dir, "qga.sock");
  const agent = startProcess(qemuGa, ["-m", "unix-listen", "-p", path, "-t", dir]);
  await waitForPath(path, agent);
  const out = ok(node("guest-agent.js", path));
  assert.match(out, /^guest agent \d+\.\d+\.\d+, \d+ commands enabled\nguest kernel: .+\n$/);
  const usage = node("guest-agent.js");
  assert.equal(usage.status, 2);
  assert.equal(usage.stderr, "usage: node guest-agent.js SOCKET\n");
});

test("guest-exec: /bin/echo hi through qemu-ga on a unix socket", async () => {
  covered.add("guest-exec.ts");
  const dir = makeTempDir();
  const path = join(dir, "qga.sock");
  const agent = startProcess(qemuGa, ["-m", "unix-listen", "-p", path, "-t", dir, "-b", "guest-shutdown"]);
  await waitForPath(path, agent);
  const out = ok(node("guest-exec.js", path));
  assert.equal(out, 'exit code 0, output "hi\\n"\n');
});

test("vm-manager: its unit test, against the mock, passes", () => {
  covered.add("vm-manager.ts");
  covered.add("vm-manager.test.ts");
  const out = ok(node("--test", "--test-reporter=tap", "vm-manager.test.js"));
  assert.match(out, /^# pass 3$/m);
  assert.match(out, /^# fail 0$/m);
});

test("every example is run by a test above", () => {
  const examples = readdirSync(join(repoRoot, "examples")).filter((f) => f.endsWith(".ts"));
  assert.deepEqual(
    examples.filter((f) => !covered.has(f)),
    [],
  );
});
