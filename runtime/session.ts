/**
 * One QMP (or guest agent) session over an open transport: its run states, the
 * reading loop and the routing of what is read. runtime/client.ts is the
 * public face over it; runtime/connect.ts and runtime/guest-sync.ts drive
 * set-up through one narrow interface, `SessionSetup`.
 *
 * Run states: `connecting → running → closed`, or `connecting → closed` when
 * set-up fails. Closing is synchronous: pending calls are settled in the same
 * turn, so there is no observable "closing" state. `connecting` reads the
 * greeting and negotiates (qmp-spec "Capabilities Negotiation"), or, for the
 * guest agent, synchronises with `guest-sync-delimited`.
 *
 * Messages are handled one at a time in wire order and events are delivered
 * synchronously (runtime/event-hub.ts), so an event that arrived before a reply
 * reaches its listeners before the reply's promise resolves. Events read
 * during set-up are held and delivered right after the user gets the client.
 *
 * Data flow: transport bytes → runtime/framing.ts messages → `handleMessage` →
 * runtime/call-table.ts (replies) / runtime/event-hub.ts (events); calls →
 * runtime/validation-hook.ts → runtime/json.ts `stringifyJson` → call table →
 * transport.
 */
import type { Readable, Writable } from "node:stream";
import type { CommandMeta, SdkDescriptor, ValidationMode } from "./sdk.js";
import type { CallOptions, ClientState, QmpDiagnostic, SessionOptions } from "./client-types.js";
import { stringifyJson } from "./json.js";
import { previewJson } from "./preview.js";
import { MessageReader } from "./framing.js";
import { classifyMessage, type QmpGreeting } from "./messages.js";
import { EventHub } from "./event-hub.js";
import type { Transport } from "./transport.js";
import { CallTable, maxInBandInFlightWithOob, type Call } from "./call-table.js";
import { createValidationHook, type ValidationHook } from "./validation-hook.js";
import type { FollowedServer } from "./follow-server.js";
import { armDeadline, checkTimeout } from "./deadline.js";
import { commandKind, defaultCommandTimeouts, type CommandKind } from "./default-timeouts.js";
import { Deque } from "./deque.js";
import { dialectOf, type Dialect } from "./dialect.js";
import {
  AbortError,
  ConnectionError,
  ConnectionLostError,
  ExecuteError,
  FdPassingError,
  GreetingError,
  InterruptedError,
  ParseError,
  ProtocolError,
  StateError,
  TimeoutError,
  UsageError,
} from "./errors.js";

/**
 * What set-up (runtime/connect.ts: negotiation; runtime/guest-sync.ts: the
 * guest agent's sync) may do with a session that is still `connecting`.
 */
export interface SessionSetup {
  /** What the server speaks (runtime/dialect.ts). */
  readonly dialect: Dialect;
  readonly state: ClientState;
  /** The transport, for messages: `unix:/run/qmp.sock`, … */
  readonly description: string;
  /** Why the session ended, once it did (undefined while open or after a deliberate close). */
  readonly failure: Error | undefined;
  /** Resolves when the session ends, with the reason (undefined: closed deliberately). */
  readonly closed: Promise<Error | undefined>;
  /** True once the QMP greeting was read. */
  readonly greeted: boolean;
  /** The QMP greeting, once it comes. @throws InterruptedError when the session ends first. */
  greeting(): Promise<QmpGreeting>;
  /** A command, allowed before the session runs. */
  call(name: string, args: object | undefined, options: CallOptions): Promise<unknown>;
  /** Records the capabilities negotiation enabled (and applies the oob window). */
  enable(capabilities: readonly string[]): void;
  /**
   * Guest agent: `true` sends a 0xFF byte (the agent's parser drops partial
   * input; qmp-spec "Forcing the JSON parser into known-good state") and
   * discards input up to the agent's next 0xFF. Until `false`, id-less errors
   * are the agent's complaints about our 0xFF bytes, not lost commands.
   */
  agentSync(active: boolean): void;
  /** True when validation is to follow the server's release (`validateAgainst`, runtime/follow-server.ts). */
  readonly followsServer: boolean;
  /** Validates from now on with what follows the server, and reports what the SDK cannot vouch for. */
  useServerValidators(followed: FollowedServer): void;
  /** Ends the session with `error`. */
  fail(error: Error): void;
  /** Hands the session to the user: state `running`, held events delivered next. */
  release(): void;
}

/**
 * What outlives one session: the event hub (subscriptions and waiters carry on
 * across a reconnect) and the decision what a session's end means.
 * runtime/reconnect.ts `Connection` provides it.
 */
