/**
 * `qapi-ts shell` in a real terminal (tmux, tmux.ts) against peers that send
 * terminal escape sequences (issue 18): a hostile QMP server and a hostile
 * guest agent (hostile-server.ts), and text a guest could have written to its
 * serial port, put into a real QEMU 7.2 ringbuf chardev with `ringbuf-write`
 * and read back through the shell with `ringbuf-read`.
 *
 * Asserted after each session: the pane's title is unchanged, tmux has no
 * paste buffer (OSC 52 with `set-clipboard on` would add one), the visible
 * screen still shows the banner (no clear-screen), and the sequences appear
 * as visible `\u001b…` text, a bare CR as `\u000d`. A first test shows that
 * this tmux does take a title and a buffer from raw escapes, so the checks
 * can fail.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Server } from "node:net";
import { after, before, test } from "node:test";
import { connect, type QmpClient } from "../../../runtime/index.js";
import { bareMachineArgs, cleanupAll, makeTempDir, qemuSystem, startProcess } from "../../runtime/qemu-helpers.js";
import { waitUntilListening } from "../../support/monitor-ready.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";
import { TmuxTerminal } from "./tmux.js";
import { payload, serveHostile } from "./hostile-server.js";

const dir = makeTempDir("qapi-ts-hostile-shell-");
const qemuShellSocket = join(dir, "shell.qmp");
const qemuTestSocket = join(dir, "test.qmp");
const hostileQmp = join(dir, "hostile.qmp");
const hostileQga = join(dir, "hostile-qga.sock");
const terminals: TmuxTerminal[] = [];
const fuzzSeed = Number(process.env["QAPI_TS_FUZZ_SEED"] ?? 20261218);
const fuzzSessions = 5;
const servers: Server[] = [];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let guestSide: QmpClient<any, any>;

before(async () => {
  const qemu = startProcess(qemuSystem, [
    ...bareMachineArgs,
    "-chardev",
    "ringbuf,id=serial0,size=4096",
    "-qmp",
    `unix:${qemuShellSocket},server=on,wait=off`,
    "-qmp",
    `unix:${qemuTestSocket},server=on,wait=off`,
  ]);
  const alive = () => qemu.exitCode === null;
  await waitUntilListening(qemuShellSocket, alive);
  await waitUntilListening(qemuTestSocket, alive);
  guestSide = await connect({ path: qemuTestSocket, waitForServer: 30_000 });
  servers.push(await serveHostile(hostileQmp, "qmp", fuzzSeed), await serveHostile(hostileQga, "qga"));
});

after(async () => {
  for (const t of terminals) t.close();
  for (const s of servers) s.close();
  await guestSide?.close();
  await cleanupAll();
});

/** A terminal in which OSC 52 would create a tmux buffer. */
function terminal(argv: string[]): TmuxTerminal {
  const t = TmuxTerminal.start(argv, { cwd: repoRoot, env: { XDG_STATE_HOME: join(dir, "state") } });
  terminals.push(t);
  t.option("set-clipboard", "on");
  return t;
}

function shell(args: string[]): TmuxTerminal {
  return terminal(["node", "bin/qapi-ts", "shell", "--no-history", ...args]);
}

async function run(t: TmuxTerminal, line: string, shows: string | RegExp): Promise<void> {
  t.type(line);
  t.keys("Enter");
  await t.waitForText(shows);
}

function assertInert(t: TmuxTerminal, titleBefore: string, banner: RegExp): void {
  assert.equal(t.title(), titleBefore, "the pane's title changed");
  assert.deepEqual(t.buffers(), [], "a paste buffer was created (OSC 52)");
  const visible = t.visible();
  assert.match(visible, banner, `the banner is gone from the screen:\n${visible}`);
  assert.ok(visible.includes("\\u001b]0;PWNED-TITLE\\u0007"), `escapes are not shown as text:\n${visible}`);
  assert.ok(visible.includes("TAIL\\u000dCR"), `a bare CR is not shown as text:\n${visible}`);
  assert.ok(!visible.includes("evil.example") || visible.includes("\\u001b]8;;http://evil.example/"), visible);
}

test("canary: raw escapes in this tmux do set the title and create a paste buffer", async () => {
  // It waits for a line, so that set-clipboard is on before it prints.
  const t = terminal(["sh", "-c", "read line; printf '\\033]0;CANARY-TITLE\\007\\033]52;c;Q0FOQVJZ\\007printed\\n'"]);
  t.keys("Enter");
  await t.waitForText("[exit 0]");
  await t.waitFor("the canary title", () => t.title() === "CANARY-TITLE", 10_000);
  assert.equal(t.buffers().length, 1);
});

test("a hostile server: replies, errors, events, schema names, greeting and the close reason stay inert", async () => {
  const t = shell(["--connect", `unix:${hostileQmp}`]);
  await t.waitForText("(QEMU) ");
  const title = t.title();
  await run(t, "hostile-reply", '"text"');
  await run(t, "hostile-error", "error: Class");
  await run(t, "hostile-event", "bad timestamp");
  await run(t, "help", "help");
  t.type("ev");
  t.keys("Tab", "Tab");
  t.keys("C-u");
  await run(t, "hostile-close", "connection closed");
  await t.waitForText("[exit 1]");
  assertInert(t, title, /Connected to QEMU at unix:/);
});

test("a hostile guest agent: its version and error text stay inert", async () => {
  const t = shell(["--qga", "--connect", `unix:${hostileQga}`]);
  await t.waitForText("(QGA) ");
  const title = t.title();
  await run(t, "guest-ping", "error: Class");
  t.keys("C-d");
  await t.waitForText("[exit 0]");
  assertInert(t, title, /Connected to the guest agent at unix:/);
});

test("real QEMU 7.2: what a guest wrote to a serial ringbuf, read back with ringbuf-read, stays inert", async () => {
  await guestSide.executeWith("ringbuf-write", { device: "serial0", data: payload } as never, {});
  const t = shell(["--connect", `unix:${qemuShellSocket}`]);
  await t.waitForText("(QEMU) ");
  const title = t.title();
  await run(t, "ringbuf-read device=serial0 size=4096", "PWNED-TITLE");
  t.keys("C-d");
  await t.waitForText("[exit 0]");
  assertInert(t, title, /Connected to QEMU 7\.2\.\d+ at unix:/);
});

test(`seeded hostile messages (seed ${fuzzSeed}, ${fuzzSessions} sessions) leave title, buffer and screen alone`, async () => {
  let commands = 0;
  for (let session = 0; session < fuzzSessions; session++) {
    const t = shell(["--connect", `unix:${hostileQmp}`, "--timeout", "1"]);
    await t.waitForText("(QEMU) ");
    const title = t.title();
    for (let i = 1; i <= 6 && !t.screen().includes("[exit"); i++, commands++) {
      t.type("hostile-fuzz");
      t.keys("Enter");
      await t.waitFor(
        "the command's end",
        (screen) =>
          screen.includes("[exit") ||
          (screen.split("(QEMU) hostile-fuzz").length > i && t.lastLine().trim() === "(QEMU)"),
      );
    }
    assert.equal(t.title(), title, "the pane's title changed");
    assert.deepEqual(t.buffers(), [], "a paste buffer was created");
    assert.match(t.visible(), /Connected to QEMU at unix:/, "the banner is gone from the screen");
    t.close();
  }
  console.log(`# hostile terminal: ${fuzzSessions} shell sessions, ${commands} hostile-fuzz commands`);
});
