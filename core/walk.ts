/**
 * The walks every feature makes over a wire schema (schema.ts), written once:
 * the types a type refers to, the types reachable from the commands and
 * events, the members of a union branch, and the type found at a JSON path of
 * a value. The capability probes, the validator engine's callers, the shell,
 * diff, cut-to-release and the introspection tools (restrict, widen) use
 * these instead of walking names themselves.
 */
import type { WireMember, WireObject, WireSchema, WireType } from "./schema.js";
import { linkSchema, type LinkedType } from "./linked.js";

/** The names of the types a type refers to directly, in schema order. */
export function referencedTypes(type: WireType): string[] {
  switch (type.meta) {
    case "array":
      return [type.element];
    case "object":
      return [...type.members.map((m) => m.type), ...type.variants.map((v) => v.type)];
    case "alternate":
      return type.alternatives.map((a) => a.type);
    default:
      return [];
  }
}

/** The type names the schema's messages start from: each command's arguments and return, then each event's data. */
export function rootTypes(schema: WireSchema): string[] {
  const roots: string[] = [];
  for (const c of schema.commands.values()) roots.push(c.argType, c.retType);
  for (const e of schema.events.values()) roots.push(e.argType);
  return roots;
}

/**
 * The types reachable from `roots` (default: the commands and events), each
 * with the type `resolve` gives for its name (default: the schema's own), in
 * the order first met, depth first. A name `resolve` does not know is left
 * out. `resolve` lets a walk follow a changed type (restrict.ts follows each
 * type as it is cut, so what the cut drops is not reached).
 */
export function reachableTypes(
  schema: WireSchema,
  roots: Iterable<string> = rootTypes(schema),
  resolve: (name: string) => WireType | undefined = (name) => schema.types.get(name),
): Map<string, WireType> {
  const seen = new Map<string, WireType>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    const type = resolve(name);
    if (!type) return;
    seen.set(name, type);
    for (const next of referencedTypes(type)) visit(next);
  };
  for (const name of roots) visit(name);
  return seen;
}

/** The branch type a union's tag value selects, when the value names one. */
export function branchObject(schema: WireSchema, object: WireObject, tagValue: unknown): WireObject | undefined {
  if (object.tag === undefined || typeof tagValue !== "string") return undefined;
  const variant = object.variants.find((v) => v.case === tagValue);
  const t = variant ? schema.types.get(variant.type) : undefined;
  return t?.meta === "object" ? t : undefined;
}

/**
 * The members an object value may have: the object's own (a union's base,
 * flattened), and those of the branch `tagValue` selects (without a tag value,
 * the base only).
 */
export function branchMembers(schema: WireSchema, object: WireObject, tagValue?: unknown): WireMember[] {
  const branch = branchObject(schema, object, tagValue);
  if (!branch) return [...object.members];
  const own = new Set(object.members.map((m) => m.name));
  return [...object.members, ...branch.members.filter((m) => !own.has(m.name))];
}

/** A JSON path as segments: member names and array indexes. */
export type JsonPath = readonly (string | number)[];

/** How `typeAtPath` picks among a union's branches and an alternate's alternatives. */
export interface PathOptions {
  /** The value the path runs through: its tags pick union branches, its JSON types alternatives. */
  readonly value?: unknown;
  /** Without a value: the tag value of the union at a path prefix (the shell reads what was typed so far). */
  readonly tagAt?: (prefix: JsonPath, tag: string) => unknown;
  /** Without a tag value, a member of any branch counts (probes by path), not the base's only. */
  readonly anyBranch?: boolean;
}

/**
 * The type at `path` below type `typeName`: members by name (a union's base
 * and the branch its tag picks), array elements by index; a member name on an
 * array applies to its elements. Alternates are looked through: by the
 * value's JSON type when a value is given, else to the alternative that fits
 * the next step (an object for a name, an array for an index). Undefined when
 * the path leaves the schema.
 */
export function typeAtPath(
  schema: WireSchema,
  typeName: string,
  path: JsonPath,
  options: PathOptions = {},
): WireType | undefined {
  const linked = linkSchema(schema);
  let type = linked.types.get(typeName);
  let here = options.value;
  for (let k = 0; k < path.length; k++) {
    const seg = path[k]!;
    const wanted = typeof seg === "number" ? "array" : "object";
    type = alternativeFor(schema, type, here, wanted);
    if (typeof seg === "string") {
      while (type?.element) type = alternativeFor(schema, type.element.type, undefined, wanted);
      const object = type?.wire;
      if (object?.meta !== "object") return undefined;
      const tag =
        object.tag === undefined
          ? undefined
          : here !== undefined
            ? isRecord(here)
              ? here[object.tag]
              : undefined
            : options.tagAt?.(path.slice(0, k), object.tag);
      const branch = typeof tag === "string" ? type!.variants.find((v) => v.variant.case === tag) : undefined;
      const inBranches = branch !== undefined ? [branch] : options.anyBranch && tag === undefined ? type!.variants : [];
      const member =
        type!.members.find((m) => m.member.name === seg) ??
        inBranches.flatMap((v) => v.type?.members ?? []).find((m) => m.member.name === seg);
      type = member?.type;
    } else {
      if (!type?.element) return undefined;
      type = type.element.type;
    }
    here = isRecord(here) || Array.isArray(here) ? (here as Record<string | number, unknown>)[seg] : undefined;
  }
  return type?.wire;
}

/** The JSON category a value selects an alternative by; without a value, the wanted kind. */
function valueCategory(value: unknown, wanted: "object" | "array"): string {
  if (value === undefined) return wanted;
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "bigint" ? "number" : typeof value;
}

/** `lookThrough` on the linked form. */
function alternativeFor(
  schema: WireSchema,
  type: LinkedType | undefined,
  value: unknown,
  wanted: "object" | "array",
): LinkedType | undefined {
  if (type?.wire.meta !== "alternate") return type;
  const json = valueCategory(value, wanted);
  return type.alternatives.find((x) => category(schema, x.name) === json)?.type;
}

/**
 * An alternate's alternative for a value (by its JSON type) or, without a
 * value, the one of the wanted kind; any other type as it is.
 */
export function lookThrough(
  schema: WireSchema,
  type: WireType | undefined,
  value: unknown,
  wanted: "object" | "array",
): WireType | undefined {
  if (type?.meta !== "alternate") return type;
  return alternativeFor(schema, linkSchema(schema).types.get(type.name), value, wanted)?.wire;
}

/** The JSON shape of a type as the type-change rules see it ("number", "enum", "alternate:string|object", …). */
export function shape(schema: WireSchema, name: string): string {
  const type = schema.types.get(name);
  if (!type) return "unknown";
  switch (type.meta) {
    case "builtin":
      return type.json === "int" ? "number" : type.json;
    case "enum":
      return "enum";
    case "array":
      return "array";
    case "object":
      return "object";
    case "alternate":
      return "alternate:" + type.alternatives.map((a) => shape(schema, a.type)).join("|");
  }
}

/** The JSON category of a type's values (enums are strings): how alternatives are told apart and paired. */
export function category(schema: WireSchema, name: string): string {
  const s = shape(schema, name);
  return s === "enum" ? "string" : s;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
