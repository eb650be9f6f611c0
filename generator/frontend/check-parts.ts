/**
 * Stage 2 building blocks: checking and normalising the parts that many
 * expression kinds share (keys, `if` conditions, features, type references,
 * member dictionaries, command flags).
 *
 * generator/frontend/check-exprs.ts calls these per expression kind and
 * collects their normalised results into CheckedExpr records for the model
 * builder (generator/model/schema-builder.ts).
 */
import type { IfCond } from "./if-cond.js";
import { type CommandFlagDefinition, commandFlags, commandFlagsInQemuOrder } from "../../core/command-flags.js";
import { checkNameIsStr, checkNameLower, cNameUnprotected } from "./check-names.js";
import { CppConditionError, parseCppCondition } from "./cpp-condition.js";
import { QapiSemanticError } from "./errors.js";
import type { SourceInfo } from "./source-info.js";

/** A parsed JSON-ish object: the parser keeps key order and treats `__proto__` as data. */
export type QMap = Map<string, unknown>;

/** A type reference after stage 2: a type name, or `[name]` for an array of it. */
export type TypeRef = string | readonly [string];

/** A feature after normalisation (`'f'` becomes `{name: 'f'}`). */
export interface CheckedFeature {
  readonly name: string;
  readonly ifcond: IfCond | undefined;
}

/** An object member after normalisation (`'*x': 'T'` becomes optional `x` of type `T`). */
export interface CheckedMember {
  readonly name: string;
  readonly optional: boolean;
  readonly type: TypeRef;
  readonly ifcond: IfCond | undefined;
  readonly features: readonly CheckedFeature[];
}

/** A union branch or alternate alternative after normalisation. */
export interface CheckedBranch {
  readonly name: string;
  readonly type: TypeRef;
  readonly ifcond: IfCond | undefined;
}

/** True for a parsed object. */
export function isMap(value: unknown): value is QMap {
  return value instanceof Map;
}

/** Python's truthiness, which QEMU applies to flag values before checking them. */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return value.size > 0;
  return true;
}

function quotedSorted(keys: Iterable<string>): string {
  return [...keys]
    .sort()
    .map((k) => `'${k}'`)
    .join(", ");
}

/**
 * Ensures `value` has all `required` keys and no keys beyond `required` and `optional`.
 * @throws QapiSemanticError naming the missing keys, or the unknown keys and the valid ones
 */
export function checkKeys(
  value: QMap,
  info: SourceInfo,
  source: string,
  required: readonly string[],
  optional: readonly string[],
): void {
  // The common case (all fine) allocates nothing; messages are built only on error.
  let unknownCount = 0;
  for (const key of value.keys()) if (!required.includes(key) && !optional.includes(key)) unknownCount++;
  let missingCount = 0;
  for (const key of required) if (!value.has(key)) missingCount++;
  if (missingCount > 0) {
    const missing = required.filter((k) => !value.has(k));
    throw new QapiSemanticError(
      info,
      `${source} lacks required key${missing.length > 1 ? "s" : ""} ${quotedSorted(missing)}`,
    );
  }
  if (unknownCount > 0) {
    const unknown = [...value.keys()].filter((k) => !required.includes(k) && !optional.includes(k));
    const allowed = new Set([...required, ...optional]);
    throw new QapiSemanticError(
      info,
      `${source}: key${unknown.length > 1 ? "s" : ""} ${quotedSorted(unknown)} not allowed here\nAllowed keys: ${quotedSorted(allowed)}.`,
    );
  }
}

/**
 * Checks the `if` member of `holder` (a definition, member, branch or feature)
 * and returns the condition tree, or undefined when there is none.
 * @throws QapiSemanticError for a malformed condition
 */
export function checkIf(holder: QMap, info: SourceInfo, source: string): IfCond | undefined {
  const cond = holder.get("if");
  if (cond === undefined || cond === null) return undefined;
  return checkCondition(cond, info, source);
}

/**
 * Deeper conditions are rejected: nobody writes them, and every later walk of
 * the tree (dump, code generators) recurses.
 */
const maxConditionDepth = 200;

