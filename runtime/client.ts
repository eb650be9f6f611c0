/**
 * QmpClient: one QMP (or guest agent) session over an open transport.
 *
 * The client is a small, single-use state machine — `connecting → running →
 * closed` (or `connecting → closed` when set-up fails) — and every public method
 * checks the state it needs (StateError). Closing is synchronous: pending calls
 * are settled in the same turn, so there is no observable "closing" state.
 * `connecting` reads the greeting and negotiates capabilities (qmp-spec
 * "Capabilities Negotiation"); for the guest agent, which sends no greeting, it
 * synchronises with `guest-sync-delimited` instead (runtime/guest-sync.ts).
 *
 * Every command carries an id; replies are matched by id in the pending table
 * (qmp-spec "Commands Responses"). Messages are handled one at a time in wire
 * order, and events are delivered synchronously (runtime/event-hub.ts), so an
 * event that arrived before a reply reaches its listeners before the reply's
 * promise resolves. When the connection ends for any reason, every pending and
 * queued call rejects with InterruptedError.
 *
 * Data flow: runtime/transport.ts bytes → runtime/framing.ts messages →
 * `handleMessage` → pending calls / runtime/event-hub.ts; `execute` →
 * runtime/json.ts `stringifyJson` → transport.
 */
import type { Readable, Writable } from "node:stream";
import type { ArgsParam, CommandMapBase, CommandMeta, EventMapBase, SdkDescriptor, ValidationIssue, ValidationMode } from "./sdk.js";
import { stringifyJson } from "./json.js";
import { MessageReader } from "./framing.js";
import { classifyMessage, type QmpEventMessage, type QmpGreeting } from "./messages.js";
import { EventHub, type EventListener, type EventStreamOptions, type Subscription, type WaitOptions } from "./event-hub.js";
import type { Transport } from "./transport.js";
import { syncGuestAgent } from "./guest-sync.js";
import {
  AbortError,
  ConnectionError,
  ExecuteError,
  GreetingError,
  InterruptedError,
  NegotiationError,
  ParseError,
  QmpError,
  StateError,
  TimeoutError,
  UsageError,
  ValidationError,
} from "./errors.js";

/**
 * The `args` parameter of `executeWith`: `undefined` for a command without
 * arguments, the object or `undefined` when no member is required, else the object.
 */
export type ArgsValue<A> = [A] extends [undefined] ? undefined : {} extends A ? A | undefined : A;

/** Any event of map E, as a union discriminated by `event`. */
export type AnyEventOf<E extends EventMapBase> = { [N in keyof E & string]: QmpEventMessage<N, E[N]> }[keyof E & string];

/** Where a client is in its life. */
export type ClientState = "connecting" | "running" | "closed";

/** Per-call options (`executeWith`), also settable as defaults for the whole client. */
export interface CallOptions {
  /** Reject with TimeoutError after this many milliseconds. The command may still run; its late reply is dropped. */
  timeout?: number;
  /** Reject with AbortError when the signal fires. The command may still run if it was already sent. */
  signal?: AbortSignal;
  /** Validation of the arguments and the reply; default: the client's `validate` option. */
  validate?: ValidationMode;
  /**
   * Out-of-band execution (qmp-spec "Out-of-band execution"). Default: `exec-oob`
   * when oob was negotiated and the command allows it. `true` demands it
   * (UsageError otherwise), `false` forces in-band.
   */
  oob?: boolean;
}

/** Something the client noticed but did not treat as an error of any call. */
export interface QmpDiagnostic {
  kind:
    | "unknown-id" // a reply whose id matches no call (dropped, as qmp-spec says)
    | "late-reply" // the reply of a call that already timed out or was aborted
    | "unexpected-message" // a message that is neither reply nor event, or a second greeting
    | "validation-notice" // lenient validation let unknown members or enum values through
    | "invalid-event" // an event that failed validation (it is still delivered)
    | "listener-error"; // an event listener threw
  message: string;
  /** The message or value concerned. */
  value?: unknown;
  issues?: readonly ValidationIssue[];
}

