/**
 * A small strict checker of JSON values against a wire schema type, for the
 * tests of core/cut-to-release.ts only: the real, data-driven
 * validator engine over WireSchema is built elsewhere (branch `validators`);
 * this one exists so the cut can be tested against real replies now.
 * Strict: unknown members, missing required members, wrong JSON types and
 * unknown enum values are all errors.
 */
import type { WireSchema } from "../../core/schema.js";

/** Errors of `value` against type `typeName`, as "path: message". */
export function checkWireValue(wire: WireSchema, typeName: string, value: unknown, path = "$"): string[] {
  const t = wire.types.get(typeName);
  if (!t) return [`${path}: type ${typeName} is not in the schema`];
  switch (t.meta) {
    case "builtin": {
      const ok =
        t.json === "value" ||
        (t.json === "int" && (typeof value === "bigint" || Number.isInteger(value))) ||
        (t.json === "number" && (typeof value === "number" || typeof value === "bigint")) ||
        (t.json === "string" && typeof value === "string") ||
        (t.json === "boolean" && typeof value === "boolean") ||
        (t.json === "null" && value === null);
      return ok ? [] : [`${path}: expected ${t.json}`];
    }
    case "enum":
      return typeof value === "string" && t.values.some((v) => v.name === value)
        ? []
        : [`${path}: ${JSON.stringify(value)} is not a value of ${typeName}`];
    case "array":
      return Array.isArray(value)
        ? value.flatMap((v, i) => checkWireValue(wire, t.element, v, `${path}[${i}]`))
        : [`${path}: expected an array`];
    case "alternate": {
      const tries = t.alternatives.map((a) => checkWireValue(wire, a.type, value, path));
      return tries.some((e) => e.length === 0) ? [] : [`${path}: matches no alternative of ${typeName}`];
    }
    case "object": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return [`${path}: expected an object`];
      const v = value as Record<string, unknown>;
      let members = [...t.members];
      if (t.tag !== undefined) {
        const variant = t.variants.find((x) => x.case === v[t.tag!]);
        const branch = variant ? wire.types.get(variant.type) : undefined;
        if (branch?.meta === "object")
          members = [...members, ...branch.members.filter((m) => !members.some((x) => x.name === m.name))];
      }
      const errors: string[] = [];
      for (const m of members) {
        if (!(m.name in v)) {
          if (!m.optional) errors.push(`${path}.${m.name}: missing required member`);
        } else errors.push(...checkWireValue(wire, m.type, v[m.name], `${path}.${m.name}`));
      }
      for (const key of Object.keys(v))
        if (!members.some((m) => m.name === key)) errors.push(`${path}.${key}: unknown member`);
      return errors;
    }
  }
}
