/**
 * Opening a session: transport, then greeting and negotiation (or guest agent
 * sync), under one time limit.
 *
 * Data flow: `ConnectOptions` → runtime/transport.ts `openTransport` →
 * runtime/session.ts `Session` → the dialect's handshake (runtime/dialect.ts:
 * negotiation, or the guest agent's sync) through `SessionSetup` → a runtime/client.ts `QmpClient` for the caller (a generated
 * SDK's `connect`, or `connect` for untyped use). With validation on, the
 * server's release (greeting, or the guest agent's `guest-info`) picks the
 * validators through runtime/follow-server.ts before the client is returned.
 */
import { setTimeout as delay } from "node:timers/promises";
import { QmpClient } from "./client.js";
import type { SessionOptions } from "./client-types.js";
import { Session, sessionTimeouts, type SessionOwner, type SessionSetup } from "./session.js";
import { checkReconnectOptions, Connection, type ReconnectOptions } from "./reconnect.js";
import { openTransport, type Transport, type TransportTarget } from "./transport.js";
import { GreetingError, InterruptedError, NegotiationError, QmpError, UsageError } from "./errors.js";
import { armDeadline, checkTimeout } from "./deadline.js";
import { genericSdk, type GenericCommandMap, type GenericEventMap } from "./generic-sdk.js";
import type { CommandMapBase, EventMapBase, SdkDescriptor } from "./sdk.js";

/** Where to connect and how to run the session. */
export type ConnectOptions = TransportTarget &
  SessionOptions & {
    /** Cancels connecting (rejects with ConnectionError / InterruptedError). */
    signal?: AbortSignal;
    /**
     * For a server that is still starting: keep trying for up to this many
     * milliseconds while its socket is missing or not yet listening (ENOENT,
     * ECONNREFUSED). QEMU creates a unix socket's file before it listens on it,
     * so the file's existence alone is no sign of readiness. Default 0: one try.
     */
    waitForServer?: number;
    /**
     * Re-establish a lost connection (runtime/reconnect.ts): `true` for the defaults, or the
     * backoff. Pending calls then reject with ConnectionLostError; subscriptions carry on.
     * Needs a `{ path }` or `{ host, port }` target. Default: off.
     */
    reconnect?: boolean | ReconnectOptions;
  };

/**
 * Connects, reads the greeting and negotiates (QMP), or synchronises (guest agent).
 * @throws ConnectionError (cannot connect), GreetingError (no or bad greeting, no sync),
 *   NegotiationError, InterruptedError (connection ended during set-up),
 *   UsageError (an invalid time limit or port).
 */
export async function connectWith<C extends CommandMapBase, E extends EventMapBase>(
  sdk: SdkDescriptor,
  options: ConnectOptions,
): Promise<QmpClient<C, E>> {
  const limit = checkSessionOptions(options);
  const backoff = checkReconnectOptions(options.reconnect);
  if (backoff && ("stream" in options || "listen" in options))
    throw new UsageError("reconnect needs a target that can be connected to again: { path } or { host, port }");
  const connection = new Connection(
    backoff,
    // A reconnect attempt is one try: the backoff is the waiting.
    (owner, signal) => establish(sdk, { ...options, waitForServer: 0 }, limit, owner, signal),
    options.onDiagnostic,
  );
  const session = await establish(sdk, options, limit, connection, options.signal);
  connection.start(session);
  session.release();
  return new QmpClient<C, E>(connection);
}

/**
 * One connection's set-up: transport, then the dialect's handshake under the time limit.
 * @returns the session, not yet released to the user.
 * @throws as `connectWith`.
 */
