/**
 * JSDoc blocks for generated declarations.
 *
 * Takes the lines an emitter wants in a doc comment (doc text and tags built by
 * generator/emitters/doc-facts.ts) and returns a comment that no input can break out
 * of: `*\/` is defused, and the text is kept on comment lines. The result is a
 * string the emitters print before a declaration.
 */

import { commentLine, commentText, splitLines } from "./escape.js";

/** Free text for a doc comment (escape.ts's `commentText`; kept under this name for the emitters). */
export const escapeCommentText = commentText;

/**
 * Builds a JSDoc comment from text lines (tags included as lines such as
 * `@since 1.2`). Returns "" when there is nothing to say.
 * @param lines doc text and tag lines; tag lines must be built by us, free text must go through escapeCommentText first
 */
export function jsDoc(lines: readonly string[]): string {
  const all = lines.flatMap((l) => splitLines(l)).map((l) => l.replace(/\s+$/, ""));
  while (all.length > 0 && all[0] === "") all.shift();
  while (all.length > 0 && all[all.length - 1] === "") all.pop();
  if (all.length === 0) return "";
  // A stray "*/" in a tag line we built ourselves would still be fatal: defuse it too.
  const safe = all.map(commentLine);
  if (safe.length === 1 && safe[0]!.length <= 90) return `/** ${safe[0]} */`;
  return ["/**", ...safe.map((l) => (l === "" ? " *" : " * " + l)), " */"].join("\n");
}
