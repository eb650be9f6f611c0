/**
 * Text from input files (names in an introspection file, values in a log)
 * made inert for a report line on a terminal: control characters and line
 * terminators become `\uXXXX`, so the text cannot start a forged line of the
 * report or send escape sequences. Used by `diff`'s text and Markdown output
 * (generator/diff/format.ts) and `validate-log`'s findings (generator/cli/validate-log.ts).
 */

/** `text` with C0/C1 controls, DEL, U+2028 and U+2029 written as `\uXXXX`. */
export function inertText(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
