/**
 * Bytes ↔ JSON values for the mock QMP server.
 *
 * Incoming text from a client is cut into whole JSON texts by `JsonTextSplitter`
 * (QMP allows several texts per chunk, one text over several chunks, with or
 * without newlines between them); each text is then parsed by `decodeWire`.
 * The splitter is the mock's own rather than runtime/json-stream.ts's because a
 * server must survive garbage (QEMU answers it with an error and reads on),
 * where the client's splitter rightly stops; values go through the runtime's
 * lossless JSON (runtime/json.ts).
 * Outgoing values are written by `encodeWire`, one text per line as QEMU does.
 * The session (session.ts) is the only user; the log module reuses the splitter
 * to read pretty-printed logs.
 */

import { parseJson, stringifyJson } from "../json.js";
import { defaultMaxMessageSize, maxMessageDepth } from "../json-stream.js";

/** A JSON value as the mock handles it; 64-bit integers beyond 2^53 may be bigints. */
export type WireValue = null | boolean | number | bigint | string | WireValue[] | { [key: string]: WireValue };

/** A JSON object on the wire. */
export type WireObject = { [key: string]: WireValue };

/**
 * Serialises a value as one JSON text, bigints as exact integers (handlers may
 * return QAPI `int64`/`uint64` values a double cannot hold). The runtime's
 * lossless writer, so client and mock agree byte for byte.
 */
export function encodeWire(value: unknown): string {
  return stringifyJson(value);
}

/**
 * Parses one JSON text; integers a double cannot hold exactly come back as
 * bigints, so recorded values survive a record → replay round trip unchanged.
 * @throws SyntaxError when the text is not JSON.
 */
export function decodeWire(text: string): WireValue {
  return parseJson(text) as WireValue;
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

  /**
   * Feeds a chunk; returns the texts completed by it, in order. A message over
   * the runtime's size or depth limit (runtime/json-stream.ts) is handed over
   * unfinished, as a text that fails to parse, and forgotten: a client cannot
   * grow the mock without bound.
   */
  push(chunk: string): string[] {
    // Characters are read from the chunk, never from the concatenated buffer: indexing that
    // would flatten it at every chunk, a cost growing with the unfinished message.
    const base = this.buffer.length;
    this.buffer += chunk;
    const out: string[] = [];
    let i = this.scanned;
    for (; i < this.buffer.length; i++) {
      const c = i >= base ? chunk[i - base]! : this.buffer[i]!;
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
      else if (c === "{" || c === "[") {
        if (++this.depth > maxMessageDepth) return this.giveUp(out);
      } else if (c === "}" || c === "]") {
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
      if (this.start > 0) this.buffer = this.buffer.slice(this.start);
      this.scanned = this.buffer.length;
      this.start = 0;
      if (this.buffer.length > defaultMaxMessageSize) return this.giveUp(out);
    }
    return out;
  }

  /** Hands over the start of the unfinished message (it fails to parse) and forgets the rest. */
  private giveUp(out: string[]): string[] {
    out.push(this.buffer.slice(this.start, this.start + 200));
    this.buffer = "";
    this.scanned = 0;
    this.start = -1;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    return out;
  }

  /** Text of an unfinished JSON value, if the stream ended inside one. */
  pending(): string {
    return this.depth > 0 ? this.buffer : "";
  }
}
