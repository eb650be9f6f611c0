/**
 * Loads many schema files through the front end, each bounded in time, and
 * reports how each load ended: fine, a user-facing error (with its report
 * text), a crash (any other exception, including a stack overflow), or a
 * hang. The loads run in a worker thread (load-schema-worker.ts) with the
 * main thread's default stack size; a hang or a fatal worker error ends the
 * worker, which is restarted for the remaining files.
 * Used by the fuzz test, test/generator/frontend/fuzz.test.ts.
 */
import { Worker } from "node:worker_threads";

/** One file to load. */
export interface LoadJob {
  id: number;
  file: string;
  docLint: boolean;
}

/** How one load ended. */
export type LoadOutcome =
  | { kind: "ok" }
  | { kind: "user-error"; className: string; isQapiError: boolean; report: string }
  | { kind: "crash"; className: string; message: string; stack: string }
  | { kind: "hang"; boundMs: number };

/** What the worker posts back. */
export type WorkerMessage = { type: "start"; id: number } | { type: "done"; id: number; outcome: LoadOutcome };

/** Node's default stack for the main thread is about 1 MB; a worker gets 4 MB unless told. */
const mainThreadStackMb = 1;

/**
 * Loads every job, at most `boundMs` per load (a bound against hangs, far
 * above any sane load time, not a timing assertion).
 */
export async function loadSchemasBounded(jobs: readonly LoadJob[], boundMs: number): Promise<Map<number, LoadOutcome>> {
  const outcomes = new Map<number, LoadOutcome>();
  let remaining = [...jobs];
  while (remaining.length > 0) {
    await runWorker(remaining, boundMs, outcomes);
    remaining = remaining.filter((job) => !outcomes.has(job.id));
  }
  return outcomes;
}

/** Runs one worker over `jobs` until it finishes them, hangs, or dies. */
function runWorker(jobs: readonly LoadJob[], boundMs: number, outcomes: Map<number, LoadOutcome>): Promise<void> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL("./load-schema-worker.js", import.meta.url), {
      workerData: { jobs },
      resourceLimits: { stackSizeMb: mainThreadStackMb },
      stdout: true,
      stderr: true,
    });
    let current: number | undefined;
    let startedAny = false;
    let fatal: Error | undefined;
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: LoadOutcome | undefined) => {
      clearTimeout(timer);
      if (current !== undefined && outcome && !outcomes.has(current)) outcomes.set(current, outcome);
      current = undefined;
    };
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "start") {
        startedAny = true;
        current = message.id;
        timer = setTimeout(() => {
          settle({ kind: "hang", boundMs });
          void worker.terminate();
        }, boundMs);
      } else {
        outcomes.set(message.id, message.outcome);
        settle(undefined);
      }
    });
    // A fatal error inside the worker (e.g. out of memory) is a crash of the current load.
    worker.on("error", (error: Error) => {
      fatal = error;
      settle({ kind: "crash", className: error.constructor.name, message: error.message, stack: error.stack ?? "" });
    });
    worker.on("exit", () => {
      settle({ kind: "crash", className: "WorkerExit", message: "the worker stopped during this load", stack: "" });
      // A worker that dies before its first load (say, the front end fails to
      // import) would die again: every remaining load counts as that crash.
      if (!startedAny) {
        const message = `the worker died before loading anything: ${fatal?.message ?? "no error reported"}`;
        for (const job of jobs) {
          if (!outcomes.has(job.id))
            outcomes.set(job.id, { kind: "crash", className: "WorkerExit", message, stack: fatal?.stack ?? "" });
        }
      }
      resolve();
    });
  });
}
