/**
 * QmpClient: the public face of one QMP (or guest agent) session.
 *
 * The work is split by concern: runtime/session.ts holds the run states
 * (`connecting → running → closed`), the reading loop and message routing;
 * runtime/call-table.ts the ids, pending calls, the oob window and no-reply
 * commands; runtime/validation-hook.ts the one door to `sdk.validators`;
 * runtime/event-hub.ts listeners, iterators and waiters; runtime/deadline.ts
 * every time limit and abort signal. This class checks the state each public
 * method needs (StateError) and delegates.
 *
 * Data flow: runtime/connect.ts builds the session, runs the handshake through
 * `SessionSetup` and hands this client to the user; calls go to the session,
 * events come from its hub.
 */
import type { ArgsParam, CommandMapBase, EventMapBase, SdkDescriptor } from "./sdk.js";
import type { QmpEventMessage, QmpGreeting } from "./messages.js";
import type { EventListener, EventStreamOptions, Subscription, WaitOptions } from "./event-hub.js";
import type { AnyEventOf, ArgsValue, CallOptions, ClientState } from "./client-types.js";
import type { NameHint } from "./command-name.js";
import type { Session } from "./session.js";
import type { Connection, ConnectionEvent } from "./reconnect.js";
import { syncGuestAgent } from "./guest-sync.js";
import { StateError } from "./errors.js";
import { asyncDispose } from "./dispose.js";

export type { AnyEventOf, ArgsValue, CallOptions, ClientState, QmpDiagnostic, SessionOptions } from "./client-types.js";

/**
 * A QMP session, typed by a generated SDK's CommandMap and EventMap.
 * Create it with `connectWith` (runtime/connect.ts) or a generated `connect`.
 */
export class QmpClient<
  C extends CommandMapBase = CommandMapBase,
  E extends EventMapBase = EventMapBase,
