/**
 * QEMU 10.2's format lint for documentation lines (ParseOptions.docLint).
 *
 * doc-reader.ts runs every doc line outside literal blocks through
 * checkDocLineFormat(); the lint rejects lines longer than 70 columns (URLs
 * excepted) and a single space after the end of a sentence. The schemas of
 * older QEMU releases violate both, which is why the lint is optional.
 */

/** A lint finding: the message and the UTF-16 offset in the line text it points at (or null: the line start). */
export interface DocLintFinding {
  readonly msg: string;
  readonly offset: number | null;
}

const URL_ONLY_LINE = /^ *(?:https?|ftp):\/\/[^ ]*$/;
/**
 * A sentence end ([.!?]) followed by one space and a capital, digit or
 * parenthesis; "e.g." and numbered-list markers ("1. ") are matched by the
 * other alternatives so that they are skipped.
 */
const SINGLE_SPACE_AFTER_SENTENCE = /((?<![\p{L}\p{N}_])e\.g\.|^ *\p{Nd}\.|([.!?])) [A-Z0-9(]/gu;

/** Necessary for a SINGLE_SPACE_AFTER_SENTENCE finding. */
const MAYBE_SINGLE_SPACE = /[.!?] [A-Z0-9(]/;

/** Number of code points in `text` (Python's len()). */
function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff) count++;
  }
  return count;
}

/**
 * Check one doc line (the text after "# ", trailing space removed).
 * @returns the first finding, or null when the line is fine
 */
export function checkDocLineFormat(line: string): DocLintFinding | null {
  // "# " precedes the text on the line.
  if (line.length + 2 > 70 && codePointLength(line) + 2 > 70 && !URL_ONLY_LINE.test(line)) {
    return { msg: "doc line exceeds 70 characters", offset: null };
  }
  // Cheap pre-check: most lines have no sentence end followed by one space.
  if (!MAYBE_SINGLE_SPACE.test(line)) return null;
  SINGLE_SPACE_AFTER_SENTENCE.lastIndex = 0;
  for (const match of line.matchAll(SINGLE_SPACE_AFTER_SENTENCE)) {
    if (match[2] === undefined) continue;
    return {
      msg: "put two spaces between sentences (if this is no sentence end, please report a bug)",
      // QEMU points just past the punctuation, at the single space.
      offset: match.index + 1,
    };
  }
  return null;
}
