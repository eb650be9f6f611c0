/**
 * How the shell shows what the server says: replies pretty-printed (coloured
 * when the terminal supports it), errors as `error: CLASS: desc`, events as
 * `event NAME (time): data`; with `--json`, each as the one-line QMP message
 * instead, for scripts. 64-bit integers are printed exactly (bigint).
 *
 * Everything here came from the server: each string, key, name and class is
 * made inert (tools/terminal-text.ts) before it is coloured, and `--json`
 * escapes what JSON.stringify leaves raw (C1, bidi), so it stays exact JSON.
 *
 * Data flow: replies and events from the session (session.ts) → these
 * functions → text the REPL writes above its prompt (terminal.ts) or to stdout.
 */
import { stringifyJson } from "../../runtime/json.js";
import { previewJson } from "../../runtime/preview.js";
import type { QmpEventMessage } from "../../runtime/messages.js";
import { inertJson, inertLines, inertText } from "../terminal-text.js";

/** ANSI colours, or none. */
export interface Palette {
  key(text: string): string;
  string(text: string): string;
  number(text: string): string;
  literal(text: string): string;
  error(text: string): string;
  event(text: string): string;
  dim(text: string): string;
}

const sgr = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;

/** The colours used on a terminal that has them. */
export const colours: Palette = {
  key: sgr("36"),
  string: sgr("32"),
  number: sgr("33"),
  literal: sgr("35"),
  error: sgr("1;31"),
  event: sgr("1;34"),
  dim: sgr("2"),
};

const same = (text: string) => text;
/** No colours. */
export const plain: Palette = {
  key: same,
  string: same,
  number: same,
  literal: same,
  error: same,
  event: same,
  dim: same,
};

/**
 * Colour for this output? Only a terminal that reports colours, and never
 * when NO_COLOR is set (https://no-color.org); FORCE_COLOR forces it.
 */
export function paletteFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Palette {
  if (env["NO_COLOR"]) return plain;
  if (env["FORCE_COLOR"] && env["FORCE_COLOR"] !== "0") return colours;
  return stream.isTTY && stream.hasColors?.() ? colours : plain;
}

/** A JSON value, indented by two, in the palette's colours. */
export function prettyJson(value: unknown, p: Palette, indent = ""): string {
  if (value === null || typeof value === "boolean") return p.literal(String(value));
  if (typeof value === "number" || typeof value === "bigint") return p.number(stringifyJson(value));
  if (typeof value === "string") return p.string(inertJson(JSON.stringify(value)));
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + prettyJson(v, p, inner)).join(",\n")}\n${indent}]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, v]) => `${inner}${p.key(inertJson(JSON.stringify(k)))}: ${prettyJson(v, p, inner)}`).join(",\n")}\n${indent}}`;
  }
  return p.literal(String(value));
}

/** The display of a successful reply (the `return` value); a string (e.g. HMP output) is shown as text. */
export function renderReturn(value: unknown, p: Palette, json: boolean): string {
  if (json) return inertJson(stringifyJson({ return: value }));
  if (typeof value === "string") return inertLines(value).replace(/\n$/, "");
  return prettyJson(value, p);
}

/** The display of an error reply. */
export function renderError(errorClass: string, desc: string, p: Palette, json: boolean): string {
  if (json) return inertJson(stringifyJson({ error: { class: errorClass, desc } }));
  return p.error(`error: ${inertText(errorClass)}: ${inertLines(desc)}`);
}

/** The event's time of day; a timestamp that is not two numbers in range is shown as it came. */
function clock(event: QmpEventMessage): string {
  const timestamp: unknown = event.timestamp;
  const { seconds, microseconds } = (timestamp ?? {}) as Record<string, unknown>;
  if (seconds === -1) return "no time";
  const ms = typeof seconds === "number" ? seconds * 1000 : NaN;
  // Date covers ±8.64e15 ms; beyond it toISOString throws.
  if (!(Math.abs(ms) <= 8.64e15) || !Number.isInteger(microseconds) || (microseconds as number) < 0)
    return `bad timestamp ${inertJson(previewJson(timestamp, 60))}`;
  const t = new Date(ms).toISOString().slice(11, 19);
  return `${t}.${String(microseconds).padStart(6, "0")}`;
}

/** The display of an event as it arrives. */
export function renderEvent(event: QmpEventMessage, p: Palette, json: boolean): string {
  if (json)
    return inertJson(
      stringifyJson(event.data === undefined ? { event: event.event, timestamp: event.timestamp } : event),
    );
  const head = `${p.event("event " + inertText(event.event))} ${p.dim(`(${clock(event)})`)}`;
  return event.data === undefined ? head : `${head} ${prettyJson(event.data, p)}`;
}

/** A problem of the shell itself (syntax, validation, connection). */
export function renderProblem(text: string, p: Palette): string {
  return p.error(inertLines(text));
}
