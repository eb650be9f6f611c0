/**
 * Reading what the emitters need from a definition's doc comment: its free
 * text, a member's text, the `Since:` version, and for `--docs full` the other
 * sections by kind and the feature descriptions. Used by doc-facts.ts and
 * doc-full.ts only, so the front end's QapiDoc shape matters in one place.
 */
import type { QapiDoc, SectionKind } from "../frontend/doc.js";

/** The doc's main text, trimmed; "" when there is none. */
export function docBody(doc: QapiDoc | null): string {
  return doc ? doc.body.text.trim() : "";
}

/** The documentation of member `name`; "" when there is none. */
export function docMemberText(doc: QapiDoc | null, name: string): string {
  return doc?.args.get(name)?.text.trim() ?? "";
}

/** The version of the `Since:` section (`7.1`), or "" when there is none. */
export function docSince(doc: QapiDoc | null): string {
  const text = doc?.since?.text.trim() ?? "";
  return text.split("\n")[0]!.trim();
}

/** The text of the `Returns:` section, or "" when there is none. */
export function docReturns(doc: QapiDoc | null): string {
  return doc?.returns?.text.trim() ?? "";
}

/** The texts of the sections of these kinds after the members (not the body), in textual order, empty ones left out. */
export function docSectionTexts(doc: QapiDoc | null, kinds: readonly SectionKind[]): string[] {
  return (doc?.sections ?? [])
    .filter((s) => kinds.includes(s.kind))
    .map((s) => dedent(s.text).trim())
    .filter((t) => t !== "");
}

/**
 * `text` without the indentation all its non-blank lines share: a section
 * whose text starts on the line after its tag is indented as a whole (QEMU's
 * doc generator dedents it the same way).
 */
function dedent(text: string): string {
  const lines = text.split("\n");
  let common = Infinity;
  for (const line of lines) {
    if (line.trim() === "") continue;
    common = Math.min(common, line.length - line.trimStart().length);
  }
  return common === Infinity || common === 0 ? text : lines.map((line) => line.slice(common)).join("\n");
}

/** The text of the `Errors:` section, or "" when there is none. */
export function docErrors(doc: QapiDoc | null): string {
  return doc?.errors?.text.trim() ?? "";
}

/** The feature descriptions, `[name, text]` in the order written. */
export function docFeatureTexts(doc: QapiDoc | null): [string, string][] {
  return [...(doc?.features ?? new Map())].map(([name, section]) => [name, section.text.trim()]);
}