/** Options of the session itself (the transport target is separate). */
export interface SessionOptions {
  /** `qmp` (greeting + negotiation) or `qga` (guest agent: no greeting, sync). Default: the SDK's protocol, else `qmp`. */
  protocol?: "qmp" | "qga";
  /** Enable the `oob` capability when the server offers it (default false). */
  oob?: boolean;
  /** Time limit for the greeting and negotiation, in ms (default 10 000). The guest agent's sync is bounded by `syncAttempts` × `syncTimeout`. */
  handshakeTimeout?: number;
  /** Validation of arguments, replies and events via `sdk.validators` (default `off`). */
  validate?: ValidationMode;
  /** Default per-call time limit in ms (default: none). */
  commandTimeout?: number;
  /** Largest message accepted from the server, in characters (default 64 Mi). */
  maxMessageSize?: number;
  /** Guest agent: attempts of `guest-sync-delimited` before giving up (default 3). */
  syncAttempts?: number;
  /** Guest agent: time limit of one sync attempt in ms (default 3 000). */
  syncTimeout?: number;
  /**
   * Gets diagnostics (unknown ids, late replies, validation notices, invalid events,
   * listener errors). Silent by default, except that a listener's exception is then
   * re-thrown as an uncaught exception.
   */
  onDiagnostic?: (diagnostic: QmpDiagnostic) => void;
}

interface PendingCall {
  readonly id: number;
  readonly command: string;
  readonly text: string;
  readonly inBand: boolean;
  readonly expectsReply: boolean;
  readonly validate: ValidationMode;
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** Set once the caller gave up (timeout/abort): the reply is dropped quietly. */
  abandoned: boolean;
  sent: boolean;
  cleanup?: () => void;
}

const defaultMeta: CommandMeta = { allowOob: false, successResponse: true, allowPreconfig: false, features: [] };
const hasOwn = Object.prototype.hasOwnProperty;
/** qmp-spec: "the client should have at most eight in-band commands in flight" when oob is on. */
const maxInBandInFlightWithOob = 8;

/**
 * A QMP session, typed by a generated SDK's CommandMap and EventMap.
 * Create it with `connectWith` (runtime/connect.ts) or a generated `connect`.
 */
export class QmpClient<C extends CommandMapBase = CommandMapBase, E extends EventMapBase = EventMapBase> {
  private stateValue: ClientState = "connecting";
  private readonly pending = new Map<number, PendingCall>();
  private readonly queue: PendingCall[] = [];
  private inBandInFlight = 0;
  private nextId: number;
  private readonly reader: MessageReader;
  private readonly hub: EventHub;
  /** Events read before the session was handed to the user, replayed right after (see `release`). */
  private held: unknown[] | undefined = [];
  private greetingValue: QmpGreeting | undefined;
  private greetingWaiter: ((greeting: QmpGreeting) => void) | undefined;
  private enabled: readonly string[] = [];
  private closeReason: Error | undefined;
  private corked = false;
  private readonly closedPromise: Promise<Error | undefined>;
  private resolveClosed!: (reason: Error | undefined) => void;
  private readonly input: Readable;
  private readonly output: Writable;

  /** @internal Use `connectWith`. */
  constructor(
    /** The SDK descriptor the client was made with. */
    readonly sdk: SdkDescriptor,
    private readonly transport: Transport,
    private readonly options: SessionOptions,
  ) {
    this.protocol = options.protocol ?? sdk.protocol ?? "qmp";
    this.reader = new MessageReader({ maxMessageSize: options.maxMessageSize, sentinel: this.protocol === "qga" });
    // A guest agent channel may carry replies of an earlier client: start ids at a random point.
    this.nextId = this.protocol === "qga" ? 1 + Math.floor(Math.random() * 2 ** 40) : 1;
    this.hub = new EventHub((error) => {
      // A listener's bug must not stop delivery to the others, nor vanish: without a
      // diagnostics handler it surfaces as an uncaught exception, as with an EventEmitter.
      if (this.options.onDiagnostic) this.diagnose({ kind: "listener-error", message: String(error), value: error });
      else queueMicrotask(() => {
        throw error;
      });
    });
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
    this.input = transport.input;
    this.output = transport.output;
    this.input.on("data", this.onData);
    this.input.on("end", this.onEnd);
    this.input.on("close", this.onEnd);
    this.input.on("error", this.onStreamError);
    if ((this.output as unknown) !== this.input) this.output.on("error", this.onStreamError);
    this.input.resume();
  }

  /** `qmp` or `qga`. */
  readonly protocol: "qmp" | "qga";

  /** The current state. */
  get state(): ClientState {
    return this.stateValue;
  }

