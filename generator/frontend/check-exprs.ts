/**
 * Stage 2 of the front end: context-free checks and normalisation of every
 * parsed expression.
 *
 * Input: the parser's expressions (generator/frontend/parser.ts), each an
 * ordered map with its SourceInfo and doc comment. Output: one CheckedExpr per
 * expression, with sugar removed ('*name' optional members, type shorthands,
 * plain-string features and enum values), in source order, for the model
 * builder (generator/model/schema-builder.ts). Checks needing other
 * definitions (name resolution, clashes) belong to the model, not here.
 * Reading older releases, a union without 'base' and 'discriminator' is a
 * simple union (meta "simple-union"), which the model expands.
 */
import type { IfCond } from "./if-cond.js";
import { type CommandFlags, commandFlagNames, commandFlags, flagsFromKeys } from "../../core/command-flags.js";
import { checkDefnNameStr, checkNameIsStr, checkNameLower } from "./check-names.js";
import {
  type CheckedBranch,
  type CheckedFeature,
  type CheckedMember,
  checkFeatures,
  checkFlags,
  checkIf,
  checkKeys,
  checkTypeImplicit,
  checkTypeName,
  checkTypeNameOrArray,
  checkTypeNameOrImplicit,
  isMap,
  normalizeMemberValue,
  type QMap,
  type TypeRef,
  truthy,
} from "./check-parts.js";
import type { QapiDoc } from "./doc.js";
import { QapiSemanticError } from "./errors.js";
import type { SourceInfo } from "./source-info.js";

export type { CheckedBranch, CheckedFeature, CheckedMember, TypeRef } from "./check-parts.js";

/** One expression as the parser delivers it. */
export interface ParsedExpr {
  readonly expr: Map<string, unknown>;
  readonly info: SourceInfo;
  readonly doc?: QapiDoc | null | undefined;
}

/** An enum value after normalisation. */
export interface CheckedEnumValue {
  readonly name: string;
  readonly ifcond: IfCond | undefined;
  readonly features: readonly CheckedFeature[];
}

interface CheckedDefinitionBase {
  readonly name: string;
  readonly info: SourceInfo;
  readonly doc: QapiDoc | null;
  readonly ifcond: IfCond | undefined;
  readonly features: readonly CheckedFeature[];
}

/** A checked, normalised expression, ready for the model builder. */
export type CheckedExpr =
  | { readonly meta: "include"; readonly include: string; readonly info: SourceInfo }
  | (CheckedDefinitionBase & {
      readonly meta: "enum";
      readonly values: readonly CheckedEnumValue[];
      readonly prefix: string | null;
    })
  | (CheckedDefinitionBase & {
      readonly meta: "struct";
      readonly base: string | null;
      readonly members: readonly CheckedMember[];
    })
  | (CheckedDefinitionBase & {
      readonly meta: "union";
      readonly base: string | readonly CheckedMember[];
      readonly discriminator: string;
      readonly branches: readonly CheckedBranch[];
    })
  | (CheckedDefinitionBase & {
      /** A simple union of QEMU before 6.2: no base, no discriminator; the model adds the tag. */
      readonly meta: "simple-union";
      readonly branches: readonly CheckedBranch[];
    })
  | (CheckedDefinitionBase & { readonly meta: "alternate"; readonly branches: readonly CheckedBranch[] })
  | (CheckedDefinitionBase & {
      readonly meta: "command";
      readonly data: string | readonly CheckedMember[] | null;
      readonly returns: TypeRef | null;
      /** Every flag, absent ones at their default (core/command-flags.ts). */
      readonly flags: CommandFlags;
    })
  | (CheckedDefinitionBase & {
      readonly meta: "event";
      readonly data: string | readonly CheckedMember[] | null;
      readonly boxed: boolean;
    });

const metaKeys = ["enum", "struct", "union", "alternate", "command", "event"] as const;
type Meta = (typeof metaKeys)[number];
/** Before 6.2 the first of these an expression has is its kind (release-rules.ts `oneMetaKey`). */
const olderMetaKeys: readonly Meta[] = ["enum", "union", "alternate", "struct", "command", "event"];

/**
 * Checks and normalises every expression, in order, stopping at the first error.
 * Sets each expression's definition (meta and name) on its SourceInfo, so that
 * later errors print "FILE: In META 'NAME':".
 * @throws QapiSemanticError for the first invalid expression
 */
export function checkExprs(exprs: readonly ParsedExpr[]): CheckedExpr[] {
  return exprs.map((expr) => checkExpr(expr));
}

