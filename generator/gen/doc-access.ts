/**
 * Reading the few things the emitters need from a definition's doc comment:
 * its free text, a member's text, and the `Since:` version. Used by
 * doc-facts.ts only, so the front end's QapiDoc shape matters in one place.
 */
import type { QapiDoc } from "../frontend/doc.js";

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