function checkCondition(cond: unknown, info: SourceInfo, source: string, depth = 0): IfCond {
  if (depth > maxConditionDepth) {
    throw new QapiSemanticError(info, `'if' condition in ${source} nests deeper than ${maxConditionDepth} levels`);
  }
  if (info.pragma.rules.cppConditions && depth === 0) {
    const older = olderCondition(cond, info, source);
    if (older !== undefined) return older;
  }
  if (typeof cond === "string") {
    if (!/^[A-Z][A-Z0-9_]*$/.test(cond)) {
      throw new QapiSemanticError(info, `${source} has 'if' condition '${cond}', which is not a valid identifier`);
    }
    return cond;
  }
  if (!isMap(cond)) throw new QapiSemanticError(info, `${source}: an 'if' condition has to be a string or an object`);
  checkKeys(cond, info, `'if' condition in ${source}`, [], ["all", "any", "not"]);
  if (cond.size !== 1) throw new QapiSemanticError(info, `'if' condition in ${source} needs exactly one operator key`);
  if (cond.has("not")) return { not: checkCondition(cond.get("not"), info, source, depth + 1) };
  const operator = cond.has("all") ? "all" : "any";
  const operands = cond.get(operator);
  if (!Array.isArray(operands)) {
    throw new QapiSemanticError(info, `'${operator}' condition in ${source} takes an array`);
  }
  if (operands.length === 0)
    throw new QapiSemanticError(info, `'if' condition in ${source} has an empty operand list, which means nothing`);
  const checked = operands.map((operand: unknown) => checkCondition(operand, info, source, depth + 1));
  return operator === "all" ? { all: checked } : { any: checked };
}

/**
 * The condition forms of QEMU before 6.2: a C preprocessor expression in a
 * string, or a list of them that must all hold. Returns undefined for
 * anything else (a symbol, or the modern object form), which the caller checks.
 * @throws QapiSemanticError for an older form that does not read
 */
function olderCondition(cond: unknown, info: SourceInfo, source: string): IfCond | undefined {
  const readCpp = (text: string): IfCond => {
    try {
      return parseCppCondition(text);
    } catch (error) {
      if (!(error instanceof CppConditionError)) throw error;
      throw new QapiSemanticError(info, `${source} has 'if' condition '${text}', which ${error.message}`);
    }
  };
  // Those releases kept C conditions as text and refused only blank ones, before anything else.
  for (const text of typeof cond === "string" ? [cond] : Array.isArray(cond) ? cond : []) {
    if (typeof text === "string" && text.trim() === "") {
      throw new QapiSemanticError(info, `${source} has 'if' condition '${text}', which says nothing`);
    }
  }
  if (typeof cond === "string") return /^[A-Z][A-Z0-9_]*$/.test(cond) ? undefined : readCpp(cond);
  if (!Array.isArray(cond)) return undefined;
  if (cond.length === 0) throw new QapiSemanticError(info, `'if' condition [] of ${source} is useless`);
  const operands = cond.map((operand: unknown) => {
    if (typeof operand !== "string")
      throw new QapiSemanticError(info, `${source}: an 'if' condition list holds only strings`);
    return readCpp(operand);
  });
  return operands.length === 1 ? operands[0]! : { all: operands };
}

/**
 * Checks and normalises a `features` list (strings become `{name}`).
 * @throws QapiSemanticError for a malformed list or feature
 */
export function checkFeatures(features: unknown, info: SourceInfo): CheckedFeature[] {
  if (features === undefined || features === null) return [];
  if (!Array.isArray(features)) throw new QapiSemanticError(info, "'features' takes an array");
  return features.map((f: unknown) => {
    const feature: QMap = isMap(f) ? f : new Map([["name", f]]);
    let source = "'features' member";
    checkKeys(feature, info, source, ["name"], ["if"]);
    const name = feature.get("name");
    checkNameIsStr(name, info, source);
    source = `${source} '${name}'`;
    checkNameLower(name, info, source);
    return { name, ifcond: checkIf(feature, info, source) };
  });
}

