/**
 * A migration followed to its end, on both sides. The source (`migrate`)
 * sends to a URI or channels in the connected release's own argument shape
 * (migration-args.ts); the destination, started with `-incoming defer`,
 * listens with `migrate-incoming` (`listenForMigration`). Either side follows
 * `query-migrate`, polled for progress, and the `MIGRATION` / `MIGRATION_PASS`
 * events (turned on with the `events` capability first), until `completed`,
 * `failed` (a MigrationError with the server's description) or `cancelled`.
 * The caller's AbortSignal cancels a source's migration (`migrate_cancel`);
 * the run rejects with AbortError once QEMU has really stopped it.
 *
 * Data flow: the caller → these functions → the client (capability, command,
 * listeners, polls) → `onProgress` reports and the outcome back to the caller.
 */
import type { QmpClient } from "../client.js";
import { AbortError, MigrationError, UsageError } from "../errors.js";
import { checkTimeout, watchAbort } from "../deadline.js";
import type { CommandMapBase, EventMapBase, Int64 } from "../sdk.js";
import { migrationArguments, type MigrationTarget } from "./migration-args.js";

export type { MigrationAddress, MigrationChannel, MigrationTarget, SocketAddress } from "./migration-args.js";

/** One progress report (from `query-migrate` and the events). */
export interface MigrationProgress {
  /** `setup`, `active`, `device`, `completed`, … (QAPI `MigrationStatus`). */
  readonly status: string;
  /** RAM bytes sent (source) so far, when the server reports it. */
  readonly transferred?: Int64 | undefined;
  /** RAM bytes left to send, when reported. */
  readonly remaining?: Int64 | undefined;
  /** Guest RAM in bytes, when reported. */
  readonly total?: Int64 | undefined;
  /** The number of the pass over RAM (`MIGRATION_PASS`), once one was reported. */
  readonly pass?: number | undefined;
}

/** Options of `migrate` and `listenForMigration`. */
export interface MigrationOptions {
  onProgress?: (progress: MigrationProgress) => void;
  /** Source: cancels the migration (`migrate_cancel`). Destination: stops following it. */
  signal?: AbortSignal;
  /** Milliseconds between `query-migrate` polls (default 500). */
  pollInterval?: number;
}

/** Options of the destination side. */
export interface IncomingOptions extends MigrationOptions {
  /**
   * The run state wanted once the migration completed: `running` (sends `cont` if needed),
   * `paused` (sends `stop` if needed), or, by default, whatever the migration left.
   */
  then?: "running" | "paused";
}

/** How a migration ended well: the last report. */
export type MigrationOutcome = MigrationProgress & { readonly status: "completed" };

/** A destination that listens; `finished` settles as `migrate` does on the source. */
export interface IncomingMigration {
  readonly finished: Promise<MigrationOutcome>;
}

interface MigrationInfo {
  status?: string;
  ram?: { transferred: Int64; remaining: Int64; total: Int64 };
  "error-desc"?: string;
}

type AnyClient = QmpClient<CommandMapBase, EventMapBase>;

/**
 * Migrates to `target` and resolves once the migration completed.
 *
 *   await migrate(qmp, { uri: "unix:/run/vm1-migrate.sock" }, { onProgress: (p) => console.log(p.status) });
 *
 * @throws MigrationError (failed or cancelled by someone else), AbortError (`signal`), ExecuteError
 *   (the command was refused), UsageError (channels an older release cannot express as a URI).
 */
export async function migrate<C extends CommandMapBase, E extends EventMapBase>(
  client: QmpClient<C, E>,
  target: MigrationTarget,
  options: MigrationOptions = {},
): Promise<MigrationOutcome> {
  return (await start(client as unknown as AnyClient, "source", target, options)).finished;
}

/**
 * Destination side: QEMU started with `-incoming defer` listens at `target`
 * (`migrate-incoming`). Resolves once it listens; `finished` resolves when the
 * migration completed and the run state is as `then` asks.
 * @throws ExecuteError (the command was refused), UsageError as `migrate`.
 */
export async function listenForMigration<C extends CommandMapBase, E extends EventMapBase>(
  client: QmpClient<C, E>,
  target: MigrationTarget,
  options: IncomingOptions = {},
): Promise<IncomingMigration> {
  const qmp = client as unknown as AnyClient;
  const started = await start(qmp, "destination", target, options);
  const finished = started.finished.then(async (outcome) => {
    if (options.then === undefined) return outcome;
    const { running } = (await qmp.executeWith("query-status", undefined)) as { running: boolean };
    if (options.then === "running" && !running) await qmp.executeWith("cont", undefined);
    if (options.then === "paused" && running) await qmp.executeWith("stop", undefined);
    return outcome;
  });
  finished.catch(() => undefined);
  return { finished };
}

/**
 * Follows a migration that is already under way (started by another client, or on
 * a destination started with `-incoming URI`), on either side, from `query-migrate`
 * polls and the events (when the `events` capability is on). Its `signal` stops the
 * following (AbortError), not the migration.
 * @throws UsageError when there is no migration to follow.
 */
