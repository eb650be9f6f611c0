/**
 * The shell's `watch job ID` and `watch migration`: follow a running job or
 * migration (runtime/operations/) and show its progress on one line that is
 * rewritten in place on a terminal, then its end as an ordinary line. A
 * mirror-style job is watched until it is ready (it waits there for
 * `job-complete`). In a script only the end is printed. Ctrl-C (the caller's
 * `stop` signal) ends the watch, not the job or migration.
 *
 * Data flow: run-line.ts (`watch …`) → `watchJob` / `watchMigration` → the
 * client → `ShellOutput.progress` / `print`.
 */
import type { QmpClient } from "../../runtime/client.js";
import { QmpError } from "../../runtime/errors.js";
import { followJob, type JobProgress } from "../../runtime/operations/jobs.js";
import { followMigration, type MigrationProgress } from "../../runtime/operations/migration.js";
import type { Int64 } from "../../runtime/sdk.js";

/** Where the watch writes: a progress line (undefined: take it away), finished lines, problems. */
export interface WatchOutput {
  progress?(line: string | undefined): void;
  print(text: string): void;
  problem(text: string): void;
}

/** How often the shell asks for progress. */
const pollInterval = 250;

function percent(current: Int64, total: Int64): string {
  const t = Number(total);
  return t > 0 ? ` ${Math.floor((Number(current) * 100) / t)}%` : "";
}

function jobLine(p: JobProgress): string {
  return `job ${p.id}${p.type ? ` (${p.type})` : ""}: ${p.status}${percent(p.current, p.total)} ${p.current}/${p.total}`;
}

function migrationLine(p: MigrationProgress): string {
  const bytes =
    p.transferred !== undefined
      ? `${percent(Number(p.total ?? 0) - Number(p.remaining ?? 0), p.total ?? 0)} ${p.transferred} bytes sent`
      : "";
  return `migration: ${p.status}${bytes}${p.pass !== undefined ? `, pass ${p.pass}` : ""}`;
}

/** Follows job `id` until it ends or is ready. @returns false when it failed or cannot be followed */
export async function watchJob(
  client: QmpClient<any, any>,
  id: string,
  output: WatchOutput,
  stop: AbortSignal,
): Promise<boolean> {
  try {
    const job = await followJob(client, id, { pollInterval, onProgress: (p) => output.progress?.(jobLine(p)) });
    // Ctrl-C stops watching, never the job.
    const detach = () => job.detach();
    if (stop.aborted) detach();
    else stop.addEventListener("abort", detach, { once: true });
    const ended = await Promise.race([job.ready.then(() => undefined), job.finished]);
    output.progress?.(undefined);
    if (ended === undefined) output.print(`job ${id} is ready: job-complete id=${id} finishes it`);
    else output.print(jobLine({ ...ended, status: "concluded" }));
    return true;
  } catch (error) {
    output.progress?.(undefined);
    if (!(error instanceof QmpError)) throw error;
    if (stop.aborted) return (output.print(`stopped watching; job ${id} goes on`), true);
    output.problem(`watch job ${id}: ${error.message}`);
    return false;
  }
}

/** Follows the migration until it ends. @returns false when it failed or there is none */
export async function watchMigration(
  client: QmpClient<any, any>,
  output: WatchOutput,
  stop: AbortSignal,
): Promise<boolean> {
  try {
    const outcome = await followMigration(client, {
      pollInterval,
      signal: stop,
      onProgress: (p) => output.progress?.(migrationLine(p)),
    });
    output.progress?.(undefined);
    output.print(migrationLine(outcome));
    return true;
  } catch (error) {
    output.progress?.(undefined);
    if (!(error instanceof QmpError)) throw error;
    if (stop.aborted) return (output.print("stopped watching; the migration goes on"), true);
    output.problem(`watch migration: ${error.message}`);
    return false;
  }
}