export interface SessionOwner {
  readonly hub: EventHub;
  /** True when a lost connection is re-established: pending calls then end with ConnectionLostError. */
  readonly reconnects: boolean;
  /** Called synchronously once the session ended (after its calls were settled). */
  sessionEnded(session: Session, reason: Error | undefined): void;
}

/**
 * Events kept while the session is set up (QEMU sends none before negotiation; a few may follow
 * it). Once the user has the client, what arrives before the replay is theirs, and is not bounded.
 */
export const maxHeldMessages = 10_000;

const defaultMeta: CommandMeta = { allowOob: false, successResponse: true, allowPreconfig: false, features: [] };
const hasOwn = Object.prototype.hasOwnProperty;

/** A session: what QmpClient delegates to. */
export class Session implements SessionSetup {
  readonly dialect: Dialect;
  readonly hub: EventHub;
  private stateValue: ClientState = "connecting";
  private readonly table: CallTable;
  private readonly reader: MessageReader;
  private readonly validation: ValidationHook;
  /** The limit of a call without `timeout`, by kind of command (runtime/default-timeouts.ts). */
  private readonly commandTimeouts: Readonly<Record<CommandKind, number | undefined>>;
  /** Events read before the session was handed to the user, replayed right after (see `release`). */
  private held: Deque<unknown> | undefined = new Deque();
  private greetingValue: QmpGreeting | undefined;
  private greetingWaiters: { resolve: (g: QmpGreeting) => void; reject: (e: Error) => void }[] = [];
  private enabled: readonly string[] = [];
  private closeReason: Error | undefined;
  private corked = false;
  private syncingAgent = false;
  private readonly closedPromise: Promise<Error | undefined>;
  private resolveClosed!: (reason: Error | undefined) => void;
  private readonly input: Readable;
  private readonly output: Writable;

