/**
 * The live mock QMP server: the server side of QMP as QEMU speaks it (greeting,
 * capability negotiation, in-band queue and out-of-band commands, ids echoed,
 * error classes), with commands answered by test-supplied handlers and checked
 * against a generated SDK's validators when one is given. Every message of
 * every connection is appended to `mock.log` (see runtime/conversation-log.ts), which replay.ts can
 * serve back later. The public face is re-exported by index.ts.
 */
import type { Duplex } from "node:stream";
import type { CommandMapEntry, SdkDescriptor } from "../sdk.js";
import { MockConnection, type Incoming } from "./connection.js";
import type { CommandFault, MockFaults } from "./faults.js";
import { Listeners, type ListenAddress, type MockAddress } from "./listen.js";
import { formatLog } from "../conversation-log.js";
import type { JsonObject, JsonValue } from "./json-text.js";
import { previewJson } from "../preview.js";

/**
 * Constraints on the SDK maps written as mapped types rather than index
 * signatures, so generated `interface CommandMap`s (which have no implicit
 * index signature) are accepted.
 */
export type AnyCommandMap<C> = { [K in keyof C]: CommandMapEntry };
/** See AnyCommandMap. */
export type AnyEventMap<E> = { [K in keyof E]: object | undefined };

/** An error reply a handler asks for by throwing it. */
export class MockCommandError extends Error {
  /**
   * @param errorClass QMP error class: `GenericError`, `CommandNotFound`, `DeviceNotFound`, …
   * @param desc the human-readable `desc` of the reply
   */
  constructor(
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(desc);
    this.name = "MockCommandError";
  }
}

/** What a handler learns about the call it answers. */
export interface MockCallContext {
  readonly command: string;
  /** The client's `id`, if it sent one. */
  readonly id: JsonValue | undefined;
  /** Whether the call came as `exec-oob`. */
  readonly oob: boolean;
  /** Sends an event on this connection, after the reply is out (events raised during a call follow its reply). */
  emitAfterReply(event: string, data?: JsonObject): void;
}

/** A handler answers one command; throw MockCommandError for an error reply. */
export type MockHandler<C extends AnyCommandMap<C>, K extends keyof C> = (
  args: C[K]["args"],
  context: MockCallContext,
) => HandlerResult<C[K]["returns"]> | Promise<HandlerResult<C[K]["returns"]>>;

/** What a handler may return: the reply value, or nothing when the reply is an empty object. */
type HandlerResult<R> = R | ([{}] extends [R] ? void : never);

/** Handlers by wire command name. */
export type MockHandlers<C extends AnyCommandMap<C>> = { [K in keyof C]?: MockHandler<C, K> };

/** An event the mock sends by itself: after negotiation, or after each reply to `after`. */
export type ScriptedEvent<E extends AnyEventMap<E>> = {
  [K in keyof E & string]: {
    readonly event: K;
    /** The event's data, typed by the SDK's EventMap; absent for events without data. */
    readonly data?: E[K];
    /**
     * Command whose replies trigger the event; absent means right after capability negotiation.
     * Without a handler for it, the mock answers that command with `{}`.
     */
    readonly after?: string;
  };
}[keyof E & string];

/** The greeting's content. */
export interface MockGreeting {
  readonly version?: JsonObject;
  /** Capabilities offered; default `["oob"]`. */
  readonly capabilities?: readonly string[];
}

/** Options of createMockQemu. */
export interface MockQemuOptions<C extends AnyCommandMap<C>, E extends AnyEventMap<E>> {
  /** When given, arguments, handler replies and events are checked with its validators (strict mode). */
  readonly sdk?: SdkDescriptor;
  readonly handlers?: MockHandlers<C>;
  readonly events?: readonly ScriptedEvent<E>[];
  readonly greeting?: MockGreeting;
  /** The `query-qmp-schema` reply to serve (for capability probes), unless a handler answers it. */
  readonly schema?: readonly JsonObject[];
  readonly faults?: MockFaults;
}

/** The event-data argument of emit: none for events without data. */
type EmitData<E extends AnyEventMap<E>, K extends keyof E> = [E[K]] extends [undefined] ? [] : [data: E[K]];

