/**
 * Gives typed-in values their JSON types, by the schema: `size=1048576` is a
 * number where the member is an integer, `node-name=123` stays a string where
 * it is a string, `read-only=on` is `true` where it is a bool, and `[…]`/`{…}`
 * is read as JSON where a list or object is expected. Where the schema says
 * nothing (an unknown member, `any`), a value that reads as JSON is JSON, else
 * a string, as in qmp-shell. The result goes to the validator engine (run-line.ts), which reports
 * anything still wrong; nothing is refused here.
 *
 * Data flow: arg-syntax.ts ArgTree → `coerceArguments` → JSON value → the validator engine → the wire.
 */
import { parseJson } from "../../runtime/json.js";
import type { WireSchema, WireType } from "../../core/schema.js";
import { ParsedJson, RawValue, type ArgObject, type ArgTree } from "./arg-syntax.js";
import { branchMembers } from "../../core/walk.js";
import { linkSchema } from "../../core/linked.js";
import { asListElement, asObject } from "./schema-walk.js";

const booleanWords: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  on: true,
  off: false,
  yes: true,
  no: false,
};

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parseJson(text) };
  } catch {
    return { ok: false };
  }
}

/** The JSON categories a type accepts (core/linked.ts; for an alternate, its alternatives'). */
function jsonKinds(schema: WireSchema, type: WireType | undefined): Set<string> {
  const linked = type && linkSchema(schema).types.get(type.name);
  if (!linked) return new Set();
  if (linked.wire.meta !== "alternate") return new Set([linked.category]);
  return new Set(linked.alternatives.flatMap((a) => (a.type ? [a.type.category] : [])));
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "bigint") return "number";
  return typeof value;
}

function coerceRaw(schema: WireSchema, type: WireType | undefined, text: string): unknown {
  const kinds = jsonKinds(schema, type);
  if (kinds.size === 0 || kinds.has("value")) {
    const json = tryJson(text);
    return json.ok ? json.value : text;
  }
  if (kinds.has("boolean") && Object.hasOwn(booleanWords, text)) return booleanWords[text];
  const json = tryJson(text);
  if (json.ok && kinds.has(kindOf(json.value)) && !(kindOf(json.value) === "string" && !text.startsWith('"')))
    return json.value;
  if (kinds.has("string")) return text;
  if (kinds.has("null") && text === "null") return null;
  // Not what the schema wants: keep it as typed, so the check names it.
  return json.ok ? json.value : text;
}

/**
 * Turns an argument tree into JSON, guided by the type at each place.
 * @param type the command's argument type (undefined: no schema knowledge)
 */
export function coerceArguments(schema: WireSchema, type: WireType | undefined, tree: ArgTree): unknown {
  if (tree instanceof ParsedJson) return tree.value;
  if (tree instanceof RawValue) return coerceRaw(schema, type, tree.text);
  if (Array.isArray(tree)) {
    const element = asListElement(schema, type);
    return tree.map((t) => coerceArguments(schema, element, t));
  }
  return coerceObject(schema, type, tree);
}

function coerceObject(schema: WireSchema, type: WireType | undefined, tree: ArgObject): Record<string, unknown> {
  const object = asObject(schema, type);
  let tagValue: unknown;
  if (object?.tag !== undefined) {
    const raw = tree.get(object.tag);
    tagValue = raw instanceof RawValue ? raw.text : raw instanceof ParsedJson ? raw.value : undefined;
  }
  const members = object ? branchMembers(schema, object, tagValue) : [];
  const out: Record<string, unknown> = {};
  for (const [key, child] of tree) {
    const member = members.find((m) => m.name === key);
    out[key] = coerceArguments(schema, member ? schema.types.get(member.type) : undefined, child);
  }
  return out;
}
