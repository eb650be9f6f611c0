/**
 * Running a job-creating command (`blockdev-backup`, `blockdev-mirror`,
 * `block-commit`, `block-stream`, `blockdev-create`, `snapshot-save`, …) to
 * its end: the listeners are on before the command is sent, the job's
 * `JOB_STATUS_CHANGE` events (and `BLOCK_JOB_*` for block jobs) drive it, and
 * `query-jobs`, polled for progress, also catches any state an event did not
 * report, and a poll failing (the connection ended, the client was closed)
 * ends the run with that error. The job's own error becomes a `JobError`; the caller's AbortSignal
 * cancels it (`job-cancel`) and the run rejects with an AbortError once the
 * job has really ended.
 *
 * Nothing is left behind: block jobs are started with `auto-dismiss: false`
 * (unless the caller says otherwise) so that their error can still be read
 * from `query-jobs` once they conclude; then they are dismissed. A job the
 * caller started with `auto-finalize: false` is finalized when it is pending.
 * Mirror-style jobs stop at `ready`: `startJob` hands back a `Job` whose
 * `ready` resolves then and whose `complete()` finishes it; `runJob` completes
 * such a job at once.
 *
 * Data flow: the caller → `startJob` → the client (listeners, the command,
 * `query-jobs` polls, `job-*` commands) → `onProgress` reports and the `Job`'s
 * promises back to the caller.
 */
import type { QmpClient } from "../client.js";
import type { ArgsValue } from "../client-types.js";
import { AbortError, ExecuteError, JobError, UsageError } from "../errors.js";
import { checkTimeout, watchAbort } from "../deadline.js";
import type { CommandMapBase, EventMapBase, Int64 } from "../sdk.js";

/** A job's place in its life (QAPI `JobStatus`; newer servers may add values). */
export type JobStatus =
  | "undefined"
  | "created"
  | "running"
  | "paused"
  | "ready"
  | "standby"
  | "waiting"
  | "pending"
  | "aborting"
  | "concluded"
  | "null"
  | (string & {});

/** One progress report. `current` of `total` is in units of the job's own (bytes, for block jobs). */
export interface JobProgress {
  readonly id: string;
  readonly type: string | undefined;
  readonly status: JobStatus;
  readonly current: Int64;
  readonly total: Int64;
}

/** Options of `startJob` and `runJob`. */
export interface JobOptions {
  /** Gets a report whenever the job's progress or status changed (at most once per poll). */
  onProgress?: (progress: JobProgress) => void;
  /** Cancels the job (`job-cancel`); the run then rejects with AbortError once the job has ended. */
  signal?: AbortSignal;
  /** Milliseconds between `query-jobs` polls for progress (default 500). */
  pollInterval?: number;
  /**
   * Mirror-style jobs at `ready`: `wait` (the default of `startJob`) until `complete()`, or
   * `complete` at once (the default of `runJob`).
   */
  whenReady?: "wait" | "complete";
}

/** How a job ended well. */
export interface JobOutcome {
  readonly id: string;
  readonly type: string | undefined;
  /** The last progress seen (for block jobs: bytes done of bytes in all). */
  readonly current: Int64;
  readonly total: Int64;
}

/** A running job. Its promises never count as unhandled: await `finished` (or `complete()`). */
export interface Job {
  readonly id: string;
  /** The status last seen. */
  readonly status: JobStatus;
  /** Resolves when the job is `ready` (mirror-style jobs); rejects as `finished` when it ends before. */
  readonly ready: Promise<void>;
  /** Resolves when the job ended well (and was dismissed); rejects with JobError, AbortError, InterruptedError. */
  readonly finished: Promise<JobOutcome>;
  /** `job-complete` (a `ready` job), then `finished`. */
  complete(): Promise<JobOutcome>;
  /** `job-pause`. */
  pause(): Promise<void>;
  /** `job-resume`. */
  resume(): Promise<void>;
  /**
   * Stops following the job (listeners, polls) without touching it: it goes on in QEMU, and
   * `ready` / `finished`, if still pending, reject with AbortError.
   */
  detach(): void;
}