  /** The server's greeting (undefined for the guest agent, which sends none). */
  get greeting(): QmpGreeting | undefined {
    return this.greetingValue;
  }

  /** Capabilities enabled by negotiation, e.g. `["oob"]`. */
  get capabilities(): readonly string[] {
    return this.enabled;
  }

  /** Resolves once the session has ended: with undefined after `close()`, else with the reason. */
  get closed(): Promise<Error | undefined> {
    return this.closedPromise;
  }

  /** Number of calls sent or queued and not yet answered. */
  get pendingCount(): number {
    let count = this.queue.length;
    for (const call of this.pending.values()) if (!call.abandoned) count++;
    return count;
  }

  /**
   * Runs a command and resolves with its `return` value.
   * @throws ExecuteError (the server's error), InterruptedError (connection lost),
   *   ValidationError, TimeoutError/AbortError (client default timeout), StateError (not running).
   */
  execute<K extends keyof C & string>(name: K, ...args: ArgsParam<C[K]["args"]>): Promise<C[K]["returns"]> {
    return this.executeWith(name, args[0] as ArgsValue<C[K]["args"]>, {});
  }

  /**
   * `execute` with per-call options. `args` is `undefined` for a command without arguments.
   * @throws as `execute`, plus TimeoutError / AbortError from `options`, UsageError for a refused `oob`.
   */
  executeWith<K extends keyof C & string>(name: K, args: ArgsValue<C[K]["args"]>, options: CallOptions = {}): Promise<C[K]["returns"]> {
    if (this.stateValue !== "running") {
      return Promise.reject(new StateError(`cannot execute ${name}: the client is ${this.stateValue}`, this.stateValue, "running"));
    }
    return this.call(name, args as object | undefined, options) as Promise<C[K]["returns"]>;
  }

  /** Listens to one event (`"*"`: every event). Returns a subscription; `off` works too. */
  on<K extends keyof E & string>(event: K, listener: EventListener<E[K], K>): Subscription;
  on(event: "*", listener: EventListener<unknown, string>): Subscription;
  on(event: string, listener: EventListener<any, any>): Subscription {
    return this.hub.on(event, listener);
  }

  /** Stops a listener added with `on`. */
  off<K extends keyof E & string>(event: K | "*", listener: EventListener<E[K], K>): void;
  off(event: string, listener: EventListener<any, any>): void {
    this.hub.off(event, listener);
  }

  /**
   * Iterates over events named in `names` (all when none), from now on, in wire order.
   * Ends when the client is closed; throws InterruptedError when the connection is lost.
   */
  events(): AsyncIterableIterator<AnyEventOf<E>>;
  events<K extends keyof E & string>(...names: [K, ...K[]]): AsyncIterableIterator<{ [N in K]: QmpEventMessage<N, E[N]> }[K]>;
  events(...names: string[]): AsyncIterableIterator<QmpEventMessage> {
    return this.hub.stream(names);
  }

  /** As `events`, with options (buffer limit). */
  eventsWith<K extends keyof E & string>(names: K[], options: EventStreamOptions): AsyncIterableIterator<{ [N in K]: QmpEventMessage<N, E[N]> }[K]> {
    return this.hub.stream(names, options) as AsyncIterableIterator<any>;
  }

  /**
   * Resolves with the next event `event` for which `predicate` holds. Arm it
   * before sending the command that causes the event:
   * `const stop = client.waitFor("STOP"); await client.execute("stop"); await stop;`
   * @throws TimeoutError, AbortError, InterruptedError (connection ended), StateError (closed).
   */
  waitFor<K extends keyof E & string>(
    event: K,
    predicate?: ((data: E[K], event: QmpEventMessage<K, E[K]>) => boolean) | WaitOptions,
    options?: WaitOptions,
  ): Promise<QmpEventMessage<K, E[K]>> {
    if (typeof predicate === "object") (options = predicate), (predicate = undefined);
    if (this.stateValue === "closed") {
      return Promise.reject(new StateError(`cannot wait for ${event}: the client is closed`, this.stateValue, "connecting or running"));
    }
    return this.hub.waitFor(event, predicate as (data: unknown) => boolean, options) as Promise<QmpEventMessage<K, E[K]>>;
  }

