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
 *
 * With a version history (history-facts.ts), commands, events, types,
 * members, enum values, branches and alternatives say which release first had
 * them — the doc's version when the two agree, the history's span and the
 * doc's version when they do not — and a deprecation says since when.
 */
import { escapeCommentText, jsDoc } from "../printer/jsdoc.js";
import type { AnyType, Definition, EnumMember, Feature, ObjectMember } from "../model/entities.js";
import type { IfCond, IfCondition } from "../model/if-cond.js";
import type { GenContext } from "./context.js";
import { docMemberText, docSince } from "./doc-access.js";
import { type FullDefinitionDoc, fullDefinitionDoc, fullMemberText, linkResolver } from "./doc-full.js";
import { type HistoryAppearance, type ReleaseSpan, describeSpan, sinceAgrees } from "./history-facts.js";

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

/** The `@deprecated` tag; `since`: the release the history has the deprecation from. */
export function deprecatedLine(what: string, since?: ReleaseSpan): string {
  return `@deprecated This ${what} has the QAPI feature 'deprecated'${since ? ` (since ${describeSpan(since)})` : ""}.`;
}

/**
 * The feature tags, then the line naming the other features; `namedElsewhere`
 * (full mode's described list) replaces that line.
 */
function featureLines(
  features: readonly Feature[],
  what: string,
  namedElsewhere = false,
  history?: HistoryAppearance,
): string[] {
  const lines: string[] = [];
  for (const f of features) {
    if (f.name === "deprecated") lines.push(deprecatedLine(what, history?.deprecatedSince));
    else if (f.name === "unstable") lines.push(`@experimental This ${what} has the QAPI feature 'unstable'.`);
  }
  const others = features.filter((f) => !f.isSpecial()).map((f) => f.name);
  if (others.length > 0 && !namedElsewhere)
    lines.push(`Features: ${others.map((n) => "`" + escapeCommentText(n) + "`").join(", ")}.`);
  return lines;
}

/**
 * The `@since` line: the doc's version (`doc`, "" for none), the history's
 * span when the doc has none, both when they disagree.
 */
function sinceLine(doc: string, span: ReleaseSpan | undefined): string[] {
  const written = escapeCommentText(doc);
  if (!span) return doc ? [`@since ${written}`] : [];
  if (!doc) return [`@since ${describeSpan(span)}`];
  if (sinceAgrees(doc, span)) return [`@since ${written}`];
  return [`@since ${describeSpan(span)} (the doc says ${written})`];
}

/** The history's answer for a command, event or type, when there is a history. */
export function definitionHistory(ctx: GenContext, defn: Definition): HistoryAppearance | undefined {
  const facts = ctx.historyFacts;
  if (!facts) return undefined;
  if (defn.kind === "command") return facts.command(defn.name);
  if (defn.kind === "event") return facts.event(defn.name);
  return facts.type(defn);
}

function sameSpan(a: ReleaseSpan, b: ReleaseSpan | undefined): boolean {
  return b !== undefined && a.earliest === b.earliest && a.latest === b.latest;
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
  const history = definitionHistory(ctx, defn);
  const what = defn.meta === "struct" || defn.meta === "union" ? "type" : defn.meta;
  lines.push(...featureLines(defn.features, what, full !== null, history));
  if (full) lines.push(...full.tags);
  // Facts mode keeps only the version number: a Since: line may go on in prose.
  const sinceText = docSince(defn.doc);
  lines.push(...sinceLine(mode === "full" ? sinceText : sinceNumber(sinceText), history?.since));
  const ref = ctx.options.reference;
  if (ref && !defn.isImplicit() && defn.info !== null) {
    lines.push(`@see ${ref.page}${referenceAnchor(ref.namespace, defn.meta, defn.module.name, defn.name)}`);
  }
  return jsDoc(lines);
}

/** The version number a Since: text starts with ("" for none). */
function sinceNumber(text: string): string {
  return /^\d+(\.\d+)*/.exec(text)?.[0] ?? "";
}

/**
 * The doc comment for a member or enum value: its text (full mode), whether it
 * is conditional, its features (deprecated, unstable, others) and the version
 * it appeared in.
 * @param owner the definition whose doc describes the member (for implicit types: their command or event)
 * @param container the type declaring it, where the version history looks it up
 */
export function memberDoc(
  ctx: GenContext,
  owner: Definition | undefined,
  member: ObjectMember | EnumMember,
  container: AnyType,
): string {
  const mode = ctx.options.docs;
  if (mode === "none") return "";
  const lines: string[] = [];
  // memberDoc is only called from types.ts, where links to types resolve.
  if (mode === "full" && owner) lines.push(...fullMemberText(owner.doc, member.name, linkResolver(ctx, true)));
  lines.push(...conditionLine(member.ifcond));
  const history = ctx.historyFacts?.member(container, member);
  lines.push(...featureLines(member.features, member.role === "value" ? "value" : "member", false, history));
  const own = owner ? memberSince(docMemberText(owner.doc, member.name)) : "";
  if (!history || own) lines.push(...sinceLine(own, history?.since));
  else {
    // Next to the history, a member without a note of its own is as old as the definition documenting it (QAPI's convention).
    const inherited = sinceNumber(docSince((owner ?? ctx.implicitOwner.get(container.name) ?? container).doc));
    // An enum value, branch or alternative is printed inside its type's declaration, under the type's `@since`:
    // when it came with its type, a line of its own would only repeat that.
    const insideType = container.kind !== "object" || member.role === "branch";
    if (!(insideType && sameSpan(history.since, ctx.historyFacts?.type(container)?.since)))
      lines.push(...sinceLine(inherited, history.since));
  }
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
