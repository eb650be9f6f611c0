/**
 * The walks a feature asks for by name, over a wire schema (schema.ts): the
 * types reachable from the commands and events, the members of a union
 * branch, the type found at a JSON path of a value, a type's JSON shape and
 * category. Each reads the linked form (linked.ts), where these facts are
 * computed once; callers that already hold linked objects use those directly.
 * The capability probes, the shell, diff, cut-to-release and the JSON Schema
 * writer call these instead of walking names themselves.
 */
import type { WireMember, WireObject, WireSchema, WireType } from "./schema.js";
import { linkSchema, type JsonShape, type LinkedType, type LinkedVariant } from "./linked.js";

/**
 * The types reachable from the types named in `roots` (default: each
 * command's arguments and return, then each event's data), by name, in the
 * order first met, depth first. A name the schema lacks is left out.
 */
export function reachableTypes(schema: WireSchema, roots?: Iterable<string>): Map<string, WireType> {
  const linked = linkSchema(schema);
  const from = roots === undefined ? undefined : [...roots].map((name) => linked.ref(name));
  return new Map(linked.reachable(from).map((t) => [t.name, t.wire]));
}

/** The branch a union's tag value selects, when the value names one. */
function branchOf(schema: WireSchema, object: WireObject, tagValue: unknown): LinkedVariant | undefined {
  if (object.tag === undefined || typeof tagValue !== "string") return undefined;
  return linkSchema(schema)
    .types.get(object.name)
    ?.variants.find((v) => v.variant.case === tagValue);
}

/** The branch type a union's tag value selects, when the value names one. */
export function branchObject(schema: WireSchema, object: WireObject, tagValue: unknown): WireObject | undefined {
  const t = branchOf(schema, object, tagValue)?.type?.wire;
  return t?.meta === "object" ? t : undefined;
}

/**
 * The members an object value may have: the object's own (a union's base,
 * flattened), and those of the branch `tagValue` selects (without a tag value,
 * the base only).
 */
export function branchMembers(schema: WireSchema, object: WireObject, tagValue?: unknown): WireMember[] {
  const branch = branchOf(schema, object, tagValue);
  if (!branch?.type || branch.type.wire.meta !== "object") return [...object.members];
  return branch.members.map((m) => m.member);
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
    type = alternativeFor(type, here, wanted);
    if (typeof seg === "string") {
      while (type?.element) type = alternativeFor(type.element.type, undefined, wanted);
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
  type: LinkedType | undefined,
  value: unknown,
  wanted: "object" | "array",
): LinkedType | undefined {
  if (type?.wire.meta !== "alternate") return type;
  const json = valueCategory(value, wanted);
  return type.alternatives.find((x) => x.type?.category === json)?.type;
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
  return alternativeFor(linkSchema(schema).types.get(type.name), value, wanted)?.wire;
}

/** The JSON shape of a type as the type-change rules see it ("number", "enum", "alternate:string|object", …). */
export function shape(schema: WireSchema, name: string): JsonShape {
  return linkSchema(schema).types.get(name)?.shape ?? "unknown";
}

/** The JSON category of a type's values (enums are strings): how alternatives are told apart and paired. */
export function category(schema: WireSchema, name: string): string {
  return linkSchema(schema).types.get(name)?.category ?? "unknown";
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
