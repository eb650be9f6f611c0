/**
 * A wire schema (core/schema.ts) as one JSON Schema 2020-12 document:
 * every named type under `$defs` by its name, and one entry per command's
 * arguments and return and per event's data under `$defs` too, keyed
 * `command:NAME:arguments`, `command:NAME:return`, `event:NAME:data` (QAPI
 * names never hold a colon, so entries cannot clash with types).
 *
 * The schema says what the validator engine (runtime/validate/compile.ts)
 * accepts in strict mode, rule for rule, so the two can be held to the same
 * verdicts (test/tools/jsonschema/differential.test.ts):
 * - objects are closed (`additionalProperties: false`), except the
 *   arguments of a command QEMU declares `'gen': false` (`device_add`),
 *   which take members beyond the declared ones; members that are
 *   optional or carry a build condition (`if`) are not required;
 * - a union is `oneOf` one closed object per branch (its own members plus
 *   the branch's, nested unions flattened the same way), with an OpenAPI
 *   `discriminator` on its tag; tag values without a branch get one more
 *   branch holding only the union's own members, open to other keys (the
 *   engine cannot know what such a value may carry);
 * - an alternate is `anyOf` its alternatives (QAPI keeps their JSON types apart);
 * - integers carry their ranges (64-bit bounds are written exactly: the
 *   document is written with the runtime's lossless `stringifyJson`).
 * Docs facts become `description` and `deprecated`.
 *
 * Docs facts (`DocFacts`) come from the caller: tools/jsonschema/docs-facts.ts
 * reads them from the version history or a source schema.
 *
 * Data flow: tools/jsonschema/load.ts → `jsonSchemaDocument` → the
 * `qapi-ts jsonschema` command writes it; the MCP server (tools/mcp/) cuts
 * one entry out with `standaloneSchema` for a tool's input schema; the
 * runtime's Standard Schemas (runtime/standard-schema.ts) give one entry as
 * Standard JSON Schema.
 */
import type { WireSchema } from "./schema.js";
import { linkSchema, withBranch, type LinkedMember, type LinkedType } from "./linked.js";

/** What the docs say about one entity; each part may be missing. */
export interface Doc {
  readonly since?: string | undefined;
  readonly text?: string | undefined;
}

/** Docs by wire name; `member` takes the type the member belongs to, as the wire schema names it. */
export interface DocFacts {
  command(name: string): Doc | undefined;
  returns(command: string): Doc | undefined;
  event(name: string): Doc | undefined;
  type(name: string): Doc | undefined;
  member(typeName: string, member: string): Doc | undefined;
}

export const noDocFacts: DocFacts = {
  command: () => undefined,
  returns: () => undefined,
  event: () => undefined,
  type: () => undefined,
  member: () => undefined,
};

/** The description of a schema with these docs and features, as one text; "" when there is nothing to say. */
export function descriptionText(doc: Doc | undefined, features: readonly string[]): string {
  const parts: string[] = [];
  if (doc?.text) parts.push(doc.text);
  if (doc?.since) parts.push(`Since ${doc.since}.`);
  if (features.includes("deprecated")) parts.push("Deprecated.");
  if (features.includes("unstable")) parts.push("Unstable: may change or go away without the usual deprecation.");
  return parts.join("\n\n");
}

/** `schema` with the docs as `description` and the `deprecated` feature as `deprecated: true`. */
export function describe(
  schema: { [keyword: string]: unknown },
  doc: Doc | undefined,
  features: readonly string[],
): { [keyword: string]: unknown } {
  const description = descriptionText(doc, features);
  return {
    ...schema,
    ...(description ? { description } : {}),
    ...(features.includes("deprecated") ? { deprecated: true } : {}),
  };
}

/** A JSON Schema (object form). */
export type JsonSchema = { [keyword: string]: unknown };

export const jsonSchemaDialect = "https://json-schema.org/draft/2020-12/schema";

/** The `$defs` key of a command's arguments, a command's return, or an event's data. */
export const entryKey = {
  arguments: (command: string) => `command:${command}:arguments`,
  return: (command: string) => `command:${command}:return`,
  data: (event: string) => `event:${event}:data`,
};

/**
 * A name as a `$defs` key: a lone surrogate (possible in an introspection
 * file's names, impossible in a URI fragment) becomes U+FFFD.
 */
