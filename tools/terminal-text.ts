/**
 * Text from a peer or a file made inert for a terminal: control characters
 * (C0, C1, DEL), line separators and bidirectional overrides become `\uXXXX`,
 * so the text cannot set the window title, fill the clipboard (OSC 52), clear
 * the screen, overwrite what the user reads with a bare carriage return,
 * reorder a line, or start a forged line of a report.
 *
 * The one module for it: `diff`'s text and Markdown output
 * (tools/diff/format.ts), `validate-log`'s findings
 * (tools/cli/validate-log.ts), and every output path of the shell
 * (tools/shell/render.ts for what the server says, `terminalSafe` at the
 * shell's two output sinks, repl.ts and script.ts, for everything else).
 */

/** Bidirectional formatting characters: they reorder what follows them on the line. */
const bidi = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069";
/** Every character that is not inert on a terminal (tab and line feed included). */
const controls = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029${bidi}]`, "g");
/** The same, but tab and line feed pass: multi-line text (HMP output) keeps its lines. */
const controlsButLines = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029${bidi}]`, "g");
/** What JSON.stringify leaves raw inside strings but a terminal acts on. */
const rawInJson = new RegExp(`[\\u007f-\\u009f\\u2028\\u2029${bidi}]`, "g");

const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** `text` on one line, every control, separator and bidi character written as `\uXXXX`. */
export function inertText(text: string): string {
  return text.replace(controls, escaped);
}

/** Like inertText, but line feeds and tabs stay (CRLF becomes LF; a bare CR is shown). */
export function inertLines(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(controlsButLines, escaped);
}

/**
 * JSON text (from JSON.stringify, which escapes C0 only) with the other
 * characters a terminal acts on escaped too: still JSON, for the same value.
 * They can only occur inside strings, where `\uXXXX` means the same character.
 */
export function inertJson(json: string): string {
  return json.replace(rawInJson, escaped);
}

/** The escape sequences the shell itself writes: its palette's colours (tools/shell/render.ts). */
const ownColour = /\x1b\[(?:0|2|32|33|35|36|1;31|1;34)m/y;

/**
 * What an output sink of the shell may write: line feeds, tabs and the
 * palette's own colour sequences pass; every other control character is
 * shown as `\uXXXX`. The last line of defence behind the renderers, which
 * escape what a peer sent before they colour it.
 */
export function terminalSafe(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c === 0x0a || c === 0x09) continue;
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) {
      out += text.slice(from, i); // CRLF: the line feed alone does it
      from = i + 1;
      continue;
    }
    if (c === 0x1b) {
      ownColour.lastIndex = i;
      const own = ownColour.exec(text);
      if (own) {
        i += own[0].length - 1;
        continue;
      }
    }
    const ch = text[i]!;
    if (c < 0x7f || inertText(ch) !== ch) {
      out += text.slice(from, i) + escaped(ch);
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}
