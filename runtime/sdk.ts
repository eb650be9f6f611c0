/**
 * The contract between a generated SDK (generated/<name>/, or a user's own
 * `qapi-ts generate` output) and the runtime client.
 *
 * A generated SDK exports, for its schema:
 *   - `interface CommandMap` — wire command name → { args; returns }   (types only)
 *   - `interface EventMap`   — wire event name → event data type       (types only)
 *   - `const sdk: SdkDescriptor` — per-command flags, per-event facts and the
 *     validators, as values the runtime reads at run time.
 * The runtime client (runtime/client.ts) is generic over the two maps and takes
 * the descriptor, so every call and event is typed and, on request, validated.
 */
import type { WireSchema } from "../core/schema.js";
import type { History } from "../core/history.js";

/**
 * How QAPI's 64-bit integer types (`int`, `int64`, `uint64`, `size`) appear in
 * TypeScript. The lossless JSON reader (runtime/json.ts) yields a `number` when
 * the value is a safe integer (|n| ≤ 2^53 − 1) and a `bigint` otherwise, so no
 * value is ever rounded; the writer sends either form exactly.
 */
export type Int64 = number | bigint;

/** One entry of a generated CommandMap. `args` is `undefined` for a command without arguments. */
export interface CommandMapEntry {
  args: object | undefined;
  returns: unknown;
}

/** The shape every generated CommandMap satisfies. */
export type CommandMapBase = { [command: string]: CommandMapEntry };

/** The shape every generated EventMap satisfies: event data, or `undefined` for an event without data. */
export type EventMapBase = { [event: string]: object | undefined };

/** The argument type of command K. */
export type CommandArgs<M extends CommandMapBase, K extends keyof M> = M[K]["args"];

/** The value a successful call of command K resolves to. */
export type CommandReturn<M extends CommandMapBase, K extends keyof M> = M[K]["returns"];

/**
 * The argument list of `execute(name, ...args)`: nothing for a command without
 * arguments, an optional object when no member is required, else a required one.
 */
export type ArgsParam<A> = [A] extends [undefined] ? [] : {} extends A ? [args?: A] : [args: A];

/**
 * What the arguments of a command that takes members beyond its declared ones
 * (QEMU's `'gen': false`: `device_add` takes the device's properties) add to
 * its declared type: `DeviceAddArguments & ExtraMembers` keeps `driver`, `bus`
 * and `id` typed and allows `drive`, `bootindex`, ….
 */
export type ExtraMembers = { readonly [member: string]: unknown };

/**
 * The arguments of a generated per-command helper (`queryStatus(client)`) for a
 * client whose command map is `C`: the command's ArgsParam, or an argument no
 * value fits when `C` lacks command `K` — a client narrowed to a release
 * without it (generated/<sdk>/versions.ts `narrow`) — so that call does not compile.
 */
export type HelperArgs<C, K extends string> = C extends { readonly [P in K]: { args: infer A } }
  ? ArgsParam<A>
  : [notInThisRelease: never];

/** What a generated per-command helper resolves to for a client whose command map is `C`. */
export type HelperReturn<C, K extends string> = C extends { readonly [P in K]: { returns: infer R } } ? R : never;

/** Facts about one command the runtime needs to carry it out correctly. */
export interface CommandMeta {
  /** May run out-of-band (`exec-oob`) when the `oob` capability is on. */
  readonly allowOob: boolean;
  /** False for commands QEMU never answers (`success-response: false`): the call resolves once sent. */
  readonly successResponse: boolean;
  /** May run before machine creation (`--preconfig`). */
  readonly allowPreconfig: boolean;
  /** Feature names of the command (`deprecated`, `unstable`, …). */
  readonly features: readonly string[];
}

/** Facts about one event. */
export interface EventMeta {
  readonly features: readonly string[];
}

/**
 * off: no checks. lenient: types and required members are checked, unknown
 * members and enum values pass and are reported as notices (a newer server).
 * strict: unknown members and enum values are errors too (what QEMU itself does
 * with command arguments).
 */
export type ValidationMode = "off" | "lenient" | "strict";

/** One finding of a validator. `path` is a JSON path such as `$.return[0]["node-name"]`. */
export interface ValidationIssue {
  readonly path: string;
  /** Human text: `expected string, got 42`, `unknown member 'foo'`, … */
  readonly message: string;
}

/** What a validator found. `errors` empty means the value is acceptable in the mode asked for. */
export interface ValidationResult {
  readonly errors: readonly ValidationIssue[];
  /** Lenient mode only: unknown members and enum values that were let through. */
  readonly notices: readonly ValidationIssue[];
}

/**
 * Validators of a schema: a generated SDK's come from the runtime's engine
 * (runtime/validate/) over the SDK's wire data. `root` is the path prefix for messages
 * (`$.arguments`, `$.return`, `$.data`). Each method returns undefined when the
 * name is unknown to the schema.
 */
export interface SdkValidators {
  commandArgs(command: string, value: unknown, mode: "lenient" | "strict", root?: string): ValidationResult | undefined;
  commandReturn(
    command: string,
    value: unknown,
    mode: "lenient" | "strict",
    root?: string,
  ): ValidationResult | undefined;
  event(event: string, data: unknown, mode: "lenient" | "strict", root?: string): ValidationResult | undefined;
  type(typeName: string, value: unknown, mode: "lenient" | "strict", root?: string): ValidationResult | undefined;
}

/** The run-time face of one generated SDK. */
export interface SdkDescriptor {
  /** Short name of the schema: "qemu", "qga", "qsd", or the user's. */
  readonly name: string;
  /** QEMU version the schema came from, when known. */
  readonly qemuVersion?: string;
  readonly commands: Readonly<Record<string, CommandMeta>>;
  readonly events: Readonly<Record<string, EventMeta>>;
  readonly validators: SdkValidators;
  /**
   * The schema in wire form with its real type names (a generated SDK decodes
   * its wire.ts at the first call). The capability probes use it as the
   * reference when they are given none.
   */
  readonly wire?: () => WireSchema;
  /**
   * The SDK's version history, loaded at the first connection that validates
   * (`generate --history` gives a generated SDK one; the shipped SDKs have
   * theirs): validation then follows the server's release
   * (runtime/follow-server.ts). Without one, the SDK's own schema is used.
   */
  readonly history?: () => Promise<History>;
  /**
   * Wire dialect: `qmp` (greeting, `qmp_capabilities`) or `qga` (the guest agent:
   * no greeting, `guest-sync-delimited` first). Absent means `qmp`.
   */
  readonly protocol?: "qmp" | "qga";
}
