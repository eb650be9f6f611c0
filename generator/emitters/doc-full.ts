/**
 * The schema's own doc text in TSDoc, for `--docs full` (doc-facts.ts adds
 * the facts around it).
 *
 * Where each part of a QAPI doc comment goes:
 * - body, then every plain section after the members: the description, in order;
 * - member and enum-value descriptions: on the property or union member (doc-facts.ts memberDoc);
 * - feature descriptions: a `Features:` list on the definition;
 * - legacy `Note:`/`Notes:`: one `@remarks` block;
 * - legacy `Example:`/`Examples:` and `.. qmp-example::` directives: one `@example`
 *   block each, the QMP text verbatim in a code fence;
 * - `Errors:`: `@throws` (a command's promise rejects with that error);
 * - `Returns:`: `@returns`; `Since:`: `@since` (doc-facts.ts);
 * - `TODO:`: left out, it is a note to QEMU's developers, not to users.
 * Free-form doc blocks (`= Section` headings and the introductions under them)
 * are left out too: they document no declaration, and the generated files are
 * split by kind (types, commands, events), not by schema module, so the
 * chapter they open has no place to go.
 *
 * Every piece of schema text goes through doc-rst.ts (markup) and then
 * emit/jsdoc.ts's escapeCommentText (comment safety); only the tag words are ours.
 */
import { escapeCommentText } from "../printer/jsdoc.js";
import type { QapiDoc } from "../frontend/doc.js";
import type { Feature } from "../model/entities.js";
import type { GenContext } from "./context.js";
import { docBody, docErrors, docFeatureTexts, docMemberText, docReturns, docSectionTexts } from "./doc-access.js";
import { type DocExample, type LinkResolver, codeFence, noLinks, renderDocText } from "./doc-rst.js";

/** The full-mode doc of a definition, in the three places doc-facts.ts puts them. */
export interface FullDefinitionDoc {
  /** Description lines: before any fact or tag. */
  readonly description: string[];
  /** The `Features:` list with descriptions (replaces the facts line naming them). */
  readonly features: string[];
  /** Block tags: `@remarks`, `@example`s, `@throws`, `@returns`. */
  readonly tags: string[];
}

/**
 * Which references may become `{@link}`s: only to types, and only from
 * comments in types.ts, where every type is declared and a link always resolves.
 * @param inTypesFile whether the comment is printed in types.ts
 */
export function linkResolver(ctx: GenContext, inTypesFile: boolean): LinkResolver {
  if (!inTypesFile) return noLinks;
  return (name) => (name.startsWith("q_obj_") ? null : (ctx.typeNames.get(name) ?? null));
}

function safe(markdown: string): string {
  return escapeCommentText(markdown);
}

function exampleTag(example: DocExample): string {
  const title = example.title ? " " + safe(example.title.replace(/\s+/g, " ")) : "";
  return `@example${title}\n${safe(example.markdown)}`;
}

/** A tag whose text may be a list or several lines: those start on the next line. */
function blockTag(tag: string, text: string): string {
  return text.includes("\n") || /^[-*+] /.test(text) ? `${tag}\n${text}` : `${tag} ${text}`;
}

/** The full-mode doc of a definition from its doc comment. */
export function fullDefinitionDoc(
  doc: QapiDoc | null,
  features: readonly Feature[],
  links: LinkResolver,
): FullDefinitionDoc {
  const examples: DocExample[] = [];
  const prose = (text: string, tagged = true): string => {
    const rendered = renderDocText(text, links, tagged);
    examples.push(...rendered.examples);
    return safe(rendered.prose);
  };
  // A plain section may be all example (`.. qmp-example::`), leaving no prose.
  const description = [docBody(doc), ...docSectionTexts(doc, ["Plain"])]
    .map((text) => prose(text, false))
    .filter((t) => t !== "")
    .flatMap((t) => [t, ""]);
  const notes = docSectionTexts(doc, ["Note", "Notes"]).map((text) => prose(text));
  for (const text of docSectionTexts(doc, ["Example", "Examples"]))
    examples.push({ title: "", markdown: codeFence(text) });
  const errors = docErrors(doc);
  const returns = docReturns(doc);
  const tags = [
    ...(notes.length > 0 ? [`@remarks\n${notes.join("\n\n")}`] : []),
    ...examples.map(exampleTag),
    ...(errors ? [blockTag("@throws", prose(errors))] : []),
    ...(returns ? [blockTag("@returns", prose(returns))] : []),
  ];
  return { description, features: featureList(doc, features, links), tags };
}

/**
 * `Features:` and one list item per documented feature, then any feature of
 * the definition itself left undocumented; special features (`deprecated`,
 * `unstable`) appear only when described, as doc-facts.ts tags them anyway.
 */
function featureList(doc: QapiDoc | null, features: readonly Feature[], links: LinkResolver): string[] {
  const described = docFeatureTexts(doc);
  const items = described.map(([name, text]) => {
    const rendered = renderDocText(text, links, true).prose.split("\n").join("\n  ");
    return `- \`${safe(name)}\`: ${safe(rendered)}`;
  });
  const names = new Set(described.map(([name]) => name));
  for (const f of features) if (!f.isSpecial() && !names.has(f.name)) items.push(`- \`${safe(f.name)}\``);
  return items.length > 0 ? ["Features:", ...items] : [];
}

/** The description of member (or enum value, or alternative) `name` in its owner's doc, as safe lines. */
export function fullMemberText(doc: QapiDoc | null, name: string, links: LinkResolver): string[] {
  const text = docMemberText(doc, name);
  if (!text) return [];
  const rendered = renderDocText(text, links, true);
  // A member has no tags of its own: examples in its text stay where they are, as fences.
  return [
    safe([rendered.prose, ...rendered.examples.map((e) => (e.title ? `${e.title}\n` : "") + e.markdown)].join("\n\n")),
  ];
}
