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
import { existsSync, readFileSync } from "node:fs";
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
): Promise<{ pid: number; dir: string; code: number | null; signalCode: string | null }> {
  const child = spawn(process.execPath, [fixture, mode], { stdio: ["pipe", "pipe", "pipe"] });
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
  // SIGKILL is delivered at once, but the kernel may take a moment to tear the process down.
  for (let i = 0; i < 200 && isAlive(pid); i++) await sleep(10);
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
