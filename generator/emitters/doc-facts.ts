/**
 * The TSDoc of generated declarations, by docs mode.
 *
 * `none`: nothing. `facts`: only facts taken from the schema — `@since`,
 * `@deprecated` (feature `deprecated`), an experimental mark (feature
 * `unstable`), other features, `if` conditions and a link to the entry in the
 * reference manual of the release generated from (a command's or event's wire
 * name is its map key, so it is not repeated) — never QEMU's prose, so committed SDKs carry
 * none of it. `full`: the doc text too (users' own schemas; doc-full.ts says
 * where each section goes), the description first, the facts and tags after. The result is a
 * safe comment string from emit/jsdoc.ts, printed by the emitters before each
 * declaration or member.
 */
import { escapeCommentText, jsDoc } from "../printer/jsdoc.js";
import type { Definition, EnumMember, Feature, ObjectMember } from "../model/entities.js";
import type { IfCond, IfCondition } from "../model/if-cond.js";
import type { GenContext } from "./context.js";
import { docMemberText, docSince } from "./doc-access.js";
import { type FullDefinitionDoc, fullDefinitionDoc, fullMemberText, linkResolver } from "./doc-full.js";

/** `CONFIG_A and (CONFIG_B or not CONFIG_C)`. */
export function describeCondition(cond: IfCond, nested = false): string {
  if (typeof cond === "string") return cond;
  if ("not" in cond) return `not ${describeCondition(cond.not, true)}`;
  const parts = ("all" in cond ? cond.all : cond.any).map((c) => describeCondition(c, true));
  const text = parts.join("all" in cond ? " and " : " or ");
  return nested && parts.length > 1 ? `(${text})` : text;
}

/** The Sphinx QAPI domain's anchor: `#command-QMP-run-state.query-status`. */
export function referenceAnchor(namespace: string, meta: string, moduleName: string, name: string): string {
  const objtype = meta === "struct" || meta === "union" ? "object" : meta;
  const module = moduleName.replace(/^.*\//, "").replace(/\.json$/, "");
  return `#${objtype}-${namespace}-${module}.${name}`;
}

/**
 * The feature tags, then the line naming the other features; `namedElsewhere`
 * (full mode's described list) replaces that line.
 */
function featureLines(features: readonly Feature[], what: string, namedElsewhere = false): string[] {
  const lines: string[] = [];
  for (const f of features) {
    if (f.name === "deprecated") lines.push(`@deprecated This ${what} has the QAPI feature 'deprecated'.`);
    else if (f.name === "unstable") lines.push(`@experimental This ${what} has the QAPI feature 'unstable'.`);
  }
  const others = features.filter((f) => !f.isSpecial()).map((f) => f.name);
  if (others.length > 0 && !namedElsewhere)
    lines.push(`Features: ${others.map((n) => "`" + escapeCommentText(n) + "`").join(", ")}.`);
  return lines;
}

function conditionLine(ifcond: IfCondition): string[] {
  return ifcond.cond === undefined
    ? []
    : [`Conditional: present only in builds where \`${escapeCommentText(describeCondition(ifcond.cond))}\` holds.`];
}

/**
 * The doc comment for a top-level declaration (type, command map entry, event map entry, function).
 * @param wireName the name on the wire, for commands and events (decides where links resolve)
 */
export function definitionDoc(ctx: GenContext, defn: Definition, wireName?: string): string {
  const mode = ctx.options.docs;
  if (mode === "none") return "";
  const lines: string[] = [];
  // Commands and events (they have a wire name) are documented outside types.ts: no links there.
  const full: FullDefinitionDoc | null =
    mode === "full" ? fullDefinitionDoc(defn.doc, defn.features, linkResolver(ctx, wireName === undefined)) : null;
  if (full) lines.push(...full.description);
  if (defn.kind === "command") {
    const flags = [
      defn.allowOob ? "may run out-of-band (`exec-oob`)" : "",
      defn.allowPreconfig ? "allowed before machine creation (`--preconfig`)" : "",
      defn.successResponse ? "" : "sends no reply (`success-response: false`)",
      defn.boxed ? "arguments boxed" : "",
    ].filter((f) => f !== "");
    if (flags.length > 0) lines.push(`Flags: ${flags.join("; ")}.`);
  }
  lines.push(...conditionLine(defn.ifcond));
  if (full && full.features.length > 0) {
    if (lines.length > 0 && lines[lines.length - 1] !== "") lines.push("");
    lines.push(...full.features, "");
  }
  lines.push(
    ...featureLines(defn.features, defn.meta === "struct" || defn.meta === "union" ? "type" : defn.meta, full !== null),
  );
  if (full) lines.push(...full.tags);
  // Facts mode keeps only the version number: a Since: line may go on in prose.
  const sinceText = docSince(defn.doc);
  const since = mode === "full" ? sinceText : (/^\d+(\.\d+)*/.exec(sinceText)?.[0] ?? "");
  if (since) lines.push(`@since ${escapeCommentText(since)}`);
  const ref = ctx.options.reference;
  if (ref && !defn.isImplicit() && defn.info !== null) {
    lines.push(`@see ${ref.page}${referenceAnchor(ref.namespace, defn.meta, defn.module.name, defn.name)}`);
  }
  return jsDoc(lines);
}

/**
 * The doc comment for a member or enum value: its text (full mode), whether it
 * is conditional, its features (deprecated, unstable, others) and the version
 * it appeared in.
 * @param owner the definition whose doc describes the member (for implicit types: their command or event)
 */
export function memberDoc(ctx: GenContext, owner: Definition | undefined, member: ObjectMember | EnumMember): string {
  const mode = ctx.options.docs;
  if (mode === "none") return "";
  const lines: string[] = [];
  // memberDoc is only called from types.ts, where links to types resolve.
  if (mode === "full" && owner) lines.push(...fullMemberText(owner.doc, member.name, linkResolver(ctx, true)));
  lines.push(...conditionLine(member.ifcond));
  lines.push(...featureLines(member.features, member.role === "value" ? "value" : "member"));
  const since = owner ? memberSince(docMemberText(owner.doc, member.name)) : "";
  if (since) lines.push(`@since ${escapeCommentText(since)}`);
  return jsDoc(lines);
}

/**
 * The version a member's own doc text says it appeared in — QAPI writes
 * `(since 5.2)` or `(since: 4.0)` after the description — or "" when it
 * says none. Only the number is taken, never the prose around it.
 */
export function memberSince(text: string): string {
  const all = [...text.matchAll(/\(\s*since:?\s*(\d+\.\d+(?:\.\d+)?)\s*\)/gi)];
  return all.length > 0 ? all[all.length - 1]![1]! : "";
}