export async function followMigration<C extends CommandMapBase, E extends EventMapBase>(
  client: QmpClient<C, E>,
  options: MigrationOptions = {},
): Promise<MigrationOutcome> {
  const qmp = client as unknown as AnyClient;
  const interval = checkTimeout(options.pollInterval ?? 500, "pollInterval") ?? 500;
  const info = (await qmp.executeWith("query-migrate", undefined)) as MigrationInfo;
  if (info.status === undefined) throw new UsageError("no migration to follow: query-migrate reports none");
  return new MigrationFollower(qmp, "source", interval, options, false).begin();
}

/**
 * Turns on the migration events, starts listening, then sends `migrate` (source) or
 * `migrate-incoming` (destination) in the release's shape. Resolves once the command was accepted.
 */
async function start(
  qmp: AnyClient,
  side: "source" | "destination",
  target: MigrationTarget,
  options: MigrationOptions,
): Promise<IncomingMigration> {
  const command = side === "source" ? "migrate" : "migrate-incoming";
  const args = migrationArguments(command, target, qmp.greeting?.version.qemu);
  const interval = checkTimeout(options.pollInterval ?? 500, "pollInterval") ?? 500;
  if (options.signal?.aborted)
    throw new AbortError(`the migration was aborted before it started`, { cause: options.signal.reason });
  await qmp.executeWith("migrate-set-capabilities", { capabilities: [{ capability: "events", state: true }] });
  const follower = new MigrationFollower(qmp, side, interval, options);
  try {
    await qmp.executeWith(command, args);
  } catch (error) {
    follower.stop();
    throw error;
  }
  return { finished: follower.begin() };
}

const ends = new Set(["completed", "failed", "cancelled"]);

/** Follows one migration from its events and polls. */
class MigrationFollower {
  private last: MigrationProgress = { status: "setup" };
  private reported = "";
  private settled = false;
  private cancelled = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly undo: (() => void)[] = [];
  private resolve!: (outcome: MigrationOutcome) => void;
  private reject!: (error: Error) => void;
  private readonly done = new Promise<MigrationOutcome>(
    (resolve, reject) => ((this.resolve = resolve), (this.reject = reject)),
  );

  constructor(
    private readonly qmp: AnyClient,
    private readonly side: "source" | "destination",
    private readonly interval: number,
    private readonly options: MigrationOptions,
    /** Whether the signal cancels the migration (a source that started it) or only the following. */
    private readonly cancels = side === "source",
  ) {
    const on = (event: string, listener: (data: any) => void) => {
      const subscription = qmp.on(event, listener);
      this.undo.push(() => subscription.dispose());
    };
    // An event ends nothing by itself: the poll it triggers reads the error text with the status.
    on("MIGRATION", (data: { status: string }) => {
      this.update({ ...this.last, status: data.status });
      if (ends.has(data.status)) this.schedulePoll(0);
    });
    on("MIGRATION_PASS", (data: { pass: number }) => this.update({ ...this.last, pass: data.pass }));
  }

  begin(): Promise<MigrationOutcome> {
    const signal = this.options.signal;
    if (signal) {
      this.undo.push(watchAbort(signal, () => void this.abort()));
      // An event can report progress before `migrate` returns, and the caller may abort from it.
      if (signal.aborted) void this.abort();
    }
    this.schedulePoll(0);
    return this.done;
  }

  stop(): void {
    for (const undo of this.undo.splice(0)) undo();
    clearTimeout(this.pollTimer);
  }

  private async abort(): Promise<void> {
    if (this.settled || this.cancelled) return;
    this.cancelled = true;
    const aborted = new AbortError(this.cancels ? "the migration was cancelled" : "stopped following the migration", {
      cause: this.options.signal?.reason,
    });
    // The destination cannot cancel an incoming migration, nor a follower one it did not start.
    if (!this.cancels) return this.fail(aborted);
    try {
      await this.qmp.executeWith("migrate_cancel", undefined);
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private schedulePoll(delay: number): void {
    if (this.settled) return;
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => void this.poll(), delay);
  }

  private async poll(): Promise<void> {
    let info: MigrationInfo;
    try {
      info = (await this.qmp.executeWith("query-migrate", undefined)) as MigrationInfo;
    } catch (error) {
      return this.fail(error as Error);
    }
    if (this.settled) return;
    const status = info.status ?? this.last.status;
    const ram = info.ram;
    this.update({
      ...this.last,
      status,
      ...(ram ? { transferred: ram.transferred, remaining: ram.remaining, total: ram.total } : {}),
    });
    if (status === "completed") {
      this.settle();
      return this.resolve(this.last as MigrationOutcome);
    }
    if (status === "cancelled" && this.cancelled)
      return this.fail(new AbortError("the migration was cancelled", { cause: this.options.signal?.reason }));
    if (status === "failed" || status === "cancelled")
      return this.fail(new MigrationError(info["error-desc"] ?? `the migration was ${status}`, this.side));
    this.schedulePoll(this.interval);
  }

  private update(progress: MigrationProgress): void {
    this.last = progress;
    const key = JSON.stringify(progress, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value));
    if (key === this.reported) return;
    this.reported = key;
    this.options.onProgress?.(progress);
  }

  private fail(error: Error): void {
    if (this.settled) return;
    this.settle();
    this.reject(error);
  }

  private settle(): void {
    this.settled = true;
    this.stop();
  }
}