  /**
   * Ends the session. Pending calls reject with InterruptedError. Idempotent.
   * Resolves once the transport is closed.
   */
  async close(): Promise<void> {
    if (this.stateValue !== "closed") this.shutdown(undefined, "the client was closed");
    await this.closedPromise;
  }

  // ---- session set-up (used by runtime/connect.ts) ----

  /**
   * @internal Reads the greeting and negotiates capabilities.
   * @throws GreetingError, NegotiationError, InterruptedError.
   */
  async handshakeQmp(): Promise<void> {
    const greeting = this.greetingValue ?? (await new Promise<QmpGreeting>((resolve) => (this.greetingWaiter = resolve)));
    const wanted = this.options.oob && greeting.capabilities.includes("oob") ? ["oob"] : [];
    try {
      await this.call("qmp_capabilities", wanted.length > 0 ? { enable: wanted } : undefined, { validate: "off", oob: false });
    } catch (error) {
      if (error instanceof ExecuteError) throw new NegotiationError(`qmp_capabilities failed: ${error.errorClass}: ${error.desc}`, { cause: error });
      throw error;
    }
    this.enabled = wanted;
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
    if (this.protocol !== "qga" || this.stateValue !== "running") {
      throw new StateError(`resync needs a running guest agent session (this is a ${this.protocol} session, ${this.stateValue})`, this.stateValue, "running qga");
    }
    for (const call of [...this.pending.values(), ...this.queue]) {
      call.cleanup?.();
      if (!call.abandoned) call.reject(new InterruptedError(`${call.command} was interrupted: the guest agent session was resynchronised`, call.command));
    }
    this.pending.clear();
    this.queue.length = 0;
    this.inBandInFlight = 0;
    await syncGuestAgent(this, this.options.syncAttempts ?? 3, this.options.syncTimeout ?? 3_000);
  }

  /** @internal Marks the session usable. Events read so far are delivered on the next turn, before anything read later. */
  release(): void {
    if (this.stateValue !== "connecting") return;
    this.stateValue = "running";
    setImmediate(() => this.deliverHeld());
  }

  /** Hands what `held` kept to the session, in wire order; once only. */
  private deliverHeld(): void {
    if (this.stateValue !== "running") return;
    const held = this.held;
    this.held = undefined;
    if (held) for (const message of held) if (this.stateValue === "running") this.handleMessage(message);
  }

  /** @internal Sends a command during set-up (state `connecting`), bypassing the state check. */
  callDuringSetup(name: string, args: object | undefined, options: CallOptions): Promise<unknown> {
    return this.call(name, args, options);
  }

  /** @internal Guest agent sync: discard input until the next 0xFF, and send a 0xFF to reset the agent's parser. */
  beginResync(): void {
    this.reader.discardUntilSentinel = true;
    // qmp-spec "Forcing the JSON parser into known-good state": 0xFF is a lexical error for the agent.
    this.output.write(Buffer.from([0xff]));
  }

  /** @internal Fails the session during set-up. */
  abort(error: Error): void {
    this.shutdown(error, error.message);
  }

  // ---- sending ----

  private call(name: string, args: object | undefined, options: CallOptions): Promise<unknown> {
    const meta = hasOwn.call(this.sdk.commands, name) ? this.sdk.commands[name]! : defaultMeta;
    const mode = options.validate ?? this.options.validate ?? "off";
    if (mode !== "off") {
      const result = this.sdk.validators.commandArgs(name, args ?? {}, mode, "$.arguments");
      if (result && result.errors.length > 0) return Promise.reject(new ValidationError(`arguments of ${name}`, result.errors));
      if (result && result.notices.length > 0) this.diagnose({ kind: "validation-notice", message: `arguments of ${name}`, value: args, issues: result.notices });
    }
    const oobOn = this.enabled.includes("oob");
    if (options.oob === true && !(oobOn && meta.allowOob)) {
      const why = oobOn ? `${name} does not allow out-of-band execution` : "the oob capability is not enabled";
      return Promise.reject(new UsageError(`cannot run ${name} out-of-band: ${why}`));
    }
    const outOfBand = options.oob !== false && oobOn && meta.allowOob;
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(new AbortError(`${name} was aborted before it was sent`, { cause: signal.reason }));
    const id = this.nextId++;
    const message: Record<string, unknown> = outOfBand ? { "exec-oob": name } : { execute: name };
    if (args !== undefined) message.arguments = args;
    message.id = id;
    let text: string;
    try {
      text = stringifyJson(message);
    } catch (error) {
      return Promise.reject(new UsageError(`cannot encode the arguments of ${name}: ${(error as Error).message}`, { cause: error }));
    }
    return new Promise((resolve, reject) => {
      const call: PendingCall = {
        id,
        command: name,
        text,
        inBand: !outOfBand,
        expectsReply: meta.successResponse,
        validate: mode,
        resolve,
        reject,
        abandoned: false,
        sent: false,
      };
      this.arm(call, options.timeout ?? this.options.commandTimeout, signal);
      if (call.inBand && oobOn && this.inBandInFlight >= maxInBandInFlightWithOob) this.queue.push(call);
      else this.send(call);
    });
  }