/** The commands whose jobs take `auto-dismiss` (block jobs): started with it off, so their error stays readable. */
const dismissableCommands = new Set([
  "blockdev-backup",
  "drive-backup",
  "blockdev-mirror",
  "drive-mirror",
  "block-commit",
  "block-stream",
]);

/** What `query-jobs` says of one job. */
interface JobInfo {
  id: string;
  type?: string;
  status: string;
  "current-progress": Int64;
  "total-progress": Int64;
  error?: string;
}

let jobCounter = 0;

/**
 * Sends a job-creating command and follows the job it starts. Resolves with the
 * `Job` once the command was accepted.
 *
 *   const job = await startJob(qmp, "blockdev-mirror", { "job-id": "m0", device: "disk0", target: "copy0", sync: "full" });
 *   await job.ready;
 *   await job.complete();
 *
 * A `job-id` is made up when `args` has none.
 * @throws the command's ExecuteError (nothing is left running), AbortError when `signal` already fired,
 *   UsageError for an invalid `pollInterval`.
 */
export async function startJob<C extends CommandMapBase, E extends EventMapBase, K extends keyof C & string>(
  client: QmpClient<C, E>,
  command: K,
  args: ArgsValue<C[K]["args"]>,
  options: JobOptions = {},
): Promise<Job> {
  const interval = checkTimeout(options.pollInterval ?? 500, "pollInterval") ?? 500;
  if (options.signal?.aborted)
    throw new AbortError(`${command} was aborted before it was sent`, { cause: options.signal.reason });
  const given = (args ?? {}) as Record<string, unknown>;
  const id = typeof given["job-id"] === "string" ? given["job-id"] : `qapi-ts-job-${++jobCounter}`;
  const sent: Record<string, unknown> = { ...given, "job-id": id };
  if (dismissableCommands.has(command) && !("auto-dismiss" in given)) sent["auto-dismiss"] = false;
  const follower = new JobFollower(client as unknown as QmpClient, id, interval, options, {
    finalize: given["auto-finalize"] === false,
  });
  try {
    await client.executeWith(command, sent as ArgsValue<C[K]["args"]>);
  } catch (error) {
    follower.stop();
    throw error;
  }
  follower.begin();
  return follower;
}

/**
 * `startJob` and wait for its end; a mirror-style job is completed when it is ready
 * (unless `whenReady: "wait"`, when something else must complete it).
 * @throws as `startJob`, then JobError (the job's own error), AbortError (cancelled through
 *   `signal`), InterruptedError (the connection ended).
 */
export async function runJob<C extends CommandMapBase, E extends EventMapBase, K extends keyof C & string>(
  client: QmpClient<C, E>,
  command: K,
  args: ArgsValue<C[K]["args"]>,
  options: JobOptions = {},
): Promise<JobOutcome> {
  const job = await startJob(client, command, args, { whenReady: "complete", ...options });
  return job.finished;
}

/**
 * Follows a job that is already running (started by another client, or before a
 * reconnect): its listeners start now, and the first `query-jobs` tells where it is.
 * Its end is read from `query-jobs` as for `startJob`; a job the server dismisses
 * by itself (`auto-dismiss`) ends as its last `BLOCK_JOB_*` event said, or well.
 * @throws UsageError when no job has that id.
 */
export async function followJob<C extends CommandMapBase, E extends EventMapBase>(
  client: QmpClient<C, E>,
  id: string,
  options: JobOptions = {},
): Promise<Job> {
  const interval = checkTimeout(options.pollInterval ?? 500, "pollInterval") ?? 500;
  const follower = new JobFollower(client as unknown as QmpClient, id, interval, options, { finalize: false });
  if (!(await follower.attach())) throw new UsageError(`no job ${JSON.stringify(id)} in query-jobs`);
  return follower;
}

