/**
 * A command and its event in one wait (runtime/operations/wait.ts) and
 * `guest-exec` run to its exit (runtime/operations/guest-exec.ts), against
 * real programs (Debian's 7.2): `device_del` of a USB tablet, which QEMU
 * removes without a guest's help, and `block-export-del` of an NBD export;
 * and qemu-ga started on the host on a unix socket. That the wait cannot
 * miss an event sent before the reply is shown against the mock
 * (operations-mock.test.ts), which can send it in that order on demand.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ExecuteError, launchQemu, TimeoutError } from "../../runtime/index.js";
import { executeAndWait, guestExec } from "../../runtime/operations/index.js";
import { sdk, type CommandMap, type EventMap } from "../../generated/qemu/index.js";
import { connect as connectAgent } from "../../generated/qga/index.js";
import { cleanupAll, makeTempDir, qemuGa, qemuSystem, startProcess, waitForPath } from "./qemu-helpers.js";

after(cleanupAll);

const usbMachine = [
  ...["-machine", "pc", "-accel", "tcg", "-m", "32", "-nodefaults", "-display", "none"],
  ...["-device", "qemu-xhci,id=xhci", "-device", "usb-tablet,id=tablet0,bus=xhci.0"],
  ...["-device", "usb-tablet,id=tablet1,bus=xhci.0"],
];

test("device_del + DEVICE_DELETED of a USB device, in one wait", async () => {
  await using qemu = await launchQemu<CommandMap, EventMap>({
    binary: qemuSystem,
    args: usbMachine,
    sdk,
    validate: "strict",
  });
  const qmp = qemu.client;
  const { reply, event } = await executeAndWait(
    qmp,
    "device_del",
    { id: "tablet0" },
    "DEVICE_DELETED",
    (data) => data.device === "tablet0",
  );
  assert.deepEqual(reply, {});
  assert.equal(event.event, "DEVICE_DELETED");
  assert.equal(event.data.path, "/machine/peripheral/tablet0");
  const left = (await qmp.execute("qom-list", { path: "/machine/peripheral" })).map((p) => p.name);
  assert.ok(!left.includes("tablet0") && left.includes("tablet1"), left.join(" "));
});

test("a refused command rejects with its error and drops the wait", async () => {
  await using qemu = await launchQemu<CommandMap, EventMap>({ binary: qemuSystem, args: usbMachine, sdk });
  await assert.rejects(
    executeAndWait(qemu.client, "device_del", { id: "nothing" }, "DEVICE_DELETED"),
    (error: unknown) => error instanceof ExecuteError && error.errorClass === "DeviceNotFound",
  );
});

test("block-export-del + BLOCK_EXPORT_DELETED", async () => {
  const dir = makeTempDir();
  await using qemu = await launchQemu<CommandMap, EventMap>({
    binary: qemuSystem,
    args: ["-machine", "none", "-nodefaults", "-display", "none"],
    sdk,
    validate: "strict",
  });
  const qmp = qemu.client;
  await qmp.execute("blockdev-add", { driver: "null-co", "node-name": "disk0", size: 1048576 });
  await qmp.execute("nbd-server-start", { addr: { type: "unix", data: { path: join(dir, "nbd.sock") } } });
  await qmp.execute("block-export-add", { type: "nbd", id: "export0", "node-name": "disk0" });
  const { event } = await executeAndWait(
    qmp,
    "block-export-del",
    { id: "export0" },
    "BLOCK_EXPORT_DELETED",
    (data) => data.id === "export0",
  );
  assert.equal(event.data.id, "export0");
  assert.deepEqual(await qmp.execute("query-block-exports"), []);
});

async function startAgent(): Promise<string> {
  const dir = makeTempDir();
  const path = join(dir, "qga.sock");
  const child = startProcess(qemuGa, ["-m", "unix-listen", "-p", path, "-t", dir, "-b", "guest-shutdown"]);
  await waitForPath(path, child);
  return path;
}

test("guest-exec of /bin/echo hi returns hi and exit code 0; exit codes, stderr and input come back too", async () => {
  await using agent = await connectAgent({ path: await startAgent(), validate: "strict" });
  const echo = await guestExec(agent, "/bin/echo", { args: ["hi"] });
  assert.equal(echo.exitCode, 0);
  assert.equal(echo.stdout, "hi\n");
  assert.equal(echo.stderr, "");
  assert.equal(echo.signal, undefined);

  const failing = await guestExec(agent, "/bin/sh", { args: ["-c", "echo oops >&2; exit 3"] });
  assert.equal(failing.exitCode, 3);
  assert.equal(failing.stderr, "oops\n");

  const cat = await guestExec(agent, "/bin/cat", { input: "ünïcödé\n" });
  assert.equal(cat.stdout, "ünïcödé\n");
  assert.deepEqual([...cat.stdoutBytes], [...Buffer.from("ünïcödé\n")]);

  await assert.rejects(
    guestExec(agent, "/nonexistent/program"),
    (error: unknown) => error instanceof ExecuteError && error.command === "guest-exec",
  );
});

test("guest-exec: a program still running when the time limit passes rejects with TimeoutError", async () => {
  await using agent = await connectAgent({ path: await startAgent() });
  await assert.rejects(guestExec(agent, "/bin/sleep", { args: ["30"], timeout: 300 }), TimeoutError);
});
