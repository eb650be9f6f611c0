/**
 * The SDKs' validators as Standard Schema v1 (the `~standard` interface that
 * form, router and RPC libraries accept): one schema per command's
 * arguments, per command's result and per event's data, typed by the SDK's
 * CommandMap and EventMap, each checking with the validator engine
 * (runtime/validate/) in strict mode by default. Issues carry the engine's
 * message and the path as Standard Schema wants it, a list of keys. Each
 * schema is also Standard JSON Schema: its entry of the wire schema's JSON
 * Schema document (core/json-schema.ts), in draft-2020-12 or draft-07.
 *
 * The interfaces are written out here from the published specification, so
 * the runtime needs no dependency; test/standard-schema/ checks that they are
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
import { entryKey, jsonSchemaDocument, standaloneSchema, type JsonSchema } from "../core/json-schema.js";
import type { WireSchema } from "../core/schema.js";
import { UsageError } from "./errors.js";
import { pathSegments } from "./validate/findings.js";
import { stringifyJson } from "./json.js";

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

/** What a Standard JSON Schema converter is asked for (Standard Schema's `StandardJSONSchemaV1.Options`). */
export interface StandardJSONSchemaOptions {
  /** draft-2020-12 and draft-07 are given; any other target throws UsageError. */
  readonly target: "draft-2020-12" | "draft-07" | "openapi-3.0" | ({} & string);
  readonly libraryOptions?: Record<string, unknown> | undefined;
}

/** A schema that converts to JSON Schema (Standard Schema's `StandardJSONSchemaV1`). */
export interface StandardJSONSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
    readonly jsonSchema: {
      readonly input: (options: StandardJSONSchemaOptions) => Record<string, unknown>;
      readonly output: (options: StandardJSONSchemaOptions) => Record<string, unknown>;
    };
  };
}

/** One of an SDK's schemas: it validates, and it converts to JSON Schema. */
export type QapiStandardSchema<T> = StandardSchemaV1<T> & StandardJSONSchemaV1<T>;

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
  arguments<K extends keyof C & string>(command: K): QapiStandardSchema<C[K]["args"]>;
  /** What `command` returns. */
  result<K extends keyof C & string>(command: K): QapiStandardSchema<C[K]["returns"]>;
  /** The data of `event`. */
  event<K extends keyof E & string>(event: K): QapiStandardSchema<E[K]>;
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
  const keys = pathSegments(path);
  if (!keys) throw new Error(`not a validator path: ${path}`);
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

/** The validators and, for the JSON Schema conversions, the wire schema they check against. */
export interface StandardSchemaSource {
  readonly validators: SdkValidators;
  readonly wire?: (() => WireSchema) | undefined;
}

/**
 * Standard Schema validators over an SDK (or any validators with their wire
 * schema), each also a Standard JSON Schema converter (core/json-schema.ts,
 * the rules of the engine's strict mode; draft-2020-12 and draft-07).
 * Each schema is made once per name; a name the schema lacks gives an issue,
 * not an exception (its conversion throws UsageError).
 */
export function createStandardSchemas<C extends CommandMapBase, E extends EventMapBase>(
  source: SdkDescriptor | StandardSchemaSource | SdkValidators,
  options: StandardSchemaOptions = {},
): StandardSchemas<C, E> {
  const validators = "validators" in source ? source.validators : source;
  const wire = "validators" in source ? source.wire : undefined;
  const mode = options.mode ?? "strict";
  const made = new Map<string, QapiStandardSchema<unknown>>();
  const schema = (kind: keyof typeof checks, name: string): QapiStandardSchema<unknown> => {
    const key = `${kind}:${name}`;
    let s = made.get(key);
    if (!s) {
      const check = checks[kind];
      const convert = (o: StandardJSONSchemaOptions) => jsonSchemaOf(wire, kind, name, o);
      s = {
        "~standard": {
          version: 1,
          vendor: standardSchemaVendor,
          validate: (value: unknown) => {
            const r = check(validators, name, value, mode);
            if (!r) return { issues: [{ message: `no ${what[kind]} '${name}' in this schema` }] };
            return r.errors.length > 0 ? { issues: issues(r.errors) } : { value };
          },
          // QMP values are the same going in and coming out: one schema for both.
          jsonSchema: { input: convert, output: convert },
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

/** Per wire schema: its JSON Schema document, with 64-bit bounds as JSON numbers (what a JSON consumer reads). */
const documents = new WeakMap<WireSchema, JsonSchema>();

const entryOf = { arguments: entryKey.arguments, result: entryKey.return, event: entryKey.data } as const;

/**
 * One entry of the wire schema's JSON Schema, standalone, in the target's dialect.
 * @throws UsageError without a wire schema, for a name it lacks, or for a target other than draft-2020-12 and draft-07
 */
function jsonSchemaOf(
  wire: (() => WireSchema) | undefined,
  kind: keyof typeof checks,
  name: string,
  options: StandardJSONSchemaOptions,
): Record<string, unknown> {
  const target = options?.target;
  if (target !== "draft-2020-12" && target !== "draft-07")
    throw new UsageError(
      `JSON Schema target '${String(target)}' is not supported: draft-2020-12 and draft-07 are (QAPI's recursive types need $ref, which a standalone OpenAPI 3.0 schema cannot carry)`,
    );
  if (!wire) throw new UsageError(`no JSON Schema: these validators were made without their wire schema`);
  const schema = wire();
  let document = documents.get(schema);
  if (!document)
    documents.set(schema, (document = JSON.parse(stringifyJson(jsonSchemaDocument(schema))) as JsonSchema));
  let entry: JsonSchema;
  try {
    entry = standaloneSchema(document, entryOf[kind](name), true);
  } catch {
    throw new UsageError(`no ${what[kind]} '${name}' in this schema`);
  }
  return target === "draft-07" ? asDraft07(entry) : entry;
}

/**
 * A standalone draft-2020-12 schema as draft-07: `$defs` become `definitions`
 * (and the references with them). The other keywords the writer uses mean
 * the same there (`const`, `oneOf`, `anyOf`) or are annotations (`deprecated`,
 * `discriminator`).
 */
function asDraft07(schema: JsonSchema): JsonSchema {
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (typeof node !== "object" || node === null) return node;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") out[key] = value.replace(/^#\/\$defs\//, "#/definitions/");
      else if (key === "$defs") out["definitions"] = rewrite(value);
      else out[key] = rewrite(value);
    }
    return out;
  };
  return { ...(rewrite(schema) as JsonSchema), $schema: "http://json-schema.org/draft-07/schema#" };
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
  return createStandardSchemas<C, E>(followed, options);
}
