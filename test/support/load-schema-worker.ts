/**
 * Worker-thread side of test/support/load-schema-bounded.ts: loads each schema
 * file it is given with the front end's loadSchema and reports, per file, how
 * the load ended. It runs in a worker so that the main thread can stop it when
 * a load hangs, and so a stack overflow or crash in the front end ends up as a
 * result instead of taking the test process down.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadSchema } from "../../generator/load-schema.js";
import { UserFacingError } from "../../generator/errors.js";
import { QapiError } from "../../generator/frontend/errors.js";
import type { LoadJob, LoadOutcome, WorkerMessage } from "./load-schema-bounded.js";

function describe(error: unknown): LoadOutcome {
  if (error instanceof UserFacingError) {
    return {
      kind: "user-error",
      className: error.constructor.name,
      isQapiError: error instanceof QapiError,
      report: error.report(),
    };
  }
  if (error instanceof Error) {
    return { kind: "crash", className: error.constructor.name, message: error.message, stack: error.stack ?? "" };
  }
  return { kind: "crash", className: typeof error, message: String(error), stack: "" };
}

const { jobs } = workerData as { jobs: LoadJob[] };
const post = (message: WorkerMessage) => parentPort!.postMessage(message);
for (const job of jobs) {
  post({ type: "start", id: job.id });
  let outcome: LoadOutcome;
  try {
    await loadSchema(job.file, { docLint: job.docLint });
    outcome = { kind: "ok" };
  } catch (error) {
    outcome = describe(error);
  }
  post({ type: "done", id: job.id, outcome });
}
