/**
 * Example code under test: a small piece of a VM manager that makes sure a VM
 * runs, resuming it when it is paused. It depends only on a typed client, so a
 * test can hand it a client connected to the mock (vm-manager.test.ts) and
 * production code one connected to QEMU.
 */
import type { QmpClient } from "qapi-ts/runtime";
import type { CommandMap, EventMap } from "qapi-ts/qemu";

/** Resumes the VM unless it runs; returns whether it had to. */
export async function ensureRunning(qmp: QmpClient<CommandMap, EventMap>): Promise<boolean> {
  const status = await qmp.execute("query-status");
  if (status.running) return false;
  if (status.status !== "paused") throw new Error(`cannot resume a VM that is ${status.status}`);
  const resumed = qmp.waitFor("RESUME", { timeout: 10_000 });
  await qmp.execute("cont");
  await resumed;
  return true;
}