/** Follows one job from its events and polls; the `Job` the caller holds. */
class JobFollower implements Job {
  status: JobStatus = "created";
  readonly ready: Promise<void>;
  readonly finished: Promise<JobOutcome>;
  private type: string | undefined;
  private current: Int64 = 0;
  private total: Int64 = 0;
  private reported = "";
  private settled = false;
  private cancelled = false;
  /** The end a block job's event reported (`BLOCK_JOB_COMPLETED` / `_CANCELLED`), for jobs dismissed by the server. */
  private blockEnd: { error?: string | undefined; cancelled: boolean } | undefined;
  /** Status changes are handled one at a time, in order. */
  private chain: Promise<void> = Promise.resolve();
  private readonly unsubscribe: (() => void)[] = [];
  private pollTimer: NodeJS.Timeout | undefined;
  private resolveReady!: () => void;
  private rejectReady!: (error: Error) => void;
  private resolveFinished!: (outcome: JobOutcome) => void;
  private rejectFinished!: (error: Error) => void;

  constructor(
    private readonly client: QmpClient,
    readonly id: string,
    private readonly interval: number,
    private readonly options: JobOptions,
    private readonly manual: { finalize: boolean },
  ) {
    this.ready = new Promise((resolve, reject) => ((this.resolveReady = resolve), (this.rejectReady = reject)));
    this.finished = new Promise(
      (resolve, reject) => ((this.resolveFinished = resolve), (this.rejectFinished = reject)),
    );
    this.ready.catch(() => undefined);
    this.finished.catch(() => undefined);
    // Listening starts before the command is sent: no event of the job can pass unseen.
    const on = (event: string, listener: (data: any) => void) => {
      const subscription = client.on(event, listener);
      this.unsubscribe.push(() => subscription.dispose());
    };
    on("JOB_STATUS_CHANGE", (data: { id: string; status: string }) => {
      if (data.id === id) this.enqueue(data.status);
    });
    on("BLOCK_JOB_READY", (data: { device: string; type?: string }) => {
      if (data.device === id) ((this.type ??= data.type), this.enqueue("ready"));
    });
    const blockEnd =
      (cancelled: boolean) => (data: { device: string; type?: string; error?: string; offset: Int64; len: Int64 }) => {
        if (data.device !== id) return;
        this.type ??= data.type;
        // The last word on progress when the server dismisses the job by itself.
        this.current = data.offset;
        this.total = data.len;
        this.blockEnd = { error: data.error, cancelled };
      };
    on("BLOCK_JOB_COMPLETED", blockEnd(false));
    on("BLOCK_JOB_CANCELLED", blockEnd(true));
  }

  /** The command was accepted: poll, and honour the signal. */
  begin(): void {
    const signal = this.options.signal;
    if (signal) {
      const stop = watchAbort(signal, () => void this.cancel());
      this.unsubscribe.push(stop);
      if (signal.aborted) void this.cancel();
    }
    this.schedulePoll(0);
  }

  /** For a job already running: false when it is not listed (and nothing is followed). */
  async attach(): Promise<boolean> {
    const info = await this.query();
    if (info === null) return this.finished.then(() => false); // the query failed: this rejects with its error
    if (info === undefined) return (this.stop(), false);
    this.begin();
    this.enqueue(info.status);
    return true;
  }

  /** Stops listening and polling. */
  stop(): void {
    for (const undo of this.unsubscribe.splice(0)) undo();
    clearTimeout(this.pollTimer);
  }

  complete(): Promise<JobOutcome> {
    return this.command("job-complete").then(() => this.finished);
  }

  detach(): void {
    this.fail(new AbortError(`stopped following job ${this.id}; it goes on`));
  }

  pause(): Promise<void> {
    return this.command("job-pause");
  }

  resume(): Promise<void> {
    return this.command("job-resume");
  }

