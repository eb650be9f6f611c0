/**
 * What the shell adds to the schema core's walks (core/walk.ts: branch
 * members, the type at a path): where typed members and list elements go,
 * the values Tab offers, and short human descriptions of types whose names
 * the server masks ("123"). Used by coerce.ts, completion.ts and help.ts.
 */
import { isMaskedTypeName, type WireObject, type WireSchema, type WireType } from "../../core/schema.js";
import { lookThrough } from "../../core/walk.js";

/**
 * The object a type stands for when members are typed into it: the type
 * itself, or an alternate's object alternative (e.g. a block node reference
 * that is either an object or a node name).
 */
export function asObject(schema: WireSchema, type: WireType | undefined): WireObject | undefined {
  const t = lookThrough(schema, type, undefined, "object");
  return t?.meta === "object" ? t : undefined;
}

/** The element type of a list type (or of an alternate's list alternative). */
export function asListElement(schema: WireSchema, type: WireType | undefined): WireType | undefined {
  const t = lookThrough(schema, type, undefined, "array");
  return t?.meta === "array" ? schema.types.get(t.element) : undefined;
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
