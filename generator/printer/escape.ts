/**
 * The one escaping path for every text that reaches generated code.
 *
 * Schema names, doc text, labels, paths, module specifiers and version strings
 * are hostile until they pass through here: a string literal, a line comment
 * or a block (JSDoc) comment. JavaScript ends a line at LF, CR, U+2028 and
 * U+2029 (CRLF counts once); each helper knows all four, so no input can end a
 * `//` comment early, split a literal, or close a `/* *\/` comment and put code
 * into a generated file. Identifiers never come from here: names.ts builds
 * them from `[A-Za-z0-9_$]` only. Everything in generator/emitters and the
 * printer uses these functions; nothing else escapes by hand.
 */

/** Every JavaScript line terminator, CRLF as one. */
const lineTerminators = /\r\n|[\n\r\u2028\u2029]/g;

/**
 * A JavaScript/TypeScript string literal for any text: JSON's escaping (valid
 * JavaScript), plus U+2028/U+2029, which JSON leaves raw and older parsers
 * treat as line ends.
 */
export function stringLiteral(s: string): string {
  const json = JSON.stringify(s);
  return /[\u2028\u2029]/.test(json) ? json.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029") : json;
}

/** Text for a `//` comment: one line, every line terminator (and other control characters) a space. */
export function lineCommentText(s: string): string {
  return s.replace(lineTerminators, " ").replace(/[\u0000-\u001f\u007f]/g, " ");
}

/** Splits text at every JavaScript line terminator. */
export function splitLines(s: string): string[] {
  return s.split(lineTerminators);
}

/**
 * Makes free text safe inside a block comment: `*\/` can never close it, `/*`
 * never opens a nested one for tools that warn about it, a line-leading `@`
 * does not become a tag, and every line terminator becomes `\n` (the comment
 * printer then puts each line behind ` * `).
 */
export function commentText(text: string): string {
  return text
    .replace(lineTerminators, "\n")
    .replace(/\*\//g, "*\\/")
    .replace(/\/\*/g, "/\\*")
    .replace(/^(\s*)@/gm, "$1\\@");
}

/**
 * Defuses a comment line we built ourselves (tags, links): it may hold schema
 * names, so `*\/` and line terminators are neutralised, but a leading `@tag`
 * stays a tag.
 */
export function commentLine(line: string): string {
  return line.replace(lineTerminators, " ").replace(/\*\//g, "*\\/");
}