export function defKey(name: string): string {
  return name.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** The `$ref` to a `$defs` entry of the same document (JSON pointer, then URI-escaped). */
export function defRef(key: string): string {
  return "#/$defs/" + encodeURIComponent(defKey(key).replace(/~/g, "~0").replace(/\//g, "~1"));
}

/** The `$defs` key a `$ref` of the same document points to; undefined for any other reference. */
export function refTarget(ref: string): string | undefined {
  if (!ref.startsWith("#/$defs/")) return undefined;
  return decodeURIComponent(ref.slice(8)).replace(/~1/g, "/").replace(/~0/g, "~");
}

const ref = (typeName: string): JsonSchema => ({ $ref: defRef(typeName) });

const int64: JsonSchema = { type: "integer", minimum: -(2n ** 63n), maximum: 2n ** 63n - 1n };
const uint64: JsonSchema = { type: "integer", minimum: 0, maximum: 2n ** 64n - 1n };
const builtins: Readonly<Record<string, JsonSchema>> = {
  str: { type: "string" },
  bool: { type: "boolean" },
  number: { type: "number" },
  int: int64,
  int64,
  uint64,
  size: uint64,
  null: { type: "null" },
  any: {},
  int8: { type: "integer", minimum: -128, maximum: 127 },
  int16: { type: "integer", minimum: -32768, maximum: 32767 },
  int32: { type: "integer", minimum: -2147483648, maximum: 2147483647 },
  uint8: { type: "integer", minimum: 0, maximum: 255 },
  uint16: { type: "integer", minimum: 0, maximum: 65535 },
  uint32: { type: "integer", minimum: 0, maximum: 4294967295 },
};
/** Introspection names builtins by JSON type. */
const byJsonType: Readonly<Record<string, string>> = {
  string: "str",
  boolean: "bool",
  number: "number",
  int: "int",
  null: "null",
};

function builtinSchema(name: string, json: string): JsonSchema {
  return { ...(builtins[name] ?? builtins[byJsonType[json] ?? "any"]!) };
}

/** Converts one wire schema; `facts` adds docs (none by default). */
export function jsonSchemaDocument(wire: WireSchema, facts: DocFacts = noDocFacts): JsonSchema {
  const defs: [string, JsonSchema][] = [];
  const linked = linkSchema(wire);
  const member = ({ member: m }: LinkedMember, owner: string): JsonSchema => {
    const text = facts.member(owner, m.name);
    return describe(ref(m.type), text, m.features);
  };
  /**
   * A closed object of `members` (type `t`'s, or with a branch's added:
   * core/linked.ts `withBranch`, as compile.ts `shape` flattens them); a
   * union's branches as oneOf. `owner` names the type each member is documented in.
   */
  const objectSchema = (
    t: LinkedType,
    owner: ReadonlyMap<LinkedMember, string>,
    members: readonly LinkedMember[],
    decided: ReadonlyMap<string, string>,
    open = false,
  ): JsonSchema => {
    const properties = Object.fromEntries(
      members.map((m) => [
        m.member.name,
        decided.has(m.member.name) ? { const: decided.get(m.member.name) } : member(m, owner.get(m)!),
      ]),
    );
    const required = members.filter(({ member: m }) => !m.optional && m.if === undefined).map((m) => m.member.name);
    const tag = t.wire.meta === "object" ? t.wire.tag : undefined;
    if (tag === undefined)
      return {
        type: "object",
        properties,
        ...(required.length ? { required } : {}),
        ...(open ? {} : { additionalProperties: false }),
      };
    const names = new Set(members.map((m) => m.member.name));
    const branches = t.variants.map((v) => {
      const branch = v.type;
      if (branch?.wire.meta !== "object")
        throw new Error(`${wire.label}: union branch '${v.variant.case}' is not an object type`);
      const all = withBranch(members, branch);
      const owners = new Map([
        ...owner,
        ...all.slice(members.length).map((m): [LinkedMember, string] => [m, branch.name]),
      ]);
      return objectSchema(branch, owners, all, new Map([...decided, [tag, v.variant.case]]), open);
    });
    const tagType = members.find((m) => m.member.name === tag)?.type?.wire;
    const cases = new Set(t.variants.map((v) => v.variant.case));
    const rest = tagType?.meta === "enum" ? tagType.values.map((v) => v.name).filter((v) => !cases.has(v)) : [];
    if (rest.length > 0)
      branches.push({ type: "object", properties: { ...properties, [tag]: { enum: rest } }, required });
    // No branch at all (a release whose union lost them): only the union's own members are known.
    if (branches.length === 0) return { type: "object", properties, ...(required.length ? { required } : {}) };
    // A nested union keeps the enclosing tags' constants beside its own tag, where a discriminator looks.
    const known = [...decided.keys()].filter((name) => names.has(name));
    return {
      type: "object",
      properties: Object.fromEntries([...known, tag].map((name) => [name, properties[name]])),
      required: [...known, tag],
      discriminator: { propertyName: tag },
      oneOf: branches,
    };
  };
  const typeSchema = (linkedType: LinkedType): JsonSchema => {
    const t = linkedType.wire;
    switch (t.meta) {
      case "builtin":
        return builtinSchema(t.name, t.json);
      case "enum":
        return { type: "string", enum: t.values.map((v) => v.name) };
      case "array":
        return { type: "array", items: ref(t.element) };
      case "alternate":
        return { anyOf: t.alternatives.map((a) => ref(a.type)) };
      case "object":
        return objectSchema(
          linkedType,
          new Map(linkedType.members.map((m) => [m, t.name])),
          linkedType.members,
          new Map(),
        );
    }
  };
  for (const t of linked.types.values())
    defs.push([t.name, describe(typeSchema(t), facts.type(t.name), t.wire.features)]);
  for (const c of wire.commands.values()) {
    const docs = facts.command(c.name);
    // 'gen': false (device_add): the declared members are checked, any others allowed, as the engine does.
    const arg = linked.types.get(c.argType);
    const args =
      c.gen === false && arg?.wire.meta === "object"
        ? objectSchema(arg, new Map(arg.members.map((m) => [m, arg.name])), arg.members, new Map(), true)
        : ref(c.argType);
    defs.push([entryKey.arguments(c.name), describe(args, docs, c.features)]);
    // A command QEMU never answers has nothing to return (the engine checks anything sent as `{}`).
    const ret = c.successResponse === false ? { type: "object", additionalProperties: false } : ref(c.retType);
    defs.push([entryKey.return(c.name), describe(ret, facts.returns(c.name), [])]);
  }
  for (const e of wire.events.values())
    defs.push([entryKey.data(e.name), describe(ref(e.argType), facts.event(e.name), e.features)]);
  return {
    $schema: jsonSchemaDialect,
    title: wire.label,
    description: `QAPI schema of ${wire.label}, as JSON Schema 2020-12 (qapi-ts jsonschema)`,
    // Object.fromEntries defines keys, so a type named __proto__ stays a key.
    $defs: Object.fromEntries(defs.map(([key, schema]) => [defKey(key), schema])),
  };
}

/** Every `$defs` key `schema` refers to, directly or through other entries of `doc`. */
export function reachableDefs(doc: JsonSchema, schema: unknown): string[] {
  const defs = doc["$defs"] as Record<string, unknown>;
  const seen = new Set<string>();
  const pending: unknown[] = [schema];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (typeof node === "object" && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        const name = key === "$ref" && typeof value === "string" ? refTarget(value) : undefined;
        if (name !== undefined) {
          if (!seen.has(name) && Object.hasOwn(defs, name)) {
            seen.add(name);
            pending.push(defs[name]);
          }
        } else pending.push(value);
      }
    }
  }
  return [...seen];
}

/**
 * One entry of the document as a schema of its own: the entry, with the
 * `$defs` it reaches. `inline`: the entry's own `$ref` to a named type is
 * replaced by that type's schema, so the root says `type: object` where the
 * type does (what an MCP tool's input schema must say).
 * @throws Error when the document has no such entry
 */
export function standaloneSchema(doc: JsonSchema, key: string, inline = false): JsonSchema {
  const defs = doc["$defs"] as Record<string, JsonSchema>;
  key = defKey(key);
  let entry = Object.hasOwn(defs, key) ? defs[key] : undefined;
  if (!entry) throw new Error(`no JSON Schema entry '${key}'`);
  const target = typeof entry["$ref"] === "string" ? refTarget(entry["$ref"]) : undefined;
  if (inline && target !== undefined && Object.hasOwn(defs, target)) {
    const { $ref: _ref, ...facts } = entry;
    entry = { ...defs[target], ...facts };
  }
  const reached = reachableDefs(doc, entry);
  return {
    $schema: jsonSchemaDialect,
    ...entry,
    ...(reached.length ? { $defs: Object.fromEntries(reached.sort().map((name) => [name, defs[name]])) } : {}),
  };
}
