/**
 * A command and the event that reports its effect, in one call that cannot
 * miss the event: the wait is armed before the command is written, so an
 * event QEMU sends before (or right after) its reply is still caught —
 * `device_del` → `DEVICE_DELETED`, `block-export-del` → `BLOCK_EXPORT_DELETED`,
 * `system_powerdown` → `SHUTDOWN`.
 *
 * Data flow: the caller → `client.waitFor` (runtime/event-hub.ts, armed first)
 * and `client.executeWith` → `{ reply, event }` back to the caller.
 */
import type { QmpClient } from "../client.js";
import type { ArgsValue } from "../client-types.js";
import { defaultCommandTimeouts } from "../default-timeouts.js";
import { watchAbort } from "../deadline.js";
import type { QmpEventMessage } from "../messages.js";
import type { CommandMapBase, EventMapBase } from "../sdk.js";

/** Options of `executeAndWait`. */
export interface ExecuteAndWaitOptions {
  /**
   * Time limit in ms for the reply and the event together (default: the `long` default,
   * 600 000, as the event may wait on the guest; `Infinity`: none).
   */
  timeout?: number;
  /** Gives up (AbortError) when the signal fires; a command already sent may still take effect. */
  signal?: AbortSignal;
}

/** What `executeAndWait` resolves with: the command's reply and the event. */
export interface ExecutedAndSeen<R, M> {
  reply: R;
  event: M;
}

/**
 * Runs `command` and resolves once `event` arrives with data matching `predicate`
 * (any such event when none is given).
 *
 *   const { event } = await executeAndWait(qmp, "device_del", { id: "tablet0" },
 *     "DEVICE_DELETED", (data) => data.device === "tablet0");
 *
 * @throws ExecuteError when the command fails (the wait is dropped), TimeoutError, AbortError,
 *   InterruptedError (the connection ended), ValidationError / UsageError / StateError as `executeWith`.
 */
export async function executeAndWait<
  C extends CommandMapBase,
  E extends EventMapBase,
  K extends keyof C & string,
  V extends keyof E & string,
>(
  client: QmpClient<C, E>,
  command: K,
  args: ArgsValue<C[K]["args"]>,
  event: V,
  predicate?: (data: E[V], event: QmpEventMessage<V, E[V]>) => boolean,
  options: ExecuteAndWaitOptions = {},
): Promise<ExecutedAndSeen<C[K]["returns"], QmpEventMessage<V, E[V]>>> {
  const timeout = options.timeout ?? defaultCommandTimeouts.long;
  const callerSignal = options.signal;
  // One signal for the wait: the caller's, or ours to drop the wait when the command fails.
  const dropWait = new AbortController();
  const unwatch = callerSignal ? watchAbort(callerSignal, () => dropWait.abort(callerSignal.reason)) : () => undefined;
  if (callerSignal?.aborted) dropWait.abort(callerSignal.reason);
  try {
    const seen = client.waitFor(event, predicate ?? (() => true), { timeout, signal: dropWait.signal });
    // Rejections of the wait are read below; until then they must not count as unhandled.
    seen.catch(() => undefined);
    let reply: C[K]["returns"];
    try {
      reply = await client.executeWith(command, args, { timeout, ...(callerSignal ? { signal: callerSignal } : {}) });
    } catch (error) {
      dropWait.abort();
      throw error;
    }
    return { reply, event: await seen };
  } finally {
    unwatch();
  }
}
