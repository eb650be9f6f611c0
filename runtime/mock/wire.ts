/**
 * Bytes ↔ JSON values for the mock QMP server.
 *
 * Incoming text from a client is cut into whole JSON texts by `JsonTextSplitter`
 * (QMP allows several texts per chunk, one text over several chunks, with or
 * without newlines between them); each text is then parsed by `decodeWire`.
 * Outgoing values are written by `encodeWire`, one text per line as QEMU does.
 * The session (session.ts) is the only user; the log module reuses the splitter
 * to read pretty-printed logs.
 */

/** A JSON value as the mock handles it; 64-bit integers beyond 2^53 may be bigints. */
export type WireValue = null | boolean | number | bigint | string | WireValue[] | { [key: string]: WireValue };

/** A JSON object on the wire. */
export type WireObject = { [key: string]: WireValue };

/**
 * Serialises a value as one JSON text. Unlike JSON.stringify it writes bigints
 * as exact integers, because handlers may return QAPI `int64`/`uint64` values
 * that do not fit a double.
 */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `\u0000big:${v.toString()}` : v)).replace(
    /"\\u0000big:(-?\d+)"/g,
    "$1",
  );
}

/**
 * Parses one JSON text. Integers that a double cannot hold exactly come back as
 * bigints, so recorded values survive a record → replay round trip unchanged.
 * @throws SyntaxError when the text is not JSON.
 */
export function decodeWire(text: string): WireValue {
  // Only take the slow path when a long digit run exists at all.
  if (!/\d{16}/.test(text)) return JSON.parse(text) as WireValue;
  const marked = text.replace(/("(?:[^"\\]|\\.)*")|(?<![\d.eE+])(-?\d{16,})(?![\d.eE])/g, (match, str: string | undefined, num: string | undefined) => {
    if (str !== undefined || num === undefined) return match;
    return Number.isSafeInteger(Number(num)) ? num : `"\u0000big:${num}"`;
  });
  return JSON.parse(marked, (_key, v: unknown) =>
    typeof v === "string" && v.startsWith("\u0000big:") ? BigInt(v.slice(5)) : v,
  ) as WireValue;
}

/**
 * Cuts a stream of text into complete top-level JSON texts by tracking string
 * and bracket state. Text that is not inside an object or array and is not
 * whitespace (for instance a bare `garbage` token) is returned as its own
 * "text" so the caller can report a parse error for it, as QEMU does.
 */
export class JsonTextSplitter {
  private buffer = "";
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  /** Feeds a chunk; returns the texts completed by it, in order. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    let i = this.scanned;
    for (; i < this.buffer.length; i++) {
      const c = this.buffer[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === "\\") this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (this.depth === 0) {
        if (c === "{" || c === "[") {
          this.start = i;
          this.depth = 1;
        } else if (!/\s/.test(c)) {
          // A stray token outside any object: hand it over up to the next
          // whitespace or bracket so it can be answered with an error.
          let j = i;
          while (j < this.buffer.length && !/[\s{[]/.test(this.buffer[j]!)) j++;
          out.push(this.buffer.slice(i, j));
          i = j - 1;
        }
        continue;
      }
      if (c === '"') this.inString = true;
      else if (c === "{" || c === "[") this.depth++;
      else if (c === "}" || c === "]") {
        this.depth--;
        if (this.depth === 0) {
          out.push(this.buffer.slice(this.start, i + 1));
          this.start = -1;
        }
      }
    }
    // Keep only the unfinished text so the buffer does not grow without bound.
    if (this.depth === 0) {
      this.buffer = "";
      this.scanned = 0;
    } else {
      this.buffer = this.buffer.slice(this.start);
      this.scanned = this.buffer.length;
      this.start = 0;
    }
    return out;
  }

  /** Text of an unfinished JSON value, if the stream ended inside one. */
  pending(): string {
    return this.depth > 0 ? this.buffer : "";
  }
}
