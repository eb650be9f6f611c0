/**
 * Identifiers for generated declarations, derived from QAPI names.
 *
 * Wire names (members, commands, events, enum values) stay verbatim as quoted
 * keys and string literals; only declarations need identifiers. A NameRegistry
 * holds every top-level name of one generated SDK (its files are re-exported
 * together by index.ts, so they share one namespace): it derives the ideal
 * identifier, escapes reserved words, and resolves clashes (`foo-bar` and
 * `foo_bar` both want `foo_bar`) with a `$N` salt — `$` cannot occur in a QAPI
 * name, so a salted name never collides with a schema name. The emitters in
 * generator/emitters/ ask the registry for every name they declare.
 */

/** JavaScript reserved words and literals that cannot be binding names. */
const reservedWords = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN Infinity"
  ).split(" "),
);

/**
 * Names a generated type may not take: TypeScript's predefined type names and
 * globals the generated code itself refers to (`Promise`, `Record`, …).
 */
const reservedTypeNames = new Set(
  (
    "any unknown never string number boolean symbol object bigint undefined null void this " +
    "Array ReadonlyArray Object Promise Record Partial Readonly Required Pick Omit Exclude Extract Set Map " +
    "ReadonlySet ReadonlyMap String Number Boolean BigInt Symbol Function Error Date RegExp JSON Math globalThis"
  ).split(" "),
);

/**
 * Names a generated VALUE export may not take, because module loading or
 * object handling gives them a meaning: `then` makes the module namespace a
 * thenable (`await import()` calls it), `default` and `__esModule` steer
 * CommonJS/ESM interop and bundlers, and the names of Object.prototype
 * (`constructor`, `toString`, …) shadow what tools expect of any object the
 * namespace is copied into.
 */
const moduleHazards = new Set(["then", "default", "__esModule", ...Object.getOwnPropertyNames(Object.prototype)]);

/** True when exporting a value under `name` would give the module a meaning it must not have. */
export function isModuleHazard(name: string): boolean {
  return moduleHazards.has(name);
}

/** True when `s` is usable as a plain identifier (property name or binding, reserved words aside). */
export function isIdentifierName(s: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s);
}

/**
 * A member key as written in an interface or type literal: plain when it is an
 * identifier, else a quoted string (`"node-name"`). Safe for `__proto__` in
 * type positions.
 */
export function typeKey(wire: string): string {
  return isIdentifierName(wire) ? wire : stringLiteral(wire);
}

/**
 * A key in an object literal VALUE. `__proto__: x` (quoted or not) would set
 * the prototype, so that name becomes a computed key.
 */
export function valueKey(wire: string): string {
  if (wire === "__proto__") return '["__proto__"]';
  return typeKey(wire);
}

export { stringLiteral } from "./escape.js";
import { stringLiteral } from "./escape.js";

/** Splits a QAPI name into words at `-`, `_`, `.` and lower→upper case changes. */
function words(name: string): string[] {
  return name
    .split(/[-_.]+/)
    .flatMap((w) => w.split(/(?<=[a-z0-9])(?=[A-Z])/))
    .filter((w) => w !== "");
}

function capitalize(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** `query-status` → `QueryStatus`, `BLOCK_JOB_COMPLETED` → `BlockJobCompleted`. */
export function pascalCase(name: string): string {
  const ws = words(name);
  const allUpper = name === name.toUpperCase();
  return ws
    .map((w) => capitalize(allUpper || (/^[A-Z0-9]+$/.test(w) && ws.length > 1 && allUpper) ? w.toLowerCase() : w))
    .join("");
}

/** `query-status` → `queryStatus`. */
export function camelCase(name: string): string {
  const p = pascalCase(name);
  return p.charAt(0).toLowerCase() + p.slice(1);
}

/**
 * A QAPI type name as an identifier: kept as it is where possible
 * (`BlockdevOptions`), other characters become `_`, a leading digit gets `_`.
 */
export function typeIdentifier(name: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) return name;
  let id = name.replace(/[^A-Za-z0-9_$]/g, "_");
  if (/^[0-9]/.test(id)) id = "_" + id;
  return id === "" ? "_" : id;
}

/** Every top-level name of one generated SDK, handed out first come, first served. */
export class NameRegistry {
  private readonly taken = new Set<string>();

  /** Reserves names the generator itself declares (`CommandMap`, `sdk`, …) before schema names are added. */
  constructor(preset: Iterable<string> = []) {
    for (const n of preset) this.taken.add(n);
  }

  /**
   * Returns a free identifier as close to `ideal` as possible and reserves it.
   * @param ideal a syntactically valid identifier
   * @param kind "type" also avoids TypeScript's predefined type names
   */
  claim(ideal: string, kind: "type" | "value"): string {
    let base = isIdentifierName(ideal) ? ideal : typeIdentifier(ideal);
    if (
      reservedWords.has(base) ||
      (kind === "type" && reservedTypeNames.has(base)) ||
      (kind === "value" && moduleHazards.has(base))
    )
      base += "$";
    let name = base;
    for (let salt = 2; this.taken.has(name); salt++) name = `${base}$${salt}`;
    this.taken.add(name);
    return name;
  }

  /** True when `name` is already handed out. */
  has(name: string): boolean {
    return this.taken.has(name);
  }
}