/** A running mock QMP server. */
export interface MockQemu<E extends AnyEventMap<E>> {
  /** Accepts connections on a unix socket path or a TCP port (port 0 picks a free one). */
  listen(address: ListenAddress): Promise<MockAddress>;
  /** Serves one client over an existing duplex stream (see createDuplexPair). */
  attach(stream: Duplex): void;
  /** Sends an event to every negotiated connection; returns how many got it. */
  emit<K extends keyof E & string>(event: K, ...data: EmitData<E, K>): number;
  /** Every message of both directions so far, in order. */
  readonly log: readonly JsonObject[];
  /** The log as JSON Lines (the format validate-log and replayMockQemu read). */
  recording(): string;
  /** Mistakes of the test itself found by the checks: invalid handler replies, for instance. */
  readonly problems: readonly string[];
  /** Closes the listener and every connection. */
  close(): Promise<void>;
}

const defaultVersion: JsonObject = { qemu: { major: 10, minor: 2, micro: 2 }, package: "qapi-ts mock" };

function versionFrom(sdk: SdkDescriptor | undefined): JsonObject {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(sdk?.qemuVersion ?? "");
  if (!match) return defaultVersion;
  return {
    qemu: { major: Number(match[1]), minor: Number(match[2]), micro: Number(match[3]) },
    package: "qapi-ts mock",
  };
}

