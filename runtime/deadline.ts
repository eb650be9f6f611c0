/**
 * The one time-limit and cancellation helper of the runtime: calls
 * (runtime/call-table.ts via runtime/session.ts), event waits
 * (runtime/event-hub.ts `waitFor`) and connecting (runtime/connect.ts: the
 * handshake limit and the caller's signal) all arm their limit here.
 *
 * - Time limits are checked where the user gives them (`checkTimeout`): NaN,
 *   negative or non-number values are a UsageError naming the option, never a
 *   timer that fires at once. `Infinity` means no limit.
 * - `setTimeout` turns any delay above 2^31 − 1 ms into 1 ms; longer limits
 *   are waited out in chunks, so a limit of 30 days really is 30 days.
 * - An AbortSignal gets one listener, however many calls share it: each
 *   signal's interested parties sit in one set, so a signal shared by a
 *   thousand calls triggers no MaxListenersExceededWarning and each party's
 *   removal is O(1).
 */
import { UsageError } from "./errors.js";

/** Longest delay `setTimeout` honours. */
const maxTimerDelay = 2 ** 31 - 1;

/**
 * Validates a user-given time limit in milliseconds.
 * @returns the limit, or undefined for none (undefined or Infinity).
 * @throws UsageError for NaN, a negative number or a non-number.
 */
export function checkTimeout(value: unknown, option: string): number | undefined {
  if (value === undefined || value === Infinity) return undefined;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
    const shown = typeof value === "number" ? String(value) : `${typeof value} ${JSON.stringify(value)}`;
    throw new UsageError(`${option} must be a number of milliseconds, 0 or more (Infinity for none), got ${shown}`);
  }
  return value;
}

/** What `armDeadline` watches, and whom it tells. Exactly one of the callbacks runs, at most once. */
export interface DeadlineOptions {
  /** Milliseconds (already checked with `checkTimeout`); undefined: no limit. */
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
  onTimeout?: () => void;
  onAbort?: () => void;
}

/**
 * Arms a time limit and/or an abort signal. Returns the disarming function,
 * which the owner calls once the guarded work settles (idempotent). A signal
 * that is already aborted is the caller's to check first: it is not reported.
 */
export function armDeadline(options: DeadlineOptions): () => void {
  const { timeout, signal } = options;
  if (timeout === undefined && !signal) return noop;
  let done = false;
  let stopTimer = noop;
  let stopWatching = noop;
  const disarm = () => {
    if (done) return;
    done = true;
    stopTimer();
    stopWatching();
  };
  if (timeout !== undefined) stopTimer = startTimer(timeout, () => (disarm(), options.onTimeout?.()));
  if (signal) stopWatching = watchAbort(signal, () => (disarm(), options.onAbort?.()));
  return disarm;
}

/** A timer for any finite delay: delays beyond `setTimeout`'s range run as a chain of shorter ones. */
function startTimer(ms: number, fire: () => void): () => void {
  let remaining = ms;
  let timer: NodeJS.Timeout;
  const step = () => {
    if (remaining <= maxTimerDelay) return void (timer = setTimeout(fire, remaining));
    remaining -= maxTimerDelay;
    timer = setTimeout(step, maxTimerDelay);
  };
  step();
  return () => clearTimeout(timer);
}

interface SignalWatchers {
  readonly parties: Set<() => void>;
  readonly onAbort: () => void;
}

const watched = new WeakMap<AbortSignal, SignalWatchers>();

/**
 * Calls `callback` when `signal` aborts; returns the unsubscribe function. One DOM listener per signal.
 * A signal that has already aborted never calls it: callers check `signal.aborted` themselves.
 */
export function watchAbort(signal: AbortSignal, callback: () => void): () => void {
  let entry = watched.get(signal);
  if (!entry) {
    const parties = new Set<() => void>();
    const onAbort = () => {
      watched.delete(signal);
      for (const party of [...parties]) party();
      parties.clear();
    };
    entry = { parties, onAbort };
    watched.set(signal, entry);
    signal.addEventListener("abort", onAbort, { once: true });
  }
  const { parties } = entry;
  // A fresh wrapper per subscription, so the same callback may subscribe twice.
  const party = () => callback();
  parties.add(party);
  return () => {
    if (!parties.delete(party) || parties.size > 0) return;
    // Nobody left: drop the listener so a long-lived signal holds nothing of ours.
    if (watched.get(signal) === entry) {
      watched.delete(signal);
      signal.removeEventListener("abort", entry!.onAbort);
    }
  };
}

function noop(): void {}