/** Turns the shorthand `KEY: TYPE` into `KEY: {type: TYPE}`, as QEMU does before checking. */
export function normalizeMemberValue(value: unknown): QMap {
  return isMap(value) ? value : new Map([["type", value]]);
}

/**
 * Checks a reference that must be a plain type name (or absent).
 * @throws QapiSemanticError for anything else
 */
export function checkTypeName(value: unknown, info: SourceInfo, source: string): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  throw new QapiSemanticError(info, `${source} must be a type name`);
}

/**
 * Checks a reference that may be a type name or `[name]` (or absent).
 * @throws QapiSemanticError for anything else, or an array not holding exactly one name
 */
export function checkTypeNameOrArray(value: unknown, info: SourceInfo, source: string): TypeRef | undefined {
  if (value === undefined || typeof value === "string") return value;
  if (!Array.isArray(value)) throw new QapiSemanticError(info, `${source} must be a type name or an array`);
  if (value.length !== 1 || typeof value[0] !== "string") {
    throw new QapiSemanticError(info, `${source}: an array type names exactly one element type`);
  }
  return [value[0]] as const;
}

/**
 * Checks an inline member dictionary and returns its members normalised.
 * `parentName` is the owning definition: if it is in pragma
 * `member-name-exceptions`, member names may break the case rules.
 * @throws QapiSemanticError for a non-object or a bad member
 */
export function checkTypeImplicit(
  value: unknown,
  info: SourceInfo,
  source: string,
  parentName: string | null,
): CheckedMember[] {
  if (!isMap(value)) throw new QapiSemanticError(info, `${source} must be an object or a type name`);
  const permissive = parentName !== null && info.pragma.memberNameExceptions.includes(parentName);
  const members: CheckedMember[] = [];
  for (const [rawKey, rawArg] of value) {
    const keySource = `${source} member '${rawKey}'`;
    const optional = rawKey.startsWith("*");
    const key = optional ? rawKey.slice(1) : rawKey;
    checkNameLower(key, info, keySource, permissive, permissive);
    const cName = cNameUnprotected(key);
    if (cName === "u" || cName.startsWith("has_")) {
      throw new QapiSemanticError(info, `${keySource} has a reserved name`);
    }
    const arg = normalizeMemberValue(rawArg);
    checkKeys(arg, info, keySource, ["type"], ["if", "features"]);
    const ifcond = checkIf(arg, info, keySource);
    const features = checkFeatures(arg.get("features"), info);
    const type = checkTypeNameOrArray(arg.get("type"), info, keySource)!;
    members.push({ name: key, optional, type, ifcond, features });
  }
  return members;
}

/**
 * Checks a reference that may be a type name or an inline member dictionary (or absent).
 * @throws QapiSemanticError as checkTypeImplicit does
 */
export function checkTypeNameOrImplicit(
  value: unknown,
  info: SourceInfo,
  source: string,
  parentName: string | null,
): string | CheckedMember[] | undefined {
  if (value === undefined || typeof value === "string") return value;
  return checkTypeImplicit(value, info, source, parentName);
}

/**
 * Checks a command's or event's flags (core/command-flags.ts), in
 * QEMU's order: each may only be written with its non-default value (`gen`
 * and `success-response` only false, the others only true), and some exclude
 * others (`allow-oob` and `coroutine`). checkKeys has already refused the
 * keys an event may not have.
 * @throws QapiSemanticError for a bad flag value or combination
 */
export function checkFlags(expr: QMap, info: SourceInfo): void {
  for (const name of commandFlagsInQemuOrder) {
    const { key, default: unset } = commandFlags[name];
    if (expr.has(key) && expr.get(key) !== !unset) {
      throw new QapiSemanticError(info, `flag '${key}' can only be ${!unset}`);
    }
  }
  for (const name of commandFlagsInQemuOrder) {
    const flag: CommandFlagDefinition = commandFlags[name];
    if (flag.excludes !== undefined && expr.has(flag.key) && expr.has(flag.excludes)) {
      throw new QapiSemanticError(info, `flags '${flag.key}' and '${flag.excludes}' cannot be combined`);
    }
  }
}