async function establish(
  sdk: SdkDescriptor,
  options: ConnectOptions,
  limit: number | undefined,
  owner: SessionOwner,
  signal: AbortSignal | undefined,
): Promise<Session> {
  const transport = await openWhenListening(options, signal);
  const session = new Session(sdk, transport, options, owner);
  const aborted = () => new InterruptedError("connecting was aborted", undefined, { cause: signal?.reason });
  const disarm = armDeadline({
    timeout: session.dialect.boundedByHandshakeTimeout ? limit : undefined,
    signal,
    onTimeout: () =>
      session.fail(
        session.greeted
          ? new NegotiationError(`no reply to qmp_capabilities within ${limit} ms`)
          : greetingTimeout(limit!, transport),
      ),
    onAbort: () => session.fail(aborted()),
  });
  if (signal?.aborted) session.fail(aborted()); // it may have fired while the transport opened
  try {
    const ended = session.closed.then((reason) => {
      throw setupFailure(session, reason);
    });
    ended.catch(() => undefined);
    const handshake = session.dialect.handshake(session, sdk, {
      oob: options.oob ?? false,
      syncAttempts: session.syncAttempts,
      syncTimeout: session.syncTimeout,
    });
    handshake.catch(() => undefined);
    await Promise.race([handshake, ended]);
    // The session may have failed in the same turn as the handshake's last reply.
    if (session.state === "closed") throw setupFailure(session, session.failure);
  } catch (error) {
    // Prefer the reason the session ended (e.g. the greeting timeout) over the symptom
    // (the pending qmp_capabilities call being interrupted).
    const reason = session.failure;
    const final = reason ? setupFailure(session, reason) : (error as Error);
    session.fail(final);
    throw final;
  } finally {
    disarm();
  }
  return session;
}

/**
 * Validates the time limits and counts before anything is opened.
 * @returns the handshake limit (undefined: none).
 */
function checkSessionOptions(options: ConnectOptions): number | undefined {
  sessionTimeouts(options);
  checkTimeout(options.syncTimeout, "syncTimeout");
  checkTimeout(options.waitForServer, "waitForServer");
  const attempts = options.syncAttempts;
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1)) {
    throw new UsageError(`syncAttempts must be a whole number, 1 or more, got ${String(attempts)}`);
  }
  return checkTimeout(options.handshakeTimeout ?? 10_000, "handshakeTimeout");
}

/**
 * No greeting in time. The connection was accepted, so something listens; a
 * QEMU monitor serves one client at a time and keeps a second one waiting
 * without a word, which is the usual reason.
 */
function greetingTimeout(ms: number, transport: Transport): GreetingError {
  return new GreetingError(
    `no QMP greeting within ${ms} ms (${transport.description}); the connection was accepted but the server said nothing — ` +
      "a QEMU monitor serves one client at a time, so another client may be holding it",
  );
}

/** Opens the transport, retrying while the server is not listening yet (see `waitForServer`). */
async function openWhenListening(options: ConnectOptions, signal: AbortSignal | undefined): Promise<Transport> {
  // Infinity waits without limit, as every other time limit does; undefined (not given) is one try.
  const wait = checkTimeout(options.waitForServer, "waitForServer");
  const deadline = options.waitForServer === undefined ? 0 : wait === undefined ? Infinity : Date.now() + wait;
  for (;;) {
    try {
      return await openTransport(options, signal);
    } catch (error) {
      const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      const notYetListening = code === "ENOENT" || code === "ECONNREFUSED";
      if (!notYetListening || Date.now() >= deadline || signal?.aborted) throw error;
      await delay(25);
    }
  }
}

function setupFailure(session: SessionSetup, reason: Error | undefined): Error {
  if (reason instanceof QmpError && !(reason.name === "ConnectionError")) return reason;
  if (session.dialect.greets && !session.greeted) {
    return new GreetingError(`the connection ended before the QMP greeting${reason ? `: ${reason.message}` : ""}`, {
      cause: reason,
    });
  }
  return new InterruptedError(`the connection ended during set-up${reason ? `: ${reason.message}` : ""}`, undefined, {
    cause: reason,
  });
}

/**
 * Untyped connect: any command name, `unknown` results. Generated SDKs export a typed `connect`.
 * @throws as `connectWith`.
 */
export function connect(options: ConnectOptions): Promise<QmpClient<GenericCommandMap, GenericEventMap>> {
  return connectWith<GenericCommandMap, GenericEventMap>(genericSdk, options);
}
