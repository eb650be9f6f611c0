/**
 * Walking a wire schema (core/schema.ts) the way the shell
 * needs to: the members an object offers (a union's base plus the branch its
 * tag selects), the type found at a key path, and short human descriptions of
 * types whose names the server masks ("123"). Used by coerce.ts,
 * check-args.ts, completion.ts and help.ts.
 */
import {
  isMaskedTypeName,
  type WireMember,
  type WireObject,
  type WireSchema,
  type WireType,
} from "../../core/schema.js";
import type { KeyPath } from "./arg-syntax.js";

/** The type of that name, or undefined when the schema lacks it. */
export function typeNamed(schema: WireSchema, name: string | undefined): WireType | undefined {
  return name === undefined ? undefined : schema.types.get(name);
}

/**
 * The object a type stands for when members are typed into it: the type
 * itself, or an alternate's object alternative (e.g. a block node reference
 * that is either an object or a node name).
 */
export function asObject(schema: WireSchema, type: WireType | undefined): WireObject | undefined {
  if (!type) return undefined;
  if (type.meta === "object") return type;
  if (type.meta === "alternate") {
    for (const alt of type.alternatives) {
      const t = schema.types.get(alt.type);
      if (t?.meta === "object") return t;
    }
  }
  return undefined;
}

/** The element type of a list type (or of an alternate's list alternative). */
export function asListElement(schema: WireSchema, type: WireType | undefined): WireType | undefined {
  if (!type) return undefined;
  if (type.meta === "array") return schema.types.get(type.element);
  if (type.meta === "alternate") {
    for (const alt of type.alternatives) {
      const t = schema.types.get(alt.type);
      if (t?.meta === "array") return schema.types.get(t.element);
    }
  }
  return undefined;
}

/** The branch type a union's tag value selects. */
export function branchObject(schema: WireSchema, object: WireObject, tagValue: unknown): WireObject | undefined {
  if (object.tag === undefined || typeof tagValue !== "string") return undefined;
  const variant = object.variants.find((v) => v.case === tagValue);
  const t = variant ? schema.types.get(variant.type) : undefined;
  return t?.meta === "object" ? t : undefined;
}

/**
 * The members that may appear in an object: its own (flattened base), and
 * those of the branch `tagValue` selects. Without a tag value, only the base.
 */
export function objectMembers(schema: WireSchema, object: WireObject, tagValue?: unknown): WireMember[] {
  const branch = branchObject(schema, object, tagValue);
  return branch
    ? [...object.members, ...branch.members.filter((m) => !object.members.some((o) => o.name === m.name))]
    : [...object.members];
}

/** Looks a value's tag up (a raw string as typed, or parsed JSON). */
export type TagReader = (object: WireObject, tag: string) => unknown;

/**
 * The type at `path` below `root`: members by name, list elements by index (or
 * by a member name applied to a list's element, as completion asks). `tagAt`
 * tells the tag value typed so far for the object at a path prefix, to pick a
 * union's branch.
 */
export function typeAtPath(
  schema: WireSchema,
  root: WireType | undefined,
  path: KeyPath,
  tagAt: (prefix: KeyPath, tag: string) => unknown = () => undefined,
): WireType | undefined {
  let type = root;
  for (let k = 0; k < path.length; k++) {
    const seg = path[k]!;
    if (typeof seg === "number") {
      type = asListElement(schema, type);
      continue;
    }
    const object = asObject(schema, type);
    if (!object) return undefined;
    const tagValue = object.tag === undefined ? undefined : tagAt(path.slice(0, k), object.tag);
    const member = objectMembers(schema, object, tagValue).find((m) => m.name === seg);
    if (!member) return undefined;
    type = schema.types.get(member.type);
  }
  return type;
}

/** Enum values a value of this type may take (an enum, or an alternate's enum alternative; `bool` gives true/false). */
export function valueChoices(schema: WireSchema, type: WireType | undefined): string[] {
  if (!type) return [];
  if (type.meta === "enum") return type.values.map((v) => v.name);
  if (type.meta === "builtin" && type.json === "boolean") return ["true", "false"];
  if (type.meta === "alternate")
    return type.alternatives.flatMap((a) => valueChoices(schema, schema.types.get(a.type)));
  return [];
}

/** True when values of the type are typed as members (`key.sub=`) rather than a value. */
export function takesMembers(type: WireType | undefined): boolean {
  return type?.meta === "object";
}

/**
 * A short description of a type: its name when the schema has real names,
 * else its shape (`str`, `enum(a|b|c)`, `[int]`, `object`, `str | object`).
 */
export function describeType(schema: WireSchema, name: string, depth = 0): string {
  const type = schema.types.get(name);
  if (!type) return name;
  if (type.meta === "builtin") return type.name;
  if (!isMaskedTypeName(type.name))
    return type.meta === "array" ? `[${describeType(schema, type.element, depth + 1)}]` : type.name;
  switch (type.meta) {
    case "enum": {
      const values = type.values.map((v) => v.name);
      return `enum(${values.length > 8 ? [...values.slice(0, 8), `… ${values.length - 8} more`].join("|") : values.join("|")})`;
    }
    case "array":
      return `[${describeType(schema, type.element, depth + 1)}]`;
    case "alternate":
      return depth > 2
        ? "alternate"
        : type.alternatives.map((a) => describeType(schema, a.type, depth + 1)).join(" | ");
    case "object":
      return type.tag ? `object (union by '${type.tag}')` : "object";
  }
}
