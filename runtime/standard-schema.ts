/**
 * The SDKs' validators as Standard Schema v1 (the `~standard` interface that
 * form, router and RPC libraries accept): one schema per command's
 * arguments, per command's result and per event's data, typed by the SDK's
 * CommandMap and EventMap, each checking with the validator engine
 * (runtime/validate/) in strict mode by default. Issues carry the engine's
 * message and the path as Standard Schema wants it, a list of keys.
 *
 * The interface is written out here from the published specification, so
 * the runtime needs no dependency; test/standard-schema/ checks that it is
 * assignable to `@standard-schema/spec`'s own types.
 *
 * A generated SDK exports `standardSchemas` over its own schema;
 * `standardSchemasFor(client)` follows the release of the server a client
 * is connected to (the SDK's schema cut to that release, as
 * runtime/follow-server.ts does for the client's own validation).
 */
import type { QmpClient } from "./client.js";
import { agentVersion, followServer, greetingVersion } from "./follow-server.js";
import type { CommandMapBase, EventMapBase, SdkDescriptor, SdkValidators, ValidationIssue } from "./sdk.js";

/** A Standard Schema v1 validator of values of type `Output` (Standard Schema's `StandardSchemaV1`). */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    /** Types only (never set at run time): what the schema takes and gives. */
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** A Standard Schema issue: the message and where, as keys from the value's root. */
export interface StandardIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

export type StandardResult<Output> =
  { readonly value: Output; readonly issues?: undefined } | { readonly issues: readonly StandardIssue[] };

/** Standard Schema validators of one SDK's commands and events. */
export interface StandardSchemas<C extends CommandMapBase, E extends EventMapBase> {
  /** The arguments of `command` (`{}` or undefined for a command without any). */
  arguments<K extends keyof C & string>(command: K): StandardSchemaV1<C[K]["args"]>;
  /** What `command` returns. */
  result<K extends keyof C & string>(command: K): StandardSchemaV1<C[K]["returns"]>;
  /** The data of `event`. */
  event<K extends keyof E & string>(event: K): StandardSchemaV1<E[K]>;
}

export interface StandardSchemaOptions {
  /** strict (default): unknown members and enum values are issues; lenient: they pass. */
  readonly mode?: "strict" | "lenient";
}

/** The vendor name the schemas carry. */
export const standardSchemaVendor = "qapi-ts";

/**
 * The keys of an engine path (`$.return[0]["node-name"]`, runtime/validate/findings.ts) after the root `$`.
 * @throws Error on text the engine does not write
 */
export function pathKeys(path: string): (string | number)[] {
  if (!path.startsWith("$")) throw new Error(`not a validator path: ${path}`);
  const keys: (string | number)[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === ".") {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(path.slice(i + 1));
      if (!m) throw new Error(`not a validator path: ${path}`);
      keys.push(m[0]);
      i += 1 + m[0].length;
    } else if (path[i] === "[" && path[i + 1] === '"') {
      // A JSON string literal: ends at the first quote no backslash escapes.
      let j = i + 2;
      while (j < path.length && path[j] !== '"') j += path[j] === "\\" ? 2 : 1;
      keys.push(JSON.parse(path.slice(i + 1, j + 1)) as string);
      i = j + 2;
    } else if (path[i] === "[") {
      const end = path.indexOf("]", i);
      keys.push(Number(path.slice(i + 1, end)));
      i = end + 1;
    } else throw new Error(`not a validator path: ${path}`);
  }
  return keys;
}

const issues = (found: readonly ValidationIssue[]): StandardIssue[] =>
  found.map((issue) => ({ message: issue.message, path: pathKeys(issue.path) }));

type Check = (
  validators: SdkValidators,
  name: string,
  value: unknown,
  mode: "strict" | "lenient",
) => ReturnType<SdkValidators["type"]>;

const checks: Readonly<Record<"arguments" | "result" | "event", Check>> = {
  arguments: (v, name, value, mode) => v.commandArgs(name, value, mode, "$"),
  result: (v, name, value, mode) => v.commandReturn(name, value, mode, "$"),
  event: (v, name, value, mode) => v.event(name, value, mode, "$"),
};

const what = { arguments: "command", result: "command", event: "event" } as const;

/**
 * Standard Schema validators over an SDK's validators (or any SdkValidators).
 * Each schema is made once per name; a name the schema lacks gives an issue, not an exception.
 */
export function createStandardSchemas<C extends CommandMapBase, E extends EventMapBase>(
  source: SdkDescriptor | SdkValidators,
  options: StandardSchemaOptions = {},
): StandardSchemas<C, E> {
  const validators = "validators" in source ? source.validators : source;
  const mode = options.mode ?? "strict";
  const made = new Map<string, StandardSchemaV1>();
  const schema = (kind: keyof typeof checks, name: string): StandardSchemaV1 => {
    const key = `${kind}:${name}`;
    let s = made.get(key);
    if (!s) {
      const check = checks[kind];
      s = {
        "~standard": {
          version: 1,
          vendor: standardSchemaVendor,
          validate: (value: unknown) => {
            const r = check(validators, name, value, mode);
            if (!r) return { issues: [{ message: `no ${what[kind]} '${name}' in this schema` }] };
            return r.errors.length > 0 ? { issues: issues(r.errors) } : { value };
          },
        },
      };
      made.set(key, s);
    }
    return s;
  };
  return {
    arguments: (command) => schema("arguments", command),
    result: (command) => schema("result", command),
    event: (event) => schema("event", event),
  } as StandardSchemas<C, E>;
}

/**
 * Standard Schema validators that follow the server `client` is connected to:
 * its SDK's schema cut to that server's release (a guest agent is asked
 * `guest-info` for its version).
 * @throws QmpError subclasses when a guest agent cannot be asked
 */
export async function standardSchemasFor<C extends CommandMapBase, E extends EventMapBase>(
  client: QmpClient<C, E>,
  options: StandardSchemaOptions = {},
): Promise<StandardSchemas<C, E>> {
  const version =
    client.protocol === "qga"
      ? agentVersion(await client.executeWith("guest-info" as keyof C & string, undefined as never))
      : client.greeting
        ? greetingVersion(client.greeting.version)
        : undefined;
  const followed = await followServer(client.sdk, version);
  return createStandardSchemas<C, E>(followed.validators, options);
}