function checkExpr(parsed: ParsedExpr): CheckedExpr {
  const { expr, info } = parsed;
  const doc = parsed.doc ?? null;
  if (expr.has("include")) return { meta: "include", include: expr.get("include") as string, info };

  const metas = info.pragma.rules.oneMetaKey
    ? metaKeys.filter((k) => expr.has(k))
    : olderMetaKeys.filter((k) => expr.has(k)).slice(0, 1);
  if (metas.length !== 1) {
    throw new QapiSemanticError(
      info,
      "an expression needs exactly one of the keys 'enum', 'struct', 'union', 'alternate', 'command', 'event'",
    );
  }
  const meta: Meta = metas[0]!;
  const name = expr.get(meta);
  checkNameIsStr(name, info, `'${meta}'`);
  info.setDefn(meta, name);
  checkDefnNameStr(name, info, meta);
  if (info.pragma.rules.simpleUnions && meta !== "command" && meta !== "event" && name.endsWith("Kind")) {
    // Simple unions' implicit tag enums are named <Union>Kind.
    throw new QapiSemanticError(info, `${meta} names ending in 'Kind' are reserved while simple unions exist`);
  }

  if (doc) {
    if (doc.symbol !== name)
      throw new QapiSemanticError(info, `the doc comment before this definition documents '${doc.symbol}'`);
    // Releases before 9.0 did not check commands' doc sections, and their
    // schemas document results some commands do not declare.
    if (info.pragma.rules.commandDocChecks || !expr.has("command"))
      doc.checkExpr(expr as Parameters<QapiDoc["checkExpr"]>[0]);
  } else if (info.pragma.docRequired) {
    throw new QapiSemanticError(info, "this definition lacks a documentation comment");
  }

  // The kind-specific part first, then the parts every kind shares, in QEMU's order.
  let body: object;
  switch (meta) {
    case "enum":
      checkKeys(expr, info, meta, ["enum", "data"], ["if", "features", "prefix"]);
      body = checkEnum(expr, name, info);
      break;
    case "union":
      if (isSimpleUnion(expr, info)) {
        checkKeys(expr, info, meta, ["union", "data"], ["if", "features"]);
        body = { meta: "simple-union", branches: checkSimpleUnion(expr, info) };
        break;
      }
      if (info.pragma.rules.simpleUnions) {
        // Before 6.2 one of the two keys alone meant a flat union missing the other.
        if (!expr.has("discriminator")) throw new QapiSemanticError(info, "'base' needs 'discriminator' too");
        if (!expr.has("base")) throw new QapiSemanticError(info, "'discriminator' needs 'base' too");
      }
      checkKeys(expr, info, meta, ["union", "base", "discriminator", "data"], ["if", "features"]);
      body = checkUnion(expr, name, info);
      break;
    case "alternate":
      checkKeys(expr, info, meta, ["alternate", "data"], ["if", "features"]);
      body = { branches: checkAlternate(expr, info) };
      break;
    case "struct":
      checkKeys(expr, info, meta, ["struct", "data"], ["base", "if", "features"]);
      body = checkStruct(expr, name, info);
      break;
    case "command":
      checkKeys(
        expr,
        info,
        meta,
        ["command"],
        ["data", "returns", "if", "features", ...commandFlagNames.map((f) => commandFlags[f].key)],
      );
      body = checkCommand(expr, info);
      break;
    case "event":
      checkKeys(expr, info, meta, ["event"], ["data", "boxed", "if", "features"]);
      body = checkEvent(expr, info);
      break;
  }
  const ifcond = checkIf(expr, info, meta);
  const features = checkFeatures(expr.get("features"), info);
  checkFlags(expr, info);
  return { meta, name, info, doc, ifcond, features, ...body } as unknown as CheckedExpr;
}

function checkEnum(expr: QMap, name: string, info: SourceInfo): { values: CheckedEnumValue[]; prefix: string | null } {
  const members = expr.get("data");
  const prefix = expr.get("prefix");
  if (!Array.isArray(members)) throw new QapiSemanticError(info, "'data' of an enum takes an array");
  if (prefix !== undefined && typeof prefix !== "string") throw new QapiSemanticError(info, "'prefix' takes a string");
  const permissive = info.pragma.memberNameExceptions.includes(name);
  const values = members.map((m: unknown): CheckedEnumValue => {
    const member: QMap = isMap(m) ? m : new Map([["name", m]]);
    let source = "'data' member";
    checkKeys(member, info, source, ["name"], ["if", "features"]);
    const memberName = member.get("name");
    checkNameIsStr(memberName, info, source);
    source = `${source} '${memberName}'`;
    // Enum values may start with a digit: check the rest as if a letter came first.
    const checkedName = /^[0-9]/.test(memberName) ? `d${memberName}` : memberName;
    checkNameLower(checkedName, info, source, permissive, permissive);
    const ifcond = checkIf(member, info, source);
    const features = checkFeatures(member.get("features"), info);
    return { name: memberName, ifcond, features };
  });
  return { values, prefix: prefix ?? null };
}

