/**
 * Opening a session: transport, then greeting and negotiation (or guest agent
 * sync), under one time limit.
 *
 * Data flow: `ConnectOptions` → runtime/transport.ts `openTransport` →
 * runtime/client.ts `QmpClient` → handshake → the caller (a generated SDK's
 * `connect`, or `connect` for untyped use).
 */
import { setTimeout as delay } from "node:timers/promises";
import { QmpClient, type SessionOptions } from "./client.js";
import { openTransport, type Transport, type TransportTarget } from "./transport.js";
import { GreetingError, InterruptedError, NegotiationError, QmpError } from "./errors.js";
import { syncGuestAgent } from "./guest-sync.js";
import { genericSdk, type GenericCommandMap, type GenericEventMap } from "./generic-sdk.js";
import type { CommandMapBase, EventMapBase, SdkDescriptor } from "./sdk.js";

/** Where to connect and how to run the session. */
export type ConnectOptions = TransportTarget & SessionOptions & {
  /** Cancels connecting (rejects with ConnectionError / InterruptedError). */
  signal?: AbortSignal;
  /**
   * For a server that is still starting: keep trying for up to this many
   * milliseconds while its socket is missing or not yet listening (ENOENT,
   * ECONNREFUSED). QEMU creates a unix socket's file before it listens on it,
   * so the file's existence alone is no sign of readiness. Default 0: one try.
   */
  waitForServer?: number;
};

/**
 * Connects, reads the greeting and negotiates (QMP), or synchronises (guest agent).
 * @throws ConnectionError (cannot connect), GreetingError (no or bad greeting, no sync),
 *   NegotiationError, InterruptedError (connection ended during set-up).
 */
export async function connectWith<C extends CommandMapBase, E extends EventMapBase>(sdk: SdkDescriptor, options: ConnectOptions): Promise<QmpClient<C, E>> {
  const transport = await openWhenListening(options);
  const client = new QmpClient<C, E>(sdk, transport, options);
  const limit = options.handshakeTimeout ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => client.abort(new InterruptedError("connecting was aborted", undefined, { cause: options.signal?.reason }));
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort(); // it may have fired while the transport opened
  try {
    const ended = client.closed.then((reason) => {
      throw setupFailure(client, reason);
    });
    ended.catch(() => undefined);
    const handshake =
      client.protocol === "qga"
        ? syncGuestAgent(client, options.syncAttempts ?? 3, options.syncTimeout ?? 3_000)
        : client.handshakeQmp();
    handshake.catch(() => undefined);
    if (client.protocol === "qmp") {
      timer = setTimeout(() => {
        client.abort(client.greeting ? new NegotiationError(`no reply to qmp_capabilities within ${limit} ms`) : client.greetingTimeoutError(limit));
      }, limit);
    }
    await Promise.race([handshake, ended]);
    // The session may have failed in the same turn as the handshake's last reply.
    if (client.state === "closed") throw setupFailure(client, client.failure);
  } catch (error) {
    // Prefer the reason the session ended (e.g. the greeting timeout) over the symptom
    // (the pending qmp_capabilities call being interrupted).
    const reason = client.failure;
    const final = reason ? setupFailure(client, reason) : (error as Error);
    client.abort(final);
    throw final;
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
  client.release();
  return client;
}

/** Opens the transport, retrying while the server is not listening yet (see `waitForServer`). */
async function openWhenListening(options: ConnectOptions): Promise<Transport> {
  const deadline = Date.now() + (options.waitForServer ?? 0);
  for (;;) {
    try {
      return await openTransport(options, options.signal);
    } catch (error) {
      const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      const notYetListening = code === "ENOENT" || code === "ECONNREFUSED";
      if (!notYetListening || Date.now() >= deadline || options.signal?.aborted) throw error;
      await delay(25);
    }
  }
}

function setupFailure(client: QmpClient<any, any>, reason: Error | undefined): Error {
  if (reason instanceof QmpError && !(reason.name === "ConnectionError")) return reason;
  if (client.protocol === "qmp" && !client.greeting) {
    return new GreetingError(`the connection ended before the QMP greeting${reason ? `: ${reason.message}` : ""}`, { cause: reason });
  }
  return new InterruptedError(`the connection ended during set-up${reason ? `: ${reason.message}` : ""}`, undefined, { cause: reason });
}

/**
 * Untyped connect: any command name, `unknown` results. Generated SDKs export a typed `connect`.
 * @throws as `connectWith`.
 */
export function connect(options: ConnectOptions): Promise<QmpClient<GenericCommandMap, GenericEventMap>> {
  return connectWith<GenericCommandMap, GenericEventMap>(genericSdk, options);
}