  /** `options` must have passed `checkSessionOptions` (runtime/connect.ts). */
  constructor(
    readonly sdk: SdkDescriptor,
    private readonly transport: Transport,
    private readonly options: SessionOptions,
    private readonly owner: SessionOwner,
  ) {
    this.dialect = dialectOf(sdk, options);
    this.commandTimeouts = sessionTimeouts(options);
    this.reader = new MessageReader({ maxMessageSize: options.maxMessageSize, sentinel: this.dialect.sentinel });
    this.table = new CallTable(this.write, this.dialect.firstId());
    this.validation = createValidationHook(sdk, options.validate ?? "off", (d) => this.diagnose(d));
    this.hub = owner.hub;
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

  get protocol(): "qmp" | "qga" {
    return this.dialect.protocol;
  }
  get state(): ClientState {
    return this.stateValue;
  }
  get description(): string {
    return this.transport.description;
  }
  get failure(): Error | undefined {
    return this.closeReason;
  }
  get closed(): Promise<Error | undefined> {
    return this.closedPromise;
  }
  get greeted(): boolean {
    return this.greetingValue !== undefined;
  }
  get greetingMessage(): QmpGreeting | undefined {
    return this.greetingValue;
  }
  get capabilities(): readonly string[] {
    return this.enabled;
  }
  get pendingCount(): number {
    return this.table.count;
  }
  /** Guest agent: attempts of one sync. */
  get syncAttempts(): number {
    return this.options.syncAttempts ?? 3;
  }
  /** Guest agent: time limit of one sync attempt (undefined: none). */
  get syncTimeout(): number | undefined {
    return checkTimeout(this.options.syncTimeout ?? 3_000, "syncTimeout");
  }

  // ---- SessionSetup ----

  greeting(): Promise<QmpGreeting> {
    if (this.greetingValue) return Promise.resolve(this.greetingValue);
    if (this.stateValue === "closed") return Promise.reject(this.interruption("the greeting"));
    return new Promise((resolve, reject) => this.greetingWaiters.push({ resolve, reject }));
  }

  enable(capabilities: readonly string[]): void {
    this.enabled = capabilities;
    if (capabilities.includes("oob")) this.table.limitWindow(maxInBandInFlightWithOob);
  }

  agentSync(active: boolean): void {
    this.syncingAgent = active;
    if (!active || this.stateValue === "closed") return;
    this.reader.discardUntilSentinel = true;
    this.output.write(Buffer.from([0xff]));
  }

  get followsServer(): boolean {
    const against = this.options.validateAgainst;
    return against === "server" || (against === undefined && (this.options.validate ?? "off") !== "off");
  }

  useServerValidators(followed: FollowedServer): void {
    this.validation.use(followed.validators, followed.unknownAsNotices);
    if (followed.diagnostic) this.diagnose(followed.diagnostic);
  }

  fail(error: Error): void {
    this.shutdown(error, error.message);
  }

  release(): void {
    if (this.stateValue !== "connecting") return;
    this.stateValue = "running";
    setImmediate(() => this.deliverHeld());
  }

  // ---- used by QmpClient ----

  /** Ends the session deliberately; pending calls reject with InterruptedError. */
  close(): Promise<void> {
    if (this.stateValue !== "closed") this.shutdown(undefined, "the client was closed");
    return this.closedPromise.then(() => undefined);
  }

  /** Guest agent: every unsettled call ends (its reply would be discarded as stale). */
  interruptForResync(): void {
    this.table.interruptAll(
      (command) =>
        new InterruptedError(`${command} was interrupted: the guest agent session was resynchronised`, command),
    );
  }

  /** Runs a command; checks nothing about the state except that the session has not ended. */
  call(name: string, args: object | undefined, options: CallOptions): Promise<unknown> {
    if (this.stateValue === "closed") return Promise.reject(this.interruption(name));
    const meta = this.metaOf(name);
    let timeout: number | undefined;
    try {
      timeout =
        options.timeout !== undefined
          ? checkTimeout(options.timeout, "timeout")
          : this.commandTimeouts[commandKind(name)];
    } catch (error) {
      return Promise.reject(error);
    }
    const mode = options.validate ?? this.validation.mode;
    const invalid = this.validation.args(name, args, mode);
    if (invalid) return Promise.reject(invalid);
    const oobOn = this.enabled.includes("oob");
    if (options.oob === true && !(oobOn && meta.allowOob)) {
      const why = oobOn ? `${name} does not allow out-of-band execution` : "the oob capability is not enabled";
      return Promise.reject(new UsageError(`cannot run ${name} out-of-band: ${why}`));
    }
    const outOfBand = options.oob !== false && oobOn && meta.allowOob;
    return this.submit(name, args, outOfBand, meta.successResponse, mode, timeout, options.signal, false, options.fds);
  }

  /**
   * Sends a command as another client wrote it (runtime/proxy.ts) and resolves with the whole
   * reply message, error replies included (undefined for an accepted command that gets no reply);
   * nothing is validated. `oob`: as `exec-oob`, which
   * needs the oob capability (the server judges whether the command allows it).
   * @throws UsageError for `oob` without the capability; InterruptedError when the session ends first.
   */
  forward(
    name: string,
    args: object | undefined,
    oob: boolean,
    fds?: readonly number[],
  ): Promise<Record<string, unknown> | undefined> {
    if (this.stateValue === "closed") return Promise.reject(this.interruption(name));
    if (oob && !this.enabled.includes("oob"))
      return Promise.reject(new UsageError(`cannot run ${name} out-of-band: the oob capability is not enabled`));
    // A command the server does not answer (the guest agent's guest-shutdown) resolves undefined once accepted.
    return this.submit(
      name,
      args,
      oob,
      this.metaOf(name).successResponse,
      "off",
      undefined,
      undefined,
      true,
      fds,
    ) as Promise<Record<string, unknown> | undefined>;
  }

  /** The SDK's flags of a command; the defaults for one it does not know. */
  private metaOf(name: string): CommandMeta {
    return hasOwn.call(this.sdk.commands, name) ? this.sdk.commands[name]! : defaultMeta;
  }

  private submit(
    name: string,
    args: object | undefined,
    outOfBand: boolean,
    expectsReply: boolean,
    mode: ValidationMode,
    timeout: number | undefined,
    signal: AbortSignal | undefined,
    raw: boolean,
    fds: readonly number[] | undefined,
  ): Promise<unknown> {
    if (fds !== undefined && fds.length > 0 && !this.transport.writeWithFds) {
      const why = this.transport.fdsUnavailable;
      return Promise.reject(
        why instanceof FdPassingError
          ? why
          : new FdPassingError(
              `cannot pass file descriptors with ${name}: ${this.transport.description} cannot carry them ` +
                "(a unix socket opened with fds: true can); nothing was sent",
              "transport",
            ),
      );
    }
    if (signal?.aborted)
      return Promise.reject(new AbortError(`${name} was aborted before it was sent`, { cause: signal.reason }));
    const id = this.table.allocateId();
    const message: Record<string, unknown> = outOfBand ? { "exec-oob": name } : { execute: name };
    if (args !== undefined) message["arguments"] = args;
    message["id"] = id;
    let text: string;
    try {
      text = stringifyJson(message);
    } catch (error) {
      return Promise.reject(
        new UsageError(`cannot encode the arguments of ${name}: ${(error as Error).message}`, { cause: error }),
      );
    }
    return new Promise((resolve, reject) => {
      const call: Call = {
        id,
        command: name,
        text,
        inBand: !outOfBand,
        expectsReply,
        validate: mode,
        raw,
        ...(fds !== undefined && fds.length > 0 ? { fds } : {}),
        phase: "queued",
        disarm: () => undefined,
        resolve,
        reject,
      };
      call.disarm = armDeadline({
        timeout,
        signal,
        onTimeout: () =>
          this.table.giveUp(call, new TimeoutError(`${name}: no reply within ${timeout} ms`, timeout!), true),
        onAbort: () => this.table.giveUp(call, new AbortError(`${name} was aborted`, { cause: signal?.reason }), false),
      });
      this.table.submit(call);
    });
  }

  // ---- writing ----

  private readonly write = (call: Call, written?: (error: Error | null | undefined) => void): void => {
    // Batch the writes of one turn into one syscall (pipelined calls).
    if (!this.corked) {
      this.corked = true;
      this.output.cork();
      process.nextTick(this.uncork);
    }
    if (call.fds) this.transport.writeWithFds!(call.text + "\n", call.fds, written ?? (() => undefined));
    else this.output.write(call.text + "\n", written);
  };

  private readonly uncork = (): void => {
    this.corked = false;
    this.output.uncork();
  };

  // ---- reading ----

  private readonly onData = (chunk: Buffer): void => {
    // Messages before a fault in the same chunk are handled first: they came first on the wire.
    for (const message of this.reader.push(chunk)) {
      if (this.stateValue === "closed") return;
      this.handleSafely(message);
    }
    if (this.reader.failure) this.shutdown(this.reader.failure, this.reader.failure.message);
  };

  /**
   * A peer's message must never end the process: whatever handling it throws (a
   * value no path was written for) ends this session alone, with a typed error.
   */
  private handleSafely(message: unknown): void {
    try {
      this.handleMessage(message);
    } catch (error) {
      this.shutdown(
        new ProtocolError(`cannot handle a message from the server: ${previewJson(message)}`, { cause: error }),
        "unusable message",
      );
    }
  }

  private handleMessage(message: unknown): void {
    const m = classifyMessage(message);
    // Until the user holds the client, events wait in `held`; once it is released, everything
    // read before the replay waits behind them so wire order is kept.
    if (this.held && (m.kind === "event" || this.stateValue === "running")) {
      // qmp-spec sends no event before negotiation: a flood during set-up is a peer's, and bounded.
      if (this.held.length >= maxHeldMessages && this.stateValue === "connecting")
        return this.shutdown(
          new ProtocolError(`more than ${maxHeldMessages} events arrived while the session was being set up`),
          "event flood",
        );
      return void this.held.push(message);
    }
    switch (m.kind) {
      case "event":
        this.validation.event(m.event, message as Record<string, unknown>);
        return this.hub.dispatch(m.event);
      case "return":
      case "error":
        if (!m.hasId) {
          if (m.kind === "error") {
            if (this.syncingAgent) {
              // qemu-ga answers each 0xFF we send with an id-less parse error; after an abandoned
              // sync attempt those answers arrive past the sentinel and are ours, not a lost command.
              return this.diagnose({
                kind: "stale-output",
                message: "id-less error during guest agent sync dropped",
                value: message,
              });
            }
            // qmp-spec: an error without id means the server could not read the command, so we
            // cannot know which call it ends; continuing would leave that call hanging.
            return this.shutdown(
              new ParseError(`the server could not parse a command: ${m.errorClass}: ${m.desc}`, previewJson(message)),
              "id-less error",
            );
          }
          return this.diagnose({ kind: "unknown-id", message: "reply without id dropped", value: message });
        }
        return this.settle(m.id, message, m);
      case "greeting": {
        if (this.greetingValue || !this.dialect.greets)
          return this.diagnose({ kind: "unexpected-message", message: "second greeting ignored", value: message });
        const bad = this.validation.greeting(message);
        if (bad) return this.shutdown(bad, "bad greeting");
        this.greetingValue = m.greeting;
        for (const waiter of this.greetingWaiters.splice(0)) waiter.resolve(m.greeting);
        return;
      }
      default:
        if (this.dialect.greets && !this.greetingValue) {
          return this.shutdown(
            new GreetingError(`expected the QMP greeting, got ${previewJson(message)}`),
            "bad greeting",
          );
        }
        return this.diagnose({
          kind: "unexpected-message",
          message: "message is neither reply nor event",
          value: message,
        });
    }
  }

  private settle(
    id: unknown,
    message: unknown,
    m: { kind: "return"; value: unknown } | { kind: "error"; errorClass: string; desc: string },
  ): void {
    const call = typeof id === "number" ? this.table.take(id) : undefined;
    if (!call) {
      if (typeof id === "number" && this.table.wasAccepted(id)) {
        return this.diagnose({
          kind: "late-reply",
          message: `reply to the no-reply command with id ${id} came after it was taken as accepted`,
          value: message,
        });
      }
      return this.diagnose({
        kind: "unknown-id",
        message: `reply with unknown id ${previewJson(id, 60)} dropped`,
        value: message,
      });
    }
    if (call.phase === "abandoned")
      return this.diagnose({ kind: "late-reply", message: `late reply of ${call.command} dropped`, value: message });
    if (call.raw) return this.table.finish(call, undefined, message);
    if (m.kind === "error")
      return this.table.finish(call, new ExecuteError(m.errorClass, m.desc, call.command, call.id));
    if (!call.expectsReply) return this.table.finish(call, undefined, undefined);
    this.table.finish(call, this.validation.reply(call.command, m.value, call.validate), m.value);
  }

  /** Hands what `held` kept to the session, in wire order; once only. */
  private deliverHeld(): void {
    if (this.stateValue !== "running") return;
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    while (held.length > 0) {
      if (this.stateValue !== "running") return;
      this.handleSafely(held.shift());
    }
  }

  private readonly onEnd = (): void => {
    if (this.stateValue === "closed") return;
    const partial = this.reader.hasPartialMessage ? " in the middle of a message" : "";
    this.shutdown(
      new ConnectionError(`the server closed the connection${partial} (${this.transport.description})`),
      "connection closed",
    );
  };

  private readonly onStreamError = (error: Error): void => {
    if (this.stateValue === "closed") return;
    this.shutdown(
      new ConnectionError(`connection error (${this.transport.description}): ${error.message}`, { cause: error }),
      "connection error",
    );
  };

  // ---- ending ----

  /** Ends the session; `reason` undefined means a deliberate close. Settles everything pending. */
  private shutdown(reason: Error | undefined, what: string): void {
    if (this.stateValue === "closed") return;
    // What was read before the fault still counts: a reply that came ahead of garbage in the
    // same chunk resolves its call, and held events reach their listeners first.
    this.deliverHeld();
    if ((this.stateValue as ClientState) === "closed") return; // a held message (an id-less error) ended it already
    this.stateValue = "closed";
    this.closeReason = reason;
    this.input.off("data", this.onData);
    const lost = reason !== undefined && this.owner.reconnects;
    this.table.interruptAll((command) =>
      lost
        ? new ConnectionLostError(
            `${command} was interrupted: ${reason.message}; it may or may not have run, and is not resent`,
            command,
            { cause: reason },
          )
        : new InterruptedError(
            reason ? `${command} was interrupted: ${reason.message}` : `${command} was interrupted: ${what}`,
            command,
            { cause: reason },
          ),
    );
    for (const waiter of this.greetingWaiters.splice(0)) waiter.reject(this.interruption("the greeting"));
    this.transport.destroy();
    this.owner.sessionEnded(this, reason);
    this.resolveClosed(reason);
  }

  private interruption(what: string): Error {
    const reason = this.closeReason;
    if (!reason) return new StateError(`cannot run ${what}: the client is closed`, "closed", "connecting or running");
    return new InterruptedError(`${what} was interrupted: ${reason.message}`, what, { cause: reason });
  }

  private diagnose(diagnostic: QmpDiagnostic): void {
    this.options.onDiagnostic?.(diagnostic);
  }
}

/**
 * The limits of calls without `timeout`: `commandTimeout` for all, else the defaults with
 * `commandTimeouts` over them. @throws UsageError for an invalid limit.
 */
export function sessionTimeouts(options: SessionOptions): Record<CommandKind, number | undefined> {
  if (options.commandTimeout !== undefined) {
    const all = checkTimeout(options.commandTimeout, "commandTimeout");
    return { query: all, command: all, long: all };
  }
  const given = options.commandTimeouts ?? {};
  const pick = (kind: CommandKind) =>
    checkTimeout(given[kind] ?? defaultCommandTimeouts[kind], `commandTimeouts.${kind}`);
  return { query: pick("query"), command: pick("command"), long: pick("long") };
}
