/**
 * Checks command arguments against the wire schema of the server the shell
 * is talking to (its own `query-qmp-schema`, or the SDK's schema), so a
 * mistake is refused before anything is sent, with the JSON path of what is
 * wrong: `$.arguments.driver: unknown value "nul-co"`. The rules are what QEMU
 * itself enforces on input: JSON types, integer-ness, enum values, required
 * and unknown members (strictly, as QEMU's input visitor does), union
 * branches by tag, alternates by JSON type.
 *
 * Data flow: coerce.ts JSON value → `checkArguments` → issues → the shell
 * prints them and sends nothing (repl.ts / run-line.ts).
 */
import type { ValidationIssue } from "../../runtime/sdk.js";
import type { WireSchema, WireType } from "../../core/schema.js";
import { objectMembers } from "./schema-walk.js";

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `$.a["node-name"][0]` style paths, as the SDK validators write them. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return identifier.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function show(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return String(value);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The problems of `value` as a value of type `typeName`, appended to `issues`. */
export function checkValue(
  schema: WireSchema,
  typeName: string,
  value: unknown,
  path: string,
  issues: ValidationIssue[],
  depth = 0,
): void {
  const type = schema.types.get(typeName);
  if (!type || depth > 64) return; // a type the schema does not describe: nothing to hold it to
  checkTyped(schema, type, value, path, issues, depth);
}

function checkTyped(
  schema: WireSchema,
  type: WireType,
  value: unknown,
  path: string,
  issues: ValidationIssue[],
  depth: number,
): void {
  const bad = (expected: string) => issues.push({ path, message: `expected ${expected}, got ${show(value)}` });
  switch (type.meta) {
    case "builtin":
      switch (type.json) {
        case "string":
          if (typeof value !== "string") bad("a string");
          return;
        case "int":
          if (!(typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value)))) bad("an integer");
          return;
        case "number":
          if (typeof value !== "number" && typeof value !== "bigint") bad("a number");
          return;
        case "boolean":
          if (typeof value !== "boolean") bad("true or false");
          return;
        case "null":
          if (value !== null) bad("null");
          return;
        default:
          return; // "value": anything
      }
    case "enum":
      if (typeof value !== "string") bad("a string");
      else if (!type.values.some((v) => v.name === value)) {
        const names = type.values.map((v) => v.name);
        issues.push({
          path,
          message: `unknown value ${show(value)}; expected one of ${names.length > 12 ? names.slice(0, 12).join(", ") + ", …" : names.join(", ")}`,
        });
      }
      return;
    case "array":
      if (!Array.isArray(value)) {
        bad("a list");
        return;
      }
      value.forEach((element, i) => checkValue(schema, type.element, element, childPath(path, i), issues, depth + 1));
      return;
    case "alternate": {
      const tries = type.alternatives.map((a) => {
        const found: ValidationIssue[] = [];
        checkValue(schema, a.type, value, path, found, depth + 1);
        return found;
      });
      if (tries.some((t) => t.length === 0)) return;
      // Report against the alternative of the value's JSON shape when there is one.
      const shaped = type.alternatives.findIndex((a) => {
        const t = schema.types.get(a.type);
        return (t?.meta === "object" && isPlainObject(value)) || (t?.meta === "array" && Array.isArray(value));
      });
      if (shaped >= 0) issues.push(...tries[shaped]!);
      else issues.push({ path, message: `expected one of the alternatives, got ${show(value)}` });
      return;
    }
    case "object": {
      if (!isPlainObject(value)) {
        bad("an object");
        return;
      }
      const tagValue = type.tag !== undefined ? value[type.tag] : undefined;
      const members = objectMembers(schema, type, tagValue);
      for (const m of members) {
        if (!Object.hasOwn(value, m.name)) {
          if (!m.optional) issues.push({ path: childPath(path, m.name), message: "missing required member" });
        } else checkValue(schema, m.type, value[m.name], childPath(path, m.name), issues, depth + 1);
      }
      for (const key of Object.keys(value)) {
        if (!members.some((m) => m.name === key))
          issues.push({ path: childPath(path, key), message: `unknown member '${key}'` });
      }
      return;
    }
  }
}

/**
 * The problems of a command's arguments. `args` undefined means none given.
 * @returns undefined when the schema does not know the command
 */
export function checkArguments(schema: WireSchema, command: string, args: unknown): ValidationIssue[] | undefined {
  const c = schema.commands.get(command);
  if (!c) return undefined;
  const issues: ValidationIssue[] = [];
  checkValue(schema, c.argType, args ?? {}, "$.arguments", issues);
  return issues;
}
