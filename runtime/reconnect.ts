/**
 * What a client holds across connections: the current session, the event hub
 * that outlives it, and (opt-in, `reconnect`) the loop that re-establishes a
 * lost connection with bounded, jittered, cancellable backoff.
 *
 * When a reconnecting client's session fails, its pending calls reject with
 * ConnectionLostError (never resent: whether they ran is unknown), the client's
 * state becomes `reconnecting`, and attempts follow with delays doubling from
 * `initialDelay` up to `maxDelay`, each shortened by a random fraction up to
 * `jitter` so that many clients of one restarted QEMU do not return in step.
 * Each attempt is a whole set-up (runtime/connect.ts `establish`: transport,
 * the dialect's handshake, validation following the new server's release,
 * which may be another QEMU). Subscriptions, iterators and `waitFor`s live in
 * the hub and carry on. `close()`, the `signal` or `maxAttempts` end it.
 *
 * Data flow: runtime/connect.ts builds the Connection and its first session;
 * runtime/session.ts reports its end through `SessionOwner.sessionEnded`;
 * runtime/client.ts asks `session` and `state`; connection events go to
 * `onConnectionEvent` listeners (runtime/proxy.ts is one).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ClientState, QmpDiagnostic } from "./client-types.js";
import type { QmpGreeting } from "./messages.js";
import { EventHub } from "./event-hub.js";
import type { Session, SessionOwner } from "./session.js";
import { InterruptedError, UsageError } from "./errors.js";
import { checkTimeout } from "./deadline.js";

/** Opt-in reconnection (`connect({ …, reconnect: true | { … } })`). */
export interface ReconnectOptions {
  /** Delay before the first attempt, in ms (default 100). Doubles per attempt. */
  initialDelay?: number;
  /** Largest delay between attempts, in ms (default 5 000). */
  maxDelay?: number;
  /** Attempts per loss before giving up and closing (default: unlimited). */
  maxAttempts?: number;
  /** Each delay is shortened by a random fraction of at most this (0 to 1, default 0.5). */
  jitter?: number;
  /** Stops reconnecting when it fires: the client closes. */
  signal?: AbortSignal;
}

/** What the program is told about the connection underneath a client. */
export type ConnectionEvent =
  /** The connection was lost; reconnecting starts. `attempt` is 0. */
  | { kind: "disconnected"; reason: Error; attempt: 0 }
  /** Attempt `attempt` failed with `reason`; the next comes after `delay` ms. */
  | { kind: "attempt-failed"; reason: Error; attempt: number; delay: number }
  /** Attempt `attempt` succeeded: the new session runs (`greeting`: the new server's, QMP only). */
  | { kind: "reconnected"; attempt: number; greeting: QmpGreeting | undefined }
  /** Reconnecting ended without success (`maxAttempts`, `signal`, or `close()`); the client is closed. */
  | { kind: "gave-up"; reason: Error; attempt: number };

/** Makes one new running session (not yet released); throws when it cannot. */
export type Establish = (owner: SessionOwner, signal: AbortSignal) => Promise<Session>;

interface Backoff {
  initialDelay: number;
  maxDelay: number;
  maxAttempts: number;
  jitter: number;
  signal: AbortSignal | undefined;
}

/**
 * Validates `reconnect` before anything is opened.
 * @throws UsageError for a negative or NaN delay, attempts below 1, jitter outside 0–1.
 */
export function checkReconnectOptions(reconnect: boolean | ReconnectOptions | undefined): Backoff | undefined {
  if (reconnect === undefined || reconnect === false) return undefined;
  const options = reconnect === true ? {} : reconnect;
  const backoff: Backoff = {
    initialDelay: checkTimeout(options.initialDelay ?? 100, "reconnect.initialDelay") ?? 100,
    maxDelay: checkTimeout(options.maxDelay ?? 5_000, "reconnect.maxDelay") ?? 5_000,
    maxAttempts: options.maxAttempts ?? Infinity,
    jitter: options.jitter ?? 0.5,
    signal: options.signal,
  };
  if (!(backoff.maxAttempts === Infinity || (Number.isInteger(backoff.maxAttempts) && backoff.maxAttempts >= 1)))
    throw new UsageError(`reconnect.maxAttempts must be a whole number, 1 or more, got ${String(options.maxAttempts)}`);
  if (!(backoff.jitter >= 0 && backoff.jitter <= 1))
    throw new UsageError(`reconnect.jitter must be between 0 and 1, got ${String(options.jitter)}`);
  return backoff;
}

/** The delay before attempt `attempt` (1-based): doubling, capped, jittered downwards. */
export function backoffDelay(backoff: Backoff, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(backoff.maxDelay, backoff.initialDelay * 2 ** Math.min(attempt - 1, 52));
  return Math.round(base * (1 - backoff.jitter * random()));
}

