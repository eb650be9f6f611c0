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

test("block-job: a mirror reaches READY, is completed, and reports every byte", () => {
  covered.add("block-job.ts");
  const out = ok(node("block-job.js", qemuSystem));
  assert.match(out, /mirror0 is in sync: \[ 'mirror0 67108864\/67108864' \]\n/);
  assert.match(out, /mirror0 completed: 67108864 of 67108864 bytes\n$/);
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
