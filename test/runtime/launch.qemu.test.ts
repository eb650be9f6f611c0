/**
 * launchQemu cleans up however the launching program ends: by a signal (the
 * signal's default action still happens), an uncaught exception, or
 * process.exit. A child node process (test/runtime/launch-fixture.ts) launches
 * a real qemu-system-x86_64, and this test checks that QEMU is gone and its
 * temporary directory removed afterwards.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchQemu, UsageError } from "../../runtime/index.js";
import { bareMachineArgs, qemuSystem } from "./qemu-helpers.js";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

const fixture = fileURLToPath(new URL("./launch-fixture.js", import.meta.url));

/** Alive means present in /proc and not a zombie. */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function runFixture(
  mode: string,
  signal?: NodeJS.Signals,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ pid: number; dir: string; code: number | null; signalCode: string | null }> {
  const child = spawn(process.execPath, [fixture, mode], { stdio: ["pipe", "pipe", "pipe"], env });
  const exited = new Promise<[number | null, string | null]>((resolve) =>
    child.once("exit", (code, sig) => resolve([code, sig])),
  );
  let out = "";
  child.stdout.setEncoding("utf8");
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: string) => {
      out += chunk;
      if (out.includes("\n")) resolve(out.split("\n")[0]!);
    });
    void exited.then(() => reject(new Error(`fixture ended early: ${out}`)));
  });
  const info = JSON.parse(line) as { pid: number; dir: string };
  try {
    assert.ok(isAlive(info.pid), "QEMU runs while the launcher lives");
    if (signal) child.kill(signal);
    else child.stdin.end(); // lets a `throw` or `exit` fixture end now
    const [code, signalCode] = await exited;
    return { ...info, code, signalCode };
  } finally {
    child.kill("SIGKILL");
    if (isAlive(info.pid)) process.kill(info.pid, "SIGKILL");
  }
}

async function assertCleanedUp(pid: number, dir: string): Promise<void> {
  // SIGKILL is delivered at once, but the kernel may take a moment to tear the process down, and
  // after the launcher's own SIGKILL its watchdog does the work: polled, not timed.
  for (let i = 0; i < 300 && (isAlive(pid) || existsSync(dir)); i++) await sleep(10);
  assert.equal(isAlive(pid), false, "QEMU was killed");
  assert.equal(existsSync(dir), false, "the temporary directory was removed");
}

test("SIGTERM to the launcher: QEMU killed, directory removed, and the launcher still dies of SIGTERM", async () => {
  const result = await runFixture("wait", "SIGTERM");
  assert.equal(result.signalCode, "SIGTERM");
  await assertCleanedUp(result.pid, result.dir);
});

test("an uncaught exception in the launcher: QEMU killed, directory removed", async () => {
  const result = await runFixture("throw");
  assert.notEqual(result.code, 0);
  await assertCleanedUp(result.pid, result.dir);
});

test("process.exit in the launcher: QEMU killed, directory removed", async () => {
  const result = await runFixture("exit");
  assert.equal(result.code, 3);
  await assertCleanedUp(result.pid, result.dir);
});

test("SIGKILL to the launcher: its watchdog kills QEMU and removes the directory (TMPDIR holding a comma)", async () => {
  // A comma in TMPDIR once split QEMU's -chardev option; it is doubled now, as QEMU's syntax wants.
  const tmp = mkdtempSync(join(tmpdir(), "qapi-ts-a,b-"));
  try {
    const result = await runFixture("wait", "SIGKILL", { ...process.env, TMPDIR: tmp });
    assert.equal(result.signalCode, "SIGKILL");
    assert.ok(result.dir.startsWith(tmp), result.dir);
    await assertCleanedUp(result.pid, result.dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("launch time limits follow the call-timeout rules: Infinity is no limit, NaN is refused", async () => {
  await assert.rejects(
    launchQemu({ binary: qemuSystem, args: bareMachineArgs, quitTimeout: NaN }),
    (e: unknown) => e instanceof UsageError && /quitTimeout/.test(e.message),
  );
  await assert.rejects(
    launchQemu({ binary: qemuSystem, args: bareMachineArgs, startTimeout: -1 }),
    (e: unknown) => e instanceof UsageError && /startTimeout/.test(e.message),
  );
  // Infinity once became a 1 ms timer: QEMU was SIGKILLed right after `quit`.
  const qemu = await launchQemu({
    binary: qemuSystem,
    args: bareMachineArgs,
    startTimeout: Infinity,
    quitTimeout: Infinity,
  });
  await qemu.close();
  assert.deepEqual(await qemu.exited, { code: 0, signal: null });
});