/** The sessions of one client, one after another. */
export class Connection implements SessionOwner {
  readonly hub: EventHub;
  private current: Session | undefined;
  private reconnecting = false;
  private ended = false;
  private readonly stop = new AbortController();
  private readonly listeners = new Set<(event: ConnectionEvent) => void>();
  private readonly closedPromise: Promise<Error | undefined>;
  private resolveClosed!: (reason: Error | undefined) => void;

  constructor(
    private readonly backoff: Backoff | undefined,
    private readonly establish: Establish,
    private readonly diagnose: ((diagnostic: QmpDiagnostic) => void) | undefined,
  ) {
    this.hub = new EventHub((error) => {
      // A listener's bug must not stop delivery to the others, nor vanish: without a
      // diagnostics handler it surfaces as an uncaught exception, as with an EventEmitter.
      if (diagnose) diagnose({ kind: "listener-error", message: String(error), value: error });
      else
        queueMicrotask(() => {
          throw error;
        });
    });
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
    backoff?.signal?.addEventListener("abort", () => this.stop.abort(backoff.signal!.reason), { once: true });
  }

  get reconnects(): boolean {
    return this.backoff !== undefined;
  }

  /** The session of the current (or last) connection. */
  get session(): Session {
    return this.current!;
  }

  get state(): ClientState {
    if (this.ended) return "closed";
    if (this.reconnecting) return "reconnecting";
    return this.current!.state;
  }

  /** Resolves once the client has ended for good: undefined after `close()`, else the last reason. */
  get closed(): Promise<Error | undefined> {
    return this.closedPromise;
  }

  /** The first session, once its set-up succeeded (runtime/connect.ts). */
  start(session: Session): void {
    this.current = session;
  }

  /** Listens to connection events; returns the function that stops listening. */
  onEvent(listener: (event: ConnectionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the client: the session, or reconnecting. */
  async close(): Promise<void> {
    if (this.reconnecting) {
      this.stop.abort();
      await this.closedPromise;
      return;
    }
    await this.current?.close();
    await this.closedPromise;
  }

  // ---- SessionOwner ----

  sessionEnded(session: Session, reason: Error | undefined): void {
    if (session !== this.current && this.current !== undefined) return; // an attempt that failed in set-up
    // A failed first set-up, a deliberate close, or no reconnect: the client is over.
    if (reason === undefined || !this.backoff || this.current === undefined || this.stop.signal.aborted)
      return this.finish(reason);
    this.reconnecting = true;
    this.emit({ kind: "disconnected", reason, attempt: 0 });
    void this.reconnect(this.backoff, reason);
  }

  // ---- reconnecting ----

  private async reconnect(backoff: Backoff, lost: Error): Promise<void> {
    let last = lost;
    for (let attempt = 1; ; attempt++) {
      const delay = backoffDelay(backoff, attempt);
      try {
        await sleep(delay, undefined, { signal: this.stop.signal });
        const session = await this.establish(this, this.stop.signal);
        this.current = session;
        this.reconnecting = false;
        this.emit({ kind: "reconnected", attempt, greeting: session.greetingMessage });
        session.release();
        return;
      } catch (error) {
        if (this.stop.signal.aborted) return this.giveUp(attempt, this.stopReason(last));
        last = error as Error;
        if (attempt >= backoff.maxAttempts) return this.giveUp(attempt, last);
        this.emit({ kind: "attempt-failed", reason: last, attempt, delay: backoffDelay(backoff, attempt + 1) });
      }
    }
  }

  private stopReason(last: Error): Error {
    const signal = this.backoff?.signal;
    if (signal?.aborted)
      return new InterruptedError(`reconnecting was aborted (after: ${last.message})`, undefined, {
        cause: signal.reason,
      });
    return new InterruptedError(`the client was closed while reconnecting (after: ${last.message})`, undefined, {
      cause: last,
    });
  }

  private giveUp(attempt: number, reason: Error): void {
    this.reconnecting = false;
    this.emit({ kind: "gave-up", reason, attempt });
    // close() while reconnecting is a deliberate end: iterators finish rather than throw.
    this.finish(this.backoff?.signal?.aborted || !this.stop.signal.aborted ? reason : undefined);
  }

  private finish(reason: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.hub.end(
      reason && new InterruptedError(`the connection was lost: ${reason.message}`, undefined, { cause: reason }),
    );
    this.resolveClosed(reason);
  }

  private emit(event: ConnectionEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        if (this.diagnose) this.diagnose({ kind: "listener-error", message: String(error), value: error });
        else
          queueMicrotask(() => {
            throw error;
          });
      }
    }
  }
}