function timestamp(): JsonObject {
  const now = Date.now();
  return { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** QMP's own top-level members of a command message; anything else is rejected as QEMU does. */
const commandKeys = new Set(["execute", "exec-oob", "arguments", "id", "control"]);

/** `table[key]` only when the table has it itself. */
function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * Creates a mock QMP server. Give the SDK's maps as type parameters to get
 * typed handlers and a typed `emit`.
 */
export function createMockQemu<
  C extends AnyCommandMap<C> = Record<string, CommandMapEntry>,
  E extends AnyEventMap<E> = Record<string, object | undefined>,
>(options: MockQemuOptions<C, E> = {}): MockQemu<E> {
  const log: JsonObject[] = [];
  const problems: string[] = [];
  const sessions = new Set<Session>();
  const listeners = new Listeners();
  const version = options.greeting?.version ?? versionFrom(options.sdk);
  const capabilities = options.greeting?.capabilities ?? ["oob"];
  const validators = options.sdk?.validators;
  /** Commands named by a scripted event's `after` (other than negotiation): answered `{}` unless a handler answers them. */
  const triggers = new Set(
    (options.events ?? []).map((e) => e.after).filter((c): c is string => c !== undefined && c !== "qmp_capabilities"),
  );

  /** The QMP state of one connection. */
  class Session {
    negotiated = false;
    oob = false;
    /** In-band commands run one after the other, as QEMU's monitor does. */
    private queue: Promise<void> = Promise.resolve();
    readonly connection: MockConnection;

    constructor(stream: Duplex) {
      this.connection = new MockConnection(
        stream,
        log,
        (incoming) => this.receive(incoming),
        () => sessions.delete(this),
      );
      sessions.add(this);
      void this.greet();
    }

    private async greet(): Promise<void> {
      const fault = options.faults?.greeting;
      if (fault?.delayMs) await sleep(fault.delayMs);
      for (const event of fault?.eventsBefore ?? []) this.sendEvent(event, undefined);
      if (fault?.garbageBefore !== undefined) this.connection.sendRaw(fault.garbageBefore);
      if (fault?.omit) return;
      if (fault?.replaceWith !== undefined) return this.connection.sendRaw(fault.replaceWith);
      this.connection.send({ QMP: { version, capabilities: [...capabilities] } });
    }

    private receive(incoming: Incoming): void {
      if ("bad" in incoming) {
        // QEMU answers unparsable input with an id-less GenericError and goes on.
        this.connection.send({ error: { class: "GenericError", desc: `JSON parse error, ${incoming.reason}` } });
        return;
      }
      const message = incoming.message;
      const oob = "exec-oob" in message;
      if (oob) void this.run(message, true).catch((error: unknown) => this.crash(message, error));
      else
        this.queue = this.queue.then(() =>
          this.run(message, false).catch((error: unknown) => this.crash(message, error)),
        );
    }

    private reply(id: JsonValue | undefined, body: JsonObject, fault: CommandFault | undefined): void {
      const message: JsonObject = id === undefined ? body : { ...body, id };
      for (const event of fault?.eventsBefore ?? []) this.sendEvent(event, undefined);
      if (fault?.replaceWith !== undefined) return this.connection.sendRaw(fault.replaceWith);
      const trailing = fault?.garbageAfter ?? "";
      switch (fault?.reply) {
        case undefined:
          return this.connection.send(message, trailing);
        case "none":
          return;
        case "garbage":
          return this.connection.sendRaw("}}not json{{\r\n");
        case "truncated": {
          const text = JSON.stringify(message);
          this.connection.sendRaw(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
          return this.connection.close();
        }
        case "oversize": {
          const size = fault.oversizeBytes ?? 2 * 1024 * 1024;
          return this.connection.send({ ...message, padding: "x".repeat(size) }, trailing);
        }
        case "no-id": {
          const { id: _dropped, ...rest } = message;
          return this.connection.send(rest, trailing);
        }
        case "unknown-id":
          return this.connection.send({ ...body, id: fault.unknownId ?? "mock-unknown-id" }, trailing);
        case "close":
          return this.connection.close();
      }
    }

    private error(id: JsonValue | undefined, errorClass: string, desc: string, fault?: CommandFault): void {
      this.reply(id, { error: { class: errorClass, desc } }, fault);
    }

    private async run(message: JsonObject, oob: boolean): Promise<void> {
      const id = message["id"];
      const name = message[oob ? "exec-oob" : "execute"];
      for (const key of Object.keys(message)) {
        if (!commandKeys.has(key) || (key === "execute" && oob)) {
          return this.error(id, "GenericError", `QMP input member '${key}' is unexpected`);
        }
      }
      if (typeof name !== "string") {
        return this.error(id, "GenericError", `QMP input member '${oob ? "exec-oob" : "execute"}' must be a string`);
      }
      const args = message["arguments"];
      if (args !== undefined && (args === null || typeof args !== "object" || Array.isArray(args))) {
        return this.error(id, "GenericError", "QMP input member 'arguments' must be an object");
      }
      const fault = options.faults?.commands?.[name] ?? options.faults?.commands?.["*"];
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault?.errorReply) return this.error(id, fault.errorReply.class, fault.errorReply.desc, fault);

      if (name === "qmp_capabilities") return this.negotiate(id, args, fault);
      if (!this.negotiated) {
        return this.error(
          id,
          "CommandNotFound",
          "capabilities must be negotiated first: send 'qmp_capabilities'",
          fault,
        );
      }
      if (oob) {
        if (!this.oob)
          return this.error(id, "GenericError", "QMP input member 'exec-oob' needs capability 'oob'", fault);
        if (id === undefined) return this.error(id, "GenericError", "Out-of-band execution requires 'id'", fault);
        const meta = own(options.sdk?.commands, name);
        if (meta && !meta.allowOob) {
          return this.error(id, "GenericError", `The command ${name} does not support OOB`, fault);
        }
      }
      // A command named `constructor` or `__proto__` must not find Object.prototype's members.
      const handler = own(
        options.handlers as Record<string, MockHandler<Record<string, CommandMapEntry>, string>> | undefined,
        name,
      );
      const builtin = handler ? undefined : this.builtin(name);
      if ((!handler && !builtin) || (options.sdk && !own(options.sdk.commands, name) && !handler)) {
        return this.error(id, "CommandNotFound", `no command '${name}' here`, fault);
      }
      if (validators && own(options.sdk?.commands, name)) {
        const checked = validators.commandArgs(name, args ?? {}, "strict", "$.arguments");
        const first = checked?.errors[0];
        if (first) return this.error(id, "GenericError", `${first.path}: ${first.message}`, fault);
      }

      const after: Array<[string, JsonObject | undefined]> = [];
      const context: MockCallContext = { command: name, id, oob, emitAfterReply: (e, d) => void after.push([e, d]) };
      let result: unknown;
      try {
        result = handler ? await handler((args ?? {}) as never, context) : builtin!();
      } catch (error) {
        if (error instanceof MockCommandError) return this.error(id, error.errorClass, error.desc, fault);
        const text = error instanceof Error ? error.message : String(error);
        problems.push(`handler for ${name} threw: ${text}`);
        return this.error(id, "GenericError", `mock handler for ${name} threw: ${text}`, fault);
      }
      const meta = own(options.sdk?.commands, name);
      if (meta && !meta.successResponse) return; // QEMU never answers these.
      const value = (result === undefined ? {} : result) as JsonValue;
      if (validators && meta) {
        const checked = validators.commandReturn(name, value, "strict", "$.return");
        if (checked && checked.errors.length > 0) {
          const text = checked.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
          problems.push(`handler for ${name} returned an invalid reply: ${text}`);
          return this.error(id, "GenericError", `mock handler for ${name} returned an invalid reply: ${text}`, fault);
        }
      }
      this.reply(id, { return: value }, fault);
      for (const [event, data] of after) this.sendEvent(event, data);
      for (const scripted of options.events ?? []) {
        if (scripted.after === name) this.sendEvent(scripted.event, scripted.data as JsonObject | undefined);
      }
    }

    /** A bug in the mock or a validator: keep the connection usable and make the test see it. */
    private crash(message: JsonObject, error: unknown): void {
      const text = error instanceof Error ? error.message : String(error);
      problems.push(`mock failed on ${previewJson(message, 120)}: ${text}`);
      this.error(message["id"], "GenericError", `mock failure: ${text}`);
    }

    private builtin(name: string): (() => unknown) | undefined {
      if (name === "query-version") return () => version;
      // A command that triggers a scripted event exists on this mock even without a handler.
      if (triggers.has(name)) return () => ({});
      if (name === "query-qmp-schema" && options.schema) return () => options.schema;
      if (name === "query-commands") {
        return () => {
          const names = new Set<string>(["qmp_capabilities", "query-version", "query-commands"]);
          for (const key of Object.keys(options.handlers ?? {})) names.add(key);
          for (const key of triggers) names.add(key);
          if (options.schema) names.add("query-qmp-schema");
          return [...names].map((n) => ({ name: n }));
        };
      }
      return undefined;
    }

    private negotiate(id: JsonValue | undefined, args: JsonValue | undefined, fault: CommandFault | undefined): void {
      if (this.negotiated) {
        return this.error(
          id,
          "CommandNotFound",
          "Capabilities negotiation is already complete, command ignored",
          fault,
        );
      }
      const enable = (args as JsonObject | undefined)?.["enable"] ?? [];
      if (!Array.isArray(enable) || enable.some((c) => typeof c !== "string")) {
        return this.error(id, "GenericError", "Parameter 'enable' expects an array of capability names", fault);
      }
      for (const capability of enable as string[]) {
        if (!capabilities.includes(capability)) {
          return this.error(id, "GenericError", `Capability '${capability}' not available`, fault);
        }
      }
      this.oob = (enable as string[]).includes("oob");
      this.negotiated = true;
      this.reply(id, { return: {} }, fault);
      for (const scripted of options.events ?? []) {
        if (scripted.after === undefined || scripted.after === "qmp_capabilities") {
          this.sendEvent(scripted.event, scripted.data as JsonObject | undefined);
        }
      }
    }

    sendEvent(event: string, data: JsonObject | undefined): void {
      const message: JsonObject = { event, timestamp: timestamp() };
      if (data !== undefined) message["data"] = data;
      this.connection.send(message);
    }
  }

  function checkEvent(event: string, data: unknown): void {
    if (!validators || !own(options.sdk?.events, event)) return;
    const checked = validators.event(event, data ?? {}, "strict", "$.data");
    if (checked && checked.errors.length > 0) {
      throw new Error(`mock.emit("${event}"): ${checked.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
    }
  }

  return {
    listen(address) {
      return listeners.listen(address, (socket) => new Session(socket));
    },
    attach(stream) {
      new Session(stream);
    },
    emit(event, ...data) {
      checkEvent(event, data[0]);
      let count = 0;
      for (const session of sessions) {
        if (!session.negotiated) continue;
        session.sendEvent(event, data[0] as JsonObject | undefined);
        count++;
      }
      return count;
    },
    get log() {
      return log;
    },
    recording() {
      return formatLog(log);
    },
    get problems() {
      return problems;
    },
    async close() {
      for (const session of sessions) session.connection.close();
      await listeners.close();
    },
  };
}
