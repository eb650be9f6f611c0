/**
 * `qapi-ts shell` without a terminal, as scripts use it, against real QEMU
 * programs: lines from `-c` and from standard input, replies on stdout and
 * problems on stderr, the exit status (1 when any line was refused or
 * answered with an error), `--stop-on-error`, `--json` wire lines, no colour
 * when the output is not a terminal, TCP with `--wait`, `--launch` (QEMU
 * started and stopped by the shell), the guest agent (`--qga`, checked against its source schema),
 * and one-line errors for a server that is not there and for bad usage.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  bareMachineArgs,
  cleanupAll,
  freePort,
  makeTempDir,
  qemuGa,
  qemuStorageDaemon,
  qemuSystem,
  startProcess,
  waitForPath,
} from "../../runtime/qemu-helpers.js";
import { waitUntilListening } from "../../support/monitor-ready.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const dir = makeTempDir("qapi-ts-shell-script-");
const socket = join(dir, "qmp.sock");
const gaSocket = join(dir, "qga.sock");

/** This environment without NO_COLOR/FORCE_COLOR (the test runner may set them): colour follows the terminal. */
function withoutColourSettings(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env["NO_COLOR"];
  delete env["FORCE_COLOR"];
  return env;
}

function shell(args: readonly string[], input = "") {
  const run = spawnSync(process.execPath, [join(repoRoot, "bin/qapi-ts"), "shell", ...args], {
    encoding: "utf8",
    input,
    env: withoutColourSettings(),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
const connected = (...args: string[]) => shell(["--connect", `unix:${socket}`, ...args]);

before(async () => {
  const qemu = startProcess(qemuSystem, [...bareMachineArgs, "-S", "-qmp", `unix:${socket},server=on,wait=off`]);
  await waitUntilListening(socket, () => qemu.exitCode === null);
  const ga = startProcess(qemuGa, ["-m", "unix-listen", "-p", gaSocket, "-t", dir]);
  await waitForPath(gaSocket, ga);
});

after(cleanupAll);

test("-c lines run in order; replies go to stdout without colour; status 0", () => {
  const run = connected("-c", "query-status", "-c", "qom-get path=/machine property=type", "-c", "hmp info status");
  assert.equal(run.stderr, "");
  assert.equal(run.status, 0);
  assert.equal(
    run.stdout,
    '{\n  "status": "prelaunch",\n  "singlestep": false,\n  "running": false\n}\nnone-machine\nVM status: paused (prelaunch)\n',
  );
});

test("watch job follows a job to its end and prints only the end in a script; nothing to watch is status 1", () => {
  const run = connected(
    "-c",
    "events none",
    "-c",
    "blockdev-add driver=null-co node-name=watch-src size=67108864",
    "-c",
    "blockdev-add driver=null-co node-name=watch-dst size=67108864",
    "-c",
    "blockdev-backup job-id=wb0 device=watch-src target=watch-dst sync=full speed=33554432",
    "-c",
    "watch job wb0",
    "-c",
    "watch job wb0",
    "-c",
    "watch migration",
    "-c",
    "watch",
  );
  assert.equal(run.status, 1);
  assert.equal(run.stdout, "events shown: none\n{}\n{}\n{}\njob wb0 (backup): concluded 100% 67108864/67108864\n");
  assert.equal(
    run.stderr,
    [
      'watch job wb0: no job "wb0" in query-jobs',
      "watch migration: no migration to follow: query-migrate reports none",
      "watch: give 'watch job ID' or 'watch migration'",
      "",
    ].join("\n"),
  );
});

test("a refused line and an error reply make the status 1; later lines still run", () => {
  const run = connected(
    "-c",
    "qom-get path=/machine",
    "-c",
    "qom-get path=/nowhere property=type",
    "-c",
    "qom-get path=/machine property=type",
  );
  assert.equal(run.status, 1);
  assert.equal(run.stdout, "none-machine\n");
  const problems = run.stderr.split("\n");
  assert.deepEqual(problems.slice(0, 2), [
    "qom-get: invalid arguments, not sent:",
    "  $.arguments.property: missing required member",
  ]);
  assert.match(problems[2]!, /^error: DeviceNotFound: /);
});

test("integer widths the server's schema reports as int come from its release: uint8 300 is refused, 30 sent", () => {
  const run = connected(
    "-c",
    "migrate-set-parameters cpu-throttle-initial=300",
    "-c",
    "migrate-set-parameters cpu-throttle-initial=30",
    "-c",
    "query-migrate-parameters",
  );
  assert.equal(run.status, 1, run.stderr);
  assert.deepEqual(run.stderr.split("\n").slice(0, 2), [
    "migrate-set-parameters: invalid arguments, not sent:",
    `  $.arguments["cpu-throttle-initial"]: expected uint8 (integer 0..255), got 300`,
  ]);
  assert.match(run.stdout, /"cpu-throttle-initial": 30,/);
});

test("lines from standard input, with --stop-on-error", () => {
  const all = shell(["--connect", `unix:${socket}`], "query-status\n\n# a comment\nhmp info status\n");
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout, /"status": "prelaunch"[\s\S]*VM status: paused/);
  const stopped = shell(["--connect", `unix:${socket}`, "--stop-on-error"], "nonsense-command\nquery-status\n");
  assert.equal(stopped.status, 1);
  assert.equal(stopped.stdout, "");
  assert.match(stopped.stderr, /^nonsense-command: no such command in the server's schema \(not sent\)/);
});

test("--json prints one QMP message a line", () => {
  const run = connected("--json", "-c", "query-status", "-c", "qom-get path=/nowhere property=type");
  assert.equal(run.status, 1);
  assert.deepEqual(JSON.parse(run.stdout), { return: { status: "prelaunch", singlestep: false, running: false } });
  assert.equal(JSON.parse(run.stderr).error.class, "DeviceNotFound");
});

test("--connect tcp:HOST:PORT, waiting for the monitor with --wait", async () => {
  const port = await freePort();
  startProcess(qemuSystem, [...bareMachineArgs, "-S", "-qmp", `tcp:127.0.0.1:${port},server=on,wait=off`]);
  const run = shell([
    "--connect",
    `tcp:127.0.0.1:${port}`,
    "--wait",
    "30",
    "-c",
    "qom-get path=/machine property=type",
  ]);
  assert.equal(run.stderr, "");
  assert.equal(run.stdout, "none-machine\n");
});

test("--launch starts QEMU for the session and stops it after", () => {
  const run = shell(["--launch", "-c", "query-status", "-c", "quit", "--", qemuSystem, ...bareMachineArgs, "-S"]);
  assert.equal(run.stderr, "");
  assert.equal(run.status, 0);
  assert.match(run.stdout, /"status": "prelaunch"/);
});

test("watch migration follows a migration started by the line before to its end", () => {
  const machine = ["-machine", "pc", "-accel", "tcg", "-m", "32", "-nodefaults", "-display", "none", "-S"];
  const run = shell([
    "--launch",
    "-c",
    "events none",
    "-c",
    "migrate uri='exec:cat >/dev/null'",
    "-c",
    "watch migration",
    "-c",
    "query-status",
    "--",
    qemuSystem,
    ...machine,
  ]);
  assert.equal(run.stderr, "");
  assert.equal(run.status, 0);
  assert.match(run.stdout, /^events shown: none\n\{\}\nmigration: completed 100% [1-9]\d* bytes sent\n/);
  assert.match(run.stdout, /"status": "postmigrate"/);
});

test("--launch of the storage daemon: its own schema", () => {
  const run = shell([
    "--launch",
    "-c",
    "blockdev-add driver=null-co node-name=n0 size=4096",
    "-c",
    "query-named-block-nodes flat=true",
    "-c",
    "query-status",
    "--",
    qemuStorageDaemon,
  ]);
  assert.equal(run.status, 1, "query-status is not a storage daemon command");
  assert.match(run.stdout, /^\{\}\n\[\n {2}\{\n[\s\S]*"node-name": "n0"/);
  assert.match(run.stderr, /^query-status: no such command in the server's schema \(not sent\)/);
});

test("help shows arguments and facts; with the source schema's docs, their text too", () => {
  const facts = connected("--no-docs", "-c", "help qom-get").stdout.split("\n");
  assert.deepEqual(facts, [
    "qom-get — command, since 1.2",
    "  arguments:",
    "    path      str  (required)",
    "    property  str  (required)",
    "  returns: any",
    "",
  ]);
  const full = connected("-c", "help qom-get").stdout.split("\n");
  assert.equal(full[0], facts[0]);
  // The doc text (QEMU's words, read from .cache/qemu/, not asserted here) sits between the facts.
  assert.ok(full.length > facts.length + 2, full.join("\n"));
  for (const line of facts.slice(1, -1)) assert.ok(full.includes(line), line);
  // A union branch's members are documented in the branch's own type: found there.
  const branch = connected("-c", "help blockdev-add driver=null-co").stdout.split("\n");
  const size = branch.findIndex((l) => /^ {4}size +int {2}\(optional\)$/.test(l));
  assert.ok(size > 0, branch.join("\n"));
  assert.match(branch[size + 1]!, /^ {8}\S/);
});

test("the guest agent: checks from its source schema, replies from the agent", () => {
  const run = shell([
    "--qga",
    "--connect",
    `unix:${gaSocket}`,
    "-c",
    "guest-ping",
    "-c",
    "guest-exec path=/bin/true arg=1",
    "-c",
    "guest-get-host-name",
  ]);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /^\{\}\n\{\n {2}"host-name": "[^"]+"\n\}\n$/);
  assert.equal(run.stderr, "guest-exec: invalid arguments, not sent:\n  $.arguments.arg: expected array, got 1\n");
});

test("the guest agent with --schema sdk: no source schema, the SDK's validators check the arguments", () => {
  const run = shell([
    "--qga",
    "--connect",
    `unix:${gaSocket}`,
    "--schema",
    "sdk",
    "-c",
    "guest-exec path=/bin/true arg=1",
    "-c",
    "guest-ping",
  ]);
  assert.equal(run.status, 1);
  assert.equal(run.stdout, "{}\n");
  assert.match(run.stderr, /^guest-exec: invalid arguments, not sent:\n {2}\$\.arguments\.arg: expected array/);
});

test("no server there: a one-line error, status 1", () => {
  const run = shell(["--connect", `unix:${join(dir, "absent.sock")}`, "-c", "query-status"]);
  assert.equal(run.status, 1);
  assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  assert.match(run.stderr, /^shell: /);
});

test("usage errors: status 2", () => {
  const run = shell(["-c", "query-status"]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /give one of --connect ADDRESS and --launch -- PROGRAM ARGS/);
});