> implements AsyncDisposable {
  private readonly connection: Connection;

  /** @internal Use `connectWith`. */
  constructor(connection: Connection) {
    this.connection = connection;
    this.sdk = connection.session.sdk;
    this.protocol = connection.session.protocol;
  }

  /** The session of the current connection (a reconnect replaces it). */
  private get session(): Session {
    return this.connection.session;
  }

  /** The SDK descriptor the client was made with. */
  readonly sdk: SdkDescriptor;

  /** `qmp` or `qga`. */
  readonly protocol: "qmp" | "qga";

  /** The current state. */
  get state(): ClientState {
    return this.connection.state;
  }

  /** The server's greeting (undefined for the guest agent, which sends none). */
  get greeting(): QmpGreeting | undefined {
    return this.session.greetingMessage;
  }

  /** Capabilities enabled by negotiation, e.g. `["oob"]`. */
  get capabilities(): readonly string[] {
    return this.session.capabilities;
  }

  /** Resolves once the session has ended: with undefined after `close()`, else with the reason. */
  get closed(): Promise<Error | undefined> {
    return this.connection.closed;
  }

  /**
   * Listens to what happens to the connection of a reconnecting client
   * (`reconnect` option): `disconnected`, `attempt-failed`, `reconnected`, `gave-up`,
   * each with the reason and the attempt count. Returns the function that stops listening.
   */
  onConnectionEvent(listener: (event: ConnectionEvent) => void): () => void {
    return this.connection.onEvent(listener);
  }

  /** Number of calls sent or queued and not yet answered. */
  get pendingCount(): number {
    return this.session.pendingCount;
  }

  /**
   * Runs a command and resolves with its `return` value. A name the SDK lacks
   * is a compile error naming the commands one edit away (runtime/command-name.ts).
   * @throws ExecuteError (the server's error), InterruptedError (connection lost),
   *   ValidationError, TimeoutError/AbortError (client default timeout), StateError (not running).
   */
  execute<K extends string>(
    name: (K & keyof C) | NameHint<K, keyof C & string>,
    ...args: ArgsParam<C[K & keyof C]["args"]>
  ): Promise<C[K & keyof C]["returns"]> {
    return this.executeWith<K>(name, args[0] as ArgsValue<C[K & keyof C]["args"]>, {});
  }

  /**
   * `execute` with per-call options. `args` is `undefined` for a command without arguments.
   * @throws as `execute`, plus TimeoutError / AbortError from `options`, UsageError for a refused
   *   `oob` or an invalid `timeout`.
   */
  executeWith<K extends string>(
    name: (K & keyof C) | NameHint<K, keyof C & string>,
    args: ArgsValue<C[K & keyof C]["args"]>,
    options: CallOptions = {},
  ): Promise<C[K & keyof C]["returns"]> {
    const state = this.connection.state;
    if (state !== "running")
      return Promise.reject(new StateError(`cannot execute ${name}: the client is ${state}`, state, "running"));
    return this.session.call(name, args as object | undefined, options) as Promise<C[K & keyof C]["returns"]>;
  }

  /**
   * @internal runtime/proxy.ts: a command as another client wrote it, `exec-oob` when `oob`;
   * resolves with the whole reply message (error replies too; undefined for an accepted command
   * that gets no reply), unvalidated.
   */
  forwardRaw(
    name: string,
    args: object | undefined,
    oob: boolean,
    fds?: readonly number[],
  ): Promise<Record<string, unknown> | undefined> {
    const state = this.connection.state;
    if (state !== "running")
      return Promise.reject(new StateError(`cannot forward ${name}: the client is ${state}`, state, "running"));
    return this.session.forward(name, args, oob, fds);
  }

  /** Listens to one event (`"*"`: every event). Returns a subscription; `off` works too. */
  on<K extends keyof E & string>(event: K, listener: EventListener<E[K], K>): Subscription;
  on(event: "*", listener: EventListener<unknown, string>): Subscription;
  on(event: string, listener: EventListener<any, any>): Subscription {
    return this.session.hub.on(event, listener);
  }

  /** Stops a listener added with `on`. */
  off<K extends keyof E & string>(event: K | "*", listener: EventListener<E[K], K>): void;
  off(event: string, listener: EventListener<any, any>): void {
    this.session.hub.off(event, listener);
  }

  /**
   * Iterates over events named in `names` (all when none), from now on, in wire order.
   * Ends when the client is closed; throws InterruptedError when the connection is lost.
   */
  events(): AsyncIterableIterator<AnyEventOf<E>>;
  events<K extends keyof E & string>(
    ...names: [K, ...K[]]
  ): AsyncIterableIterator<{ [N in K]: QmpEventMessage<N, E[N]> }[K]>;
  events(...names: string[]): AsyncIterableIterator<QmpEventMessage> {
    return this.session.hub.stream(names);
  }

  /** As `events`, with options (buffer limit). */
  eventsWith<K extends keyof E & string>(
    names: K[],
    options: EventStreamOptions,
  ): AsyncIterableIterator<{ [N in K]: QmpEventMessage<N, E[N]> }[K]> {
    return this.session.hub.stream(names, options) as AsyncIterableIterator<any>;
  }

  /**
   * Resolves with the next event `event` for which `predicate` holds. Arm it
   * before sending the command that causes the event:
   * `const stop = client.waitFor("STOP"); await client.execute("stop"); await stop;`
   * @throws TimeoutError, AbortError, InterruptedError (connection ended), StateError (closed),
   *   UsageError (invalid `timeout`).
   */
  waitFor<K extends keyof E & string>(
    event: K,
    predicate?: ((data: E[K], event: QmpEventMessage<K, E[K]>) => boolean) | WaitOptions,
    options?: WaitOptions,
  ): Promise<QmpEventMessage<K, E[K]>> {
    if (typeof predicate === "object") ((options = predicate), (predicate = undefined));
    const state = this.connection.state;
    if (state === "closed")
      return Promise.reject(
        new StateError(`cannot wait for ${event}: the client is closed`, state, "connecting or running"),
      );
    return this.session.hub.waitFor(event, predicate as (data: unknown) => boolean, options) as Promise<
      QmpEventMessage<K, E[K]>
    >;
  }

  /**
   * Guest agent only: synchronises again (0xFF, `guest-sync-delimited`), e.g.
   * after the guest rebooted or a call timed out and the agent may be in an
   * unknown state. Everything the agent sends before its sync reply is dropped
   * as stale, so calls still pending could never be answered: they reject with
   * InterruptedError first.
   * @throws StateError when not a running guest agent session; GreetingError when the agent does not answer.
   */
  async resync(): Promise<void> {
    const session = this.session;
    if (!session.dialect.resyncs || session.state !== "running") {
      throw new StateError(
        `resync needs a running guest agent session (this is a ${this.protocol} session, ${session.state})`,
        session.state,
        "running qga",
      );
    }
    session.interruptForResync();
    await syncGuestAgent(session, session.syncAttempts, session.syncTimeout);
  }

  /**
   * Ends the session. Pending calls reject with InterruptedError. Idempotent.
   * Resolves once the transport is closed.
   */
  close(): Promise<void> {
    return this.connection.close();
  }

  /** `await using client = await connect(…)`: closes the client when the scope ends. */
  [asyncDispose](): Promise<void> {
    return this.close();
  }
}