  private arm(call: PendingCall, timeout: number | undefined, signal: AbortSignal | undefined): void {
    if (timeout === undefined && !signal) return;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = (error: Error) => {
      call.cleanup?.();
      if (!call.sent) {
        const at = this.queue.indexOf(call);
        if (at !== -1) this.queue.splice(at, 1);
      } else if (call.expectsReply) {
        call.abandoned = true; // keep the entry so the late reply is recognised and the in-flight count stays right
      }
      call.reject(error);
    };
    const onAbort = () => giveUp(new AbortError(`${call.command} was aborted`, { cause: signal?.reason }));
    if (timeout !== undefined) timer = setTimeout(() => giveUp(new TimeoutError(`${call.command}: no reply within ${timeout} ms`, timeout)), timeout);
    signal?.addEventListener("abort", onAbort, { once: true });
    call.cleanup = () => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      call.cleanup = undefined;
    };
  }

  private send(call: PendingCall): void {
    call.sent = true;
    if (call.inBand) this.inBandInFlight++;
    if (call.expectsReply) this.pending.set(call.id, call);
    // Batch the writes of one turn into one syscall (pipelined calls).
    if (!this.corked) {
      this.corked = true;
      this.output.cork();
      process.nextTick(this.uncork);
    }
    if (call.expectsReply) this.output.write(call.text + "\n");
    else {
      // success-response: false — QEMU never answers; the call is done once written.
      this.output.write(call.text + "\n", (error) => {
        if (call.inBand) this.inBandInFlight--;
        call.cleanup?.();
        if (error) call.reject(new InterruptedError(`${call.command} could not be sent: ${error.message}`, call.command, { cause: error }));
        else call.resolve(undefined);
        this.pump();
      });
    }
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.output.uncork();
  };

  /** Sends queued in-band calls while the in-flight limit allows. */
  private pump(): void {
    const limit = this.enabled.includes("oob") ? maxInBandInFlightWithOob : Infinity;
    while (this.queue.length > 0 && this.inBandInFlight < limit && this.stateValue !== "closed") this.send(this.queue.shift()!);
  }

  // ---- receiving ----

  private readonly onData = (chunk: Buffer): void => {
    // Messages before a fault in the same chunk are handled first: they came first on the wire.
    for (const message of this.reader.push(chunk)) {
      if (this.stateValue === "closed") return;
      this.handleMessage(message);
    }
    if (this.reader.failure) this.shutdown(this.reader.failure, this.reader.failure.message);
  };

  private handleMessage(message: unknown): void {
    const m = classifyMessage(message);
    // Until the user holds the client, events wait in `held`; once it is released, everything
    // read before the replay waits behind them so wire order is kept.
    if (this.held && (m.kind === "event" || this.stateValue === "running")) return void this.held.push(message);
    switch (m.kind) {
      case "event":
        this.validateEvent(m.event);
        return this.hub.dispatch(m.event);
      case "return":
      case "error":
        if (!m.hasId) {
          if (m.kind === "error") {
            // qmp-spec: an error without id means the server could not read the command, so we
            // cannot know which call it ends; continuing would leave that call hanging.
            return this.shutdown(new ParseError(`the server could not parse a command: ${m.errorClass}: ${m.desc}`, JSON.stringify(message)), "id-less error");
          }
          return this.diagnose({ kind: "unknown-id", message: "reply without id dropped", value: message });
        }
        return this.settle(m.id, message, m);
      case "greeting":
        if (this.greetingValue || this.protocol === "qga") return this.diagnose({ kind: "unexpected-message", message: "second greeting ignored", value: message });
        this.greetingValue = m.greeting;
        this.greetingWaiter?.(m.greeting);
        return;
      default:
        if (this.protocol === "qmp" && !this.greetingValue) {
          return this.shutdown(new GreetingError(`expected the QMP greeting, got ${JSON.stringify(message).slice(0, 200)}`), "bad greeting");
        }
        return this.diagnose({ kind: "unexpected-message", message: "message is neither reply nor event", value: message });
    }
  }

  private settle(id: unknown, message: unknown, m: { kind: "return"; value: unknown } | { kind: "error"; errorClass: string; desc: string }): void {
    const call = typeof id === "number" ? this.pending.get(id) : undefined;
    if (!call) return this.diagnose({ kind: "unknown-id", message: `reply with unknown id ${JSON.stringify(id)} dropped`, value: message });
    this.pending.delete(call.id);
    if (call.inBand) {
      this.inBandInFlight--;
      if (this.queue.length > 0) this.pump();
    }
    if (call.abandoned) return this.diagnose({ kind: "late-reply", message: `late reply of ${call.command} dropped`, value: message });
    call.cleanup?.();
    if (m.kind === "error") return call.reject(new ExecuteError(m.errorClass, m.desc, call.command, call.id));
    if (call.validate !== "off") {
      const result = this.sdk.validators.commandReturn(call.command, m.value, call.validate, "$.return");
      if (result && result.errors.length > 0) return call.reject(new ValidationError(`reply of ${call.command}`, result.errors));
      if (result && result.notices.length > 0) this.diagnose({ kind: "validation-notice", message: `reply of ${call.command}`, value: m.value, issues: result.notices });
    }
    call.resolve(m.value);
  }

  private validateEvent(event: QmpEventMessage): void {
    const mode = this.options.validate ?? "off";
    if (mode === "off") return;
    const result = this.sdk.validators.event(event.event, event.data ?? {}, mode, "$.data");
    if (result && result.errors.length > 0) this.diagnose({ kind: "invalid-event", message: `event ${event.event}`, value: event, issues: result.errors });
    else if (result && result.notices.length > 0) this.diagnose({ kind: "validation-notice", message: `event ${event.event}`, value: event, issues: result.notices });
  }

  private readonly onEnd = (): void => {
    if (this.stateValue === "closed") return;
    const partial = this.reader.hasPartialMessage ? " in the middle of a message" : "";
    this.shutdown(new ConnectionError(`the server closed the connection${partial} (${this.transport.description})`), "connection closed");
  };

  private readonly onStreamError = (error: Error): void => {
    if (this.stateValue === "closed") return;
    this.shutdown(new ConnectionError(`connection error (${this.transport.description}): ${error.message}`, { cause: error }), "connection error");
  };

  // ---- ending ----

  /** Ends the session; `reason` undefined means a deliberate close. Settles everything pending. */
  private shutdown(reason: Error | undefined, what: string): void {
    if (this.stateValue === "closed") return;
    // What was read before the fault still counts: a reply that came ahead of garbage in the
    // same chunk resolves its call, and held events reach their listeners first.
    this.deliverHeld();
    if (this.state === "closed") return; // a held message (an id-less error) ended it already
    this.stateValue = "closed";
    this.closeReason = reason;
    this.input.off("data", this.onData);
    const interruption = (command: string) =>
      new InterruptedError(reason ? `${command} was interrupted: ${reason.message}` : `${command} was interrupted: ${what}`, command, { cause: reason });
    for (const call of [...this.pending.values(), ...this.queue]) {
      call.cleanup?.();
      if (!call.abandoned) call.reject(interruption(call.command));
    }
    this.pending.clear();
    this.queue.length = 0;
    this.greetingWaiter = undefined;
    this.hub.end(reason && new InterruptedError(`the connection was lost: ${reason.message}`, undefined, { cause: reason }));
    this.transport.destroy();
    this.resolveClosed(reason);
  }

  /** @internal Why the session ended (undefined while open or after `close()`). */
  get failure(): Error | undefined {
    return this.closeReason;
  }

  /** @internal Used by connect for a greeting that never comes. */
  greetingTimeoutError(ms: number): QmpError {
    return new GreetingError(`no QMP greeting within ${ms} ms (${this.transport.description})`);
  }

  private diagnose(diagnostic: QmpDiagnostic): void {
    this.options.onDiagnostic?.(diagnostic);
  }
}