  private async command(name: string): Promise<void> {
    await this.client.executeWith(name, { id: this.id });
  }

  private async cancel(): Promise<void> {
    if (this.settled || this.cancelled) return;
    this.cancelled = true;
    try {
      await this.client.executeWith("job-cancel", { id: this.id });
    } catch (error) {
      if (!(error instanceof ExecuteError)) return this.fail(error as Error);
      // A job that already concluded cannot be cancelled: its end is reported as it is.
      this.cancelled = false;
    }
  }

  private schedulePoll(delay: number): void {
    if (this.settled) return;
    this.pollTimer = setTimeout(() => void this.poll(), delay);
  }

  private async poll(): Promise<void> {
    const info = await this.query();
    if (this.settled || info === null) return;
    if (info === undefined) {
      // Gone from the list without our dismissing it: the server dismissed it (auto-dismiss).
      this.enqueue("null");
      return;
    }
    if (info.status !== this.status) this.enqueue(info.status);
    this.schedulePoll(this.interval);
  }

  /** The job's entry in `query-jobs` (undefined: not listed; null: the query failed and the run ended). */
  private async query(): Promise<JobInfo | undefined | null> {
    let jobs: JobInfo[];
    try {
      jobs = (await this.client.executeWith("query-jobs", undefined)) as JobInfo[];
    } catch (error) {
      this.fail(error as Error);
      return null;
    }
    const info = jobs.find((job) => job.id === this.id);
    if (info) {
      this.type ??= info.type;
      this.current = info["current-progress"];
      this.total = info["total-progress"];
      // A status the job has not taken yet is reported by onStatus, once job.status says it too.
      if (info.status === this.status) this.report(info.status);
    }
    return info;
  }

  private report(status: string): void {
    const key = `${status} ${this.current} ${this.total}`;
    if (key === this.reported) return;
    this.reported = key;
    const { id, type, current, total } = this;
    this.options.onProgress?.({ id, type, status, current, total });
  }

  private enqueue(status: string): void {
    this.chain = this.chain.then(() => this.onStatus(status)).catch((error: Error) => this.fail(error));
  }

  private async onStatus(status: string): Promise<void> {
    if (this.settled || status === this.status) return;
    this.status = status;
    switch (status) {
      case "ready":
        await this.query();
        this.report(status);
        this.resolveReady();
        if (this.options.whenReady === "complete" && !this.cancelled) await this.command("job-complete");
        return;
      case "pending":
        await this.query();
        this.report(status);
        if (this.manual.finalize) await this.command("job-finalize");
        return;
      case "concluded": {
        // Concluded jobs keep their error in query-jobs until dismissed: read it, then dismiss.
        const info = await this.query();
        if (info === null) return;
        if (info) await this.client.executeWith("job-dismiss", { id: this.id });
        return this.end(info?.error ?? this.blockEnd?.error);
      }
      case "null":
        return this.end(this.blockEnd?.error);
      default:
        // Reported with the progress and type only query-jobs knows; every
        // status the job takes is reported, in order, once job.status says it.
        await this.query();
        this.report(status);
    }
  }

  private end(error: string | undefined): void {
    if (this.settled) return;
    if (this.cancelled)
      return this.fail(new AbortError(`job ${this.id} was cancelled`, { cause: this.options.signal?.reason }));
    if (error === undefined && this.blockEnd?.cancelled) error = "the job was cancelled";
    if (error !== undefined) return this.fail(new JobError(this.id, this.type, error));
    this.report("concluded");
    this.settle();
    const { id, type, current, total } = this;
    this.resolveFinished({ id, type, current, total });
    this.rejectReady(new JobError(this.id, this.type, "the job ended without becoming ready"));
  }

  private fail(error: Error): void {
    if (this.settled) return;
    this.settle();
    this.rejectReady(error);
    this.rejectFinished(error);
  }

  private settle(): void {
    this.settled = true;
    this.stop();
  }
}
