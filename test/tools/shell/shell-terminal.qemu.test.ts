/**
 * `qapi-ts shell` in a real terminal (tmux, tmux.ts) against a real QEMU
 * (Debian's qemu-system-x86_64, paused, no machine) with two QMP monitors:
 * the shell uses one, the test uses the other to make QEMU emit events
 * (`cont`/`stop` → RESUME/STOP) while a line is being typed in the shell.
 *
 * Covered: Tab completes a command name, an argument name and an enum value;
 * a command runs and its reply is shown (in colour on this terminal); an
 * event appears by itself above a half-typed line, which survives and then
 * runs; an invalid argument is refused before sending, naming its JSON path;
 * `hmp`; the `events` filter; `watch job` with its one progress line;
 * `--record` output passes `validate-log`;
 * history carries over to the next session.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { connect, type QmpClient } from "../../../runtime/index.js";
import { bareMachineArgs, cleanupAll, makeTempDir, qemuSystem, startProcess } from "../../runtime/qemu-helpers.js";
import { waitUntilListening } from "../../support/monitor-ready.js";
import { qemuSourceDir, repoRoot } from "../../../scripts/lib/qemu-sources.js";
import { TmuxTerminal } from "./tmux.js";

const dir = makeTempDir("qapi-ts-shell-");
const shellSocket = join(dir, "shell.qmp");
const testSocket = join(dir, "test.qmp");
const recordFile = join(dir, "session.jsonl");
const historyFile = join(dir, "history");
const terminals: TmuxTerminal[] = [];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let other: QmpClient<any, any>;
let term: TmuxTerminal;
let eventsSeen = 0;

function startShell(extra: string[], columns = 200): TmuxTerminal {
  const t = TmuxTerminal.start(
    ["node", "bin/qapi-ts", "shell", "--connect", `unix:${shellSocket}`, "--history", historyFile, ...extra],
    {
      cwd: repoRoot,
      env: { XDG_STATE_HOME: join(dir, "state") },
      columns,
    },
  );
  terminals.push(t);
  return t;
}

before(async () => {
  const qemu = startProcess(qemuSystem, [
    ...bareMachineArgs,
    "-S",
    "-qmp",
    `unix:${shellSocket},server=on,wait=off`,
    "-qmp",
    `unix:${testSocket},server=on,wait=off`,
  ]);
  const alive = () => qemu.exitCode === null;
  await waitUntilListening(shellSocket, alive);
  await waitUntilListening(testSocket, alive);
  other = await connect({ path: testSocket, waitForServer: 30_000 });
  // Both monitors get every event: what the test's monitor saw, the shell's record must hold.
  other.on("*", () => eventsSeen++);
  term = startShell(["--record", recordFile]);
  await term.waitForText("(QEMU) ");
});

after(async () => {
  for (const t of terminals) t.close();
  await other?.close();
  await cleanupAll();
});

test("the banner names the server and where the schema came from", () => {
  assert.match(
    term.screen(),
    /Connected to QEMU 7\.2\.\d+ at unix:\S+; \d+ commands from the server's query-qmp-schema\./,
  );
});

test("Tab completes a command name; the command runs and its reply is shown", async () => {
  term.type("query-statu");
  term.keys("Tab");
  await term.waitFor("the completed name", () => term.lastLine() === "(QEMU) query-status");
  term.keys("Enter");
  await term.waitForText(
    /\(QEMU\) query-status\n\{\n {2}"status": "prelaunch",\n {2}"singlestep": false,\n {2}"running": false\n\}\n\(QEMU\)/,
  );
  // A terminal with colours gets them; the key and string are coloured separately.
  assert.match(term.screen(true), /\x1b\[36m"status"\x1b\[(0|39)m: \x1b\[32m"prelaunch"/);
});

test("Tab completes an argument name and an enum value", async () => {
  term.type("blockdev-add dri");
  term.keys("Tab");
  await term.waitFor("driver=", () => term.lastLine() === "(QEMU) blockdev-add driver=");
  term.type("null-c");
  term.keys("Tab");
  await term.waitFor("driver=null-co", () => term.lastLine() === "(QEMU) blockdev-add driver=null-co");
  term.type(" node-n");
  term.keys("Tab");
  await term.waitFor("node-name=", () => term.lastLine() === "(QEMU) blockdev-add driver=null-co node-name=");
  term.type("disk0");
  term.keys("Enter");
  await term.waitFor("the empty reply", (s) =>
    /\(QEMU\) blockdev-add driver=null-co node-name=disk0\n\{\}\n\(QEMU\)/.test(s),
  );
  const nodes = (await other.execute("query-named-block-nodes")) as { "node-name": string }[];
  assert.deepEqual(
    nodes.map((n) => n["node-name"]),
    ["disk0"],
  );
});

test("an invalid argument is refused before sending, naming it", async () => {
  term.type("blockdev-add driver=null-co node-name=disk1 size=big");
  term.keys("Enter");
  await term.waitForText(
    /blockdev-add: invalid arguments, not sent:\n {2}\$\.arguments\.size: expected int \(64-bit integer\), got "big"\n\(QEMU\)/,
  );
  const nodes = (await other.execute("query-named-block-nodes")) as { "node-name": string }[];
  assert.ok(!nodes.some((n) => n["node-name"] === "disk1"), "nothing was sent");
});

test("an event appears by itself while a line is typed, and the typed line survives", async () => {
  term.type("query-kv");
  await term.waitFor("the half-typed line", () => term.lastLine() === "(QEMU) query-kv");
  await other.execute("cont");
  await other.execute("stop");
  const screen = await term.waitFor("STOP above the prompt", (s) =>
    /event STOP \(\d\d:\d\d:\d\d\.\d{6}\)\n\(QEMU\) /.test(s),
  );
  const lines = screen.split("\n").filter((l) => l.trim() !== "");
  assert.match(lines.at(-3)!, /^event RESUME \(/);
  assert.match(lines.at(-2)!, /^event STOP \(/);
  assert.equal(lines.at(-1), "(QEMU) query-kv");
  // The line is still readline's, not just redrawn: finishing and running it works.
  term.type("m");
  term.keys("Enter");
  await term.waitForText(/\(QEMU\) query-kvm\n\{\n[^}]*"present": (true|false)\n\}\n\(QEMU\)/);
});

test("hmp runs a human monitor command and shows its text", async () => {
  term.type("hmp info status");
  term.keys("Enter");
  await term.waitFor("HMP's answer", (s) => /\(QEMU\) hmp info status\nVM status: paused\n\(QEMU\)/.test(s));
});

test("events NAME… shows only those events", async () => {
  term.type("events STOP");
  term.keys("Enter");
  await term.waitForText(/events shown: STOP\n\(QEMU\)/);
  const before = term
    .screen()
    .split("\n")
    .filter((l) => l.startsWith("event RESUME")).length;
  await other.execute("cont");
  await other.execute("stop");
  const screen = await term.waitFor(
    "a second STOP",
    (s) => s.split("\n").filter((l) => l.startsWith("event STOP")).length === 2,
  );
  // RESUME came first on the wire: had it been shown, it would be on the screen by now.
  assert.equal(screen.split("\n").filter((l) => l.startsWith("event RESUME")).length, before);
});

test("watch job shows a running job's progress on one line rewritten in place, then its end", async () => {
  // The job runs on the test's monitor at 1 MiB/s (a minute for 64 MiB) until the test lifts the limit.
  const size = 64 * 1024 * 1024;
  const qmp = other as unknown as QmpClient;
  await qmp.executeWith("blockdev-add", { driver: "null-co", "node-name": "watch-src", size });
  await qmp.executeWith("blockdev-add", { driver: "null-co", "node-name": "watch-dst", size });
  await qmp.executeWith("blockdev-backup", {
    "job-id": "w0",
    device: "watch-src",
    target: "watch-dst",
    sync: "full",
    speed: 1024 * 1024,
  });
  term.type("watch job w0");
  term.keys("Enter");
  const progressRows = (screen: string) => screen.split("\n").filter((l) => l.startsWith("job w0 (backup): running"));
  const first = await term.waitFor("a progress line", (s) => progressRows(s).length === 1);
  const shown = progressRows(first)[0]!;
  assert.match(shown, /^job w0 \(backup\): running \d+% \d+\/67108864$/);
  // A later report replaces the line: still one row, with other numbers.
  const later = await term.waitFor(
    "the line rewritten",
    (s) => progressRows(s).length === 1 && progressRows(s)[0] !== shown,
  );
  assert.equal(progressRows(later).length, 1);
  await qmp.executeWith("block-job-set-speed", { device: "w0", speed: 0 });
  const end = await term.waitFor("the end", (s) =>
    /\njob w0 \(backup\): concluded 100% 67108864\/67108864\n\(QEMU\) ?$/.test(s),
  );
  assert.equal(progressRows(end).length, 0, "the progress line was taken away");
});

test("Ctrl-C stops a watch, not the job", async () => {
  const qmp = other as unknown as QmpClient;
  await qmp.executeWith("blockdev-backup", {
    "job-id": "w1",
    device: "watch-src",
    target: "watch-dst",
    sync: "full",
    speed: 1024 * 1024,
  });
  term.type("watch job w1");
  term.keys("Enter");
  await term.waitForText(/\njob w1 \(backup\): running \d+% \d+\/67108864$/);
  term.keys("C-c");
  await term.waitFor("the watch stopped", (s) => /\nstopped watching; job w1 goes on\n\(QEMU\) ?$/.test(s));
  const jobs = (await qmp.executeWith("query-jobs", undefined)) as { id: string; status: string }[];
  assert.deepEqual(
    jobs.map((j) => `${j.id} ${j.status}`),
    ["w1 running"],
  );
  const cancelled = other.waitFor("JOB_STATUS_CHANGE", (d: { id: string; status: string }) => d.status === "null");
  await qmp.executeWith("job-cancel", { id: "w1" });
  await cancelled;
  // The shell records each event as it reads it: wait for the last one, so the record is complete.
  await term.waitFor("the shell to record the job's end", () =>
    readFileSync(recordFile, "utf8").includes('"data":{"status":"null","id":"w1"}'),
  );
});

test("Ctrl-C drops the line being typed and the shell goes on", async () => {
  term.type("query-st");
  await term.waitFor("the half-typed line", () => term.lastLine() === "(QEMU) query-st");
  term.keys("C-c");
  await term.waitFor("a fresh prompt", (s) => /\(QEMU\) query-st\^C\n\(QEMU\) ?$/.test(s));
  term.type("x");
  await term.waitFor("an empty line before the x", () => term.lastLine() === "(QEMU) x");
  term.keys("C-u");
});

test("Ctrl-D leaves with status 0; the record passes validate-log", async () => {
  term.keys("C-d");
  await term.waitForText("[exit 0]");
  const log = readFileSync(recordFile, "utf8");
  assert.ok(log.includes('"node-name":"disk0"'));
  assert.ok(!log.includes("disk1"), "the refused command is not in the record");
  // qmp_capabilities, query-status, blockdev-add, query-kvm, hmp (not the watch's own queries); every
  // event, the filtered ones too: RESUME/STOP and the two jobs' (how many a job has depends on when
  // it drained), all that the test's own monitor saw.
  const schema = join(qemuSourceDir("7.2.0"), "qapi", "qapi-schema.json");
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, "bin/qapi-ts"), "validate-log", recordFile, "--schema", schema],
    { encoding: "utf8" },
  );
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /1 greeting, 5 commands, 5 returns, 0 error replies, (\d+) events\); 0 violation\(s\)/);
  assert.equal(Number(/(\d+) events/.exec(run.stdout)![1]), eventsSeen);
  assert.ok(eventsSeen >= 4 + 7, `RESUME/STOP and the jobs' events: ${eventsSeen}`);
});

test("history carries over to the next session; events above a wrapped line; QEMU's quit", async () => {
  assert.equal(
    readFileSync(historyFile, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .at(-1),
    "watch job w1",
  );
  // A narrow terminal, so that a typed line wraps onto a second row.
  const next = startShell([], 50);
  await next.waitForText("(QEMU) ");
  next.keys("Up");
  await next.waitFor("the last line of the previous session", () => next.lastLine() === "(QEMU) watch job w1");
  next.keys("Up");
  await next.waitFor("the watch before it", () => next.lastLine() === "(QEMU) watch job w0");
  next.keys("Up");
  await next.waitFor("the line before it", () => next.lastLine() === "(QEMU) events STOP");
  next.keys("Up");
  await next.waitFor("the line before that", () => next.lastLine() === "(QEMU) hmp info status");
  next.keys("C-u");
  await next.waitFor("an empty line", () => next.lastLine().trimEnd() === "(QEMU)");
  const long = "blockdev-add driver=null-co node-name=disk2 size=4096";
  next.type(long);
  await next.waitFor("the wrapped line", () => next.lastLine() === `(QEMU) ${long}`);
  await other.execute("cont");
  await other.execute("stop");
  await other.execute("cont");
  const shown = await next.waitFor(
    "three events",
    (s) => (s.match(/^event (RESUME|STOP) /gm) ?? []).length === 3 && s.endsWith(long),
  );
  const lines = shown.split("\n").filter((l) => l.trim() !== "");
  assert.deepEqual(
    lines.slice(-4).map((l) => l.replace(/ \(.*$/, "")),
    ["event RESUME", "event STOP", "event RESUME", `(QEMU) ${long}`],
  );
  next.keys("Enter");
  await next.waitFor("the reply", (s) => /\n\{\}\n\(QEMU\) ?$/.test(s) && s.includes(`(QEMU) ${long}\n{}`));
  // QEMU's own quit stops QEMU; the shell sees the end coming and leaves with status 0.
  next.type("quit");
  next.keys("Enter");
  const screen = await next.waitForText("[exit 0]");
  assert.match(
    screen,
    /\(QEMU\) quit\nevent SHUTDOWN \([^)]*\) \{\n {2}"guest": false,\n {2}"reason": "host-qmp-quit"\n\}\n\{\}\nthe server quit; leaving\n\[exit 0\]/,
  );
});