function checkStruct(expr: QMap, name: string, info: SourceInfo): { base: string | null; members: CheckedMember[] } {
  const members = checkTypeImplicit(expr.get("data"), info, "'data'", name);
  const base = checkTypeName(expr.get("base"), info, "'base'");
  return { base: base ?? null, members };
}

function checkUnion(
  expr: QMap,
  name: string,
  info: SourceInfo,
): { base: string | CheckedMember[]; discriminator: string; branches: CheckedBranch[] } {
  const discriminator = expr.get("discriminator");
  const data = normalizeTopMembers(expr.get("data"));
  const base = checkTypeNameOrImplicit(expr.get("base"), info, "'base'", name);
  checkNameIsStr(discriminator, info, "'discriminator'");
  if (!isMap(data)) throw new QapiSemanticError(info, "'data' takes an object");
  const branches: CheckedBranch[] = [];
  for (const [key, value] of data) {
    const source = `'data' member '${key}'`;
    const branch = value as QMap;
    checkKeys(branch, info, source, ["type"], ["if"]);
    const ifcond = checkIf(branch, info, source);
    const type = checkTypeName(branch.get("type"), info, source)!;
    branches.push({ name: key, type, ifcond });
  }
  return { base: base!, discriminator, branches };
}

/**
 * A union with neither 'base' nor 'discriminator' is a simple union, which
 * QEMU accepted up to 6.1; under QEMU 10.2's rules it lacks both keys.
 */
function isSimpleUnion(expr: QMap, info: SourceInfo): boolean {
  return info.pragma.rules.simpleUnions && !expr.has("base") && !expr.has("discriminator");
}

/**
 * A simple union's branches: lower-case names (they become the values of the
 * implicit tag enum) and a type name or array of one, as QEMU 6.1 checked them.
 */
function checkSimpleUnion(expr: QMap, info: SourceInfo): CheckedBranch[] {
  const data = normalizeTopMembers(expr.get("data"));
  if (!isMap(data)) throw new QapiSemanticError(info, "'data' takes an object");
  return checkBranchMap(data, info);
}

function checkAlternate(expr: QMap, info: SourceInfo): CheckedBranch[] {
  const data = normalizeTopMembers(expr.get("data"));
  if (!truthy(data)) throw new QapiSemanticError(info, "'data' cannot be empty");
  if (!isMap(data)) throw new QapiSemanticError(info, "'data' takes an object");
  return checkBranchMap(data, info, info.pragma.rules.alternateArrays);
}

/** Branches written as `name: { 'type': T, 'if': … }` (alternates, simple unions): lower-case names, a type or array of one. */
function checkBranchMap(data: QMap, info: SourceInfo, arrays = true): CheckedBranch[] {
  const branches: CheckedBranch[] = [];
  for (const [key, value] of data) {
    const source = `'data' member '${key}'`;
    checkNameLower(key, info, source);
    const branch = value as QMap;
    checkKeys(branch, info, source, ["type"], ["if"]);
    const ifcond = checkIf(branch, info, source);
    if (!arrays && Array.isArray(branch.get("type"))) throw new QapiSemanticError(info, `${source} cannot be an array`);
    const type = checkTypeNameOrArray(branch.get("type"), info, source)!;
    branches.push({ name: key, type, ifcond });
  }
  return branches;
}

function checkArgs(expr: QMap, info: SourceInfo): { data: string | CheckedMember[] | null; boxed: boolean } {
  const args = expr.get("data");
  const boxed = truthy(expr.get("boxed"));
  if (boxed && args === undefined) throw new QapiSemanticError(info, "'boxed': true needs 'data'");
  const data = boxed ? checkTypeName(args, info, "'data'") : checkTypeNameOrImplicit(args, info, "'data'", null);
  return { data: data ?? null, boxed };
}

function checkCommand(expr: QMap, info: SourceInfo) {
  const { data } = checkArgs(expr, info);
  const returns = checkTypeNameOrArray(expr.get("returns"), info, "'returns'");
  return { data, returns: returns ?? null, flags: flagsFromKeys((key) => expr.has(key)) };
}

function checkEvent(expr: QMap, info: SourceInfo) {
  return checkArgs(expr, info);
}

/**
 * Turns shorthand branch values (`'a': 'T'`) into `{type: 'T'}`, as QEMU does
 * before checking; member dictionaries are normalised by checkTypeImplicit.
 */
function normalizeTopMembers(value: unknown): unknown {
  if (!isMap(value)) return value;
  const normalized: QMap = new Map();
  for (const [key, member] of value) normalized.set(key, normalizeMemberValue(member));
  return normalized;
}
