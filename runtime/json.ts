/**
 * Lossless JSON for QMP messages.
 *
 * QAPI's `int64`, `uint64` and `size` values can exceed 2^53 − 1, where
 * `JSON.parse` silently rounds (18446744073709551615 becomes 18446744073709552000).
 * `parseJson` keeps such integers exact as `bigint`; every other value comes out
 * exactly as `JSON.parse` would give it. `stringifyJson` writes a `bigint` as
 * plain digits, so a value read from QEMU can be sent back unchanged.
 *
 * Cost: an integer beyond the safe range has at least 16 digits, so a text with
 * no run of 16 digits takes the plain `JSON.parse` path after a sampled scan
 * (`hasLongDigitRun`).
 * Only texts with such a run go through the hand-written parser below (Node 20's
 * reviver gets no source text, so a reviver cannot recover the digits).
 *
 * Data flow: runtime/json-stream.ts cuts the byte stream into message texts →
 * `parseJson` → runtime/client.ts routes the values; outgoing commands go through
 * `stringifyJson` to the transport.
 */

/**
 * True when the text holds a run of 16 or more ASCII digits (a possible unsafe
 * integer). Any such run covers exactly one index ≡ 15 (mod 16) of each 16 it
 * spans, so only every 16th character is looked at, plus the digits around a
 * hit: about a tenth of the cost of JSON.parse on ordinary messages, where a
 * regex scan of every character costs a third.
 */
function hasLongDigitRun(text: string): boolean {
  const n = text.length;
  for (let i = 15; i < n; i += 16) {
    let c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) continue;
    let start = i;
    let end = i + 1;
    while (start > 0 && (c = text.charCodeAt(start - 1)) >= 0x30 && c <= 0x39) start--;
    while (end < n && (c = text.charCodeAt(end)) >= 0x30 && c <= 0x39) end++;
    if (end - start >= 16) return true;
    // Continue at the first sampled index after the run (the loop adds 16).
    i = end + ((15 - end) & 15) - 16;
  }
  return false;
}

/**
 * Parses one JSON text, keeping integers outside ±(2^53 − 1) exact as `bigint`.
 * A `"__proto__"` member becomes an own property, never the object's prototype.
 * @throws SyntaxError when the text is not valid JSON (the message gives the offset).
 */
export function parseJson(text: string): unknown {
  if (!hasLongDigitRun(text)) return JSON.parse(text);
  return new LosslessParser(text).parseDocument();
}

/**
 * Writes a value as JSON like `JSON.stringify` (compact, or indented by
 * `space`), except that a `bigint` is written as its plain digits instead of throwing.
 * @throws TypeError on a circular structure.
 */
export function stringifyJson(value: unknown, space?: number): string {
  try {
    return JSON.stringify(value, null, space) ?? "null";
  } catch (error) {
    // JSON.stringify refuses bigint with a TypeError; only then take the bigint-aware path.
    if (error instanceof TypeError && /bigint/i.test(error.message)) return stringifyWithBigInts(value, space);
    throw error;
  }
}

/**
 * JSON.stringify with each bigint first written as a marked string, then the
 * marks replaced by the digits. JSON.stringify keeps its own rules (toJSON,
 * skipped members, null for non-finite numbers, circular structures) and its
 * depth handling: a recursive writer of our own overflowed the stack on deep
 * values. The mark starts with a NUL and a random nonce, so no string in the
 * value can pose as one.
 */
function stringifyWithBigInts(value: unknown, space: number | undefined): string {
  const nonce = `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const prefix = `\u0000${nonce}:`;
  const text =
    JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? prefix + v.toString() : v), space) ?? "null";
  // JSON.stringify writes the NUL as the six characters \u0000.
  return text.replace(new RegExp(`"\\\\u0000${nonce}:(-?\\d+)"`, "g"), "$1");
}

const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);
const minSafe = -maxSafe;

/**
 * Parser over the RFC 8259 grammar; used only for texts with long digit runs.
 * It keeps open containers on an explicit stack rather than recursing, so, like
 * JSON.parse, it takes any nesting depth the text has (the message size limit of
 * runtime/json-stream.ts bounds it) instead of overflowing the call stack.
 */
class LosslessParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    /** Open containers, innermost last; an object's entry holds the member name being read. */
    const open: ({ array: unknown[] } | { object: Record<string, unknown>; key: string })[] = [];
    this.skipSpace();
    for (;;) {
      // A value starts here: open a container, or read a scalar.
      let value: unknown;
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x7b /* { */) {
        this.pos++;
        this.skipSpace();
        if (this.text.charCodeAt(this.pos) !== 0x7d /* } */) {
          open.push({ object: {}, key: this.memberName() });
          continue;
        }
        this.pos++;
        value = {};
      } else if (c === 0x5b /* [ */) {
        this.pos++;
        this.skipSpace();
        if (this.text.charCodeAt(this.pos) !== 0x5d /* ] */) {
          open.push({ array: [] });
          continue;
        }
        this.pos++;
        value = [];
      } else value = this.parseScalar(c);
      // The value is complete: store it in its container, closing containers that end here.
      for (;;) {
        const top = open[open.length - 1];
        this.skipSpace();
        if (!top) {
          if (this.pos !== this.text.length) this.fail("unexpected text after the JSON value");
          return value;
        }
        const next = this.text.charCodeAt(this.pos++);
        if ("array" in top) {
          top.array.push(value);
          if (next === 0x2c /* , */) break;
          if (next !== 0x5d /* ] */) (this.pos--, this.fail("expected ',' or ']'"));
          value = top.array;
        } else {
          // Plain assignment of "__proto__" would replace the prototype; JSON.parse makes an own property.
          if (top.key === "__proto__")
            Object.defineProperty(top.object, top.key, { value, writable: true, enumerable: true, configurable: true });
          else top.object[top.key] = value;
          if (next === 0x2c /* , */) {
            this.skipSpace();
            top.key = this.memberName();
            break;
          }
          if (next !== 0x7d /* } */) (this.pos--, this.fail("expected ',' or '}'"));
          value = top.object;
        }
        open.pop();
      }
      this.skipSpace();
    }
  }

  /** Reads `"name" :` and the space after it. */
  private memberName(): string {
    if (this.text.charCodeAt(this.pos) !== 0x22) this.fail("expected a member name");
    const key = this.parseString();
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== 0x3a /* : */) this.fail("expected ':'");
    this.pos++;
    this.skipSpace();
    return key;
  }

  private parseScalar(c: number): unknown {
    if (c === 0x22 /* " */) return this.parseString();
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
    if (this.text.startsWith("true", this.pos)) return ((this.pos += 4), true);
    if (this.text.startsWith("false", this.pos)) return ((this.pos += 5), false);
    if (this.text.startsWith("null", this.pos)) return ((this.pos += 4), null);
    return this.fail("unexpected token");
  }

  private parseString(): string {
    const start = this.pos;
    let end = start + 1;
    // Find the closing quote, skipping escaped characters, then let JSON.parse decode escapes.
    for (;;) {
      const c = this.text.charCodeAt(end);
      if (Number.isNaN(c)) this.fail("unterminated string");
      if (c === 0x22) break;
      end += c === 0x5c /* \ */ ? 2 : 1;
    }
    this.pos = end + 1;
    const raw = this.text.slice(start, end + 1);
    return raw.includes("\\") || /[\u0000-\u001f]/.test(raw) ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  private parseNumber(): number | bigint {
    const match = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
    match.lastIndex = this.pos;
    const found = match.exec(this.text);
    if (!found || found[0] === "-") return this.fail("invalid number");
    this.pos += found[0].length;
    const literal = found[0];
    if (found[1] === undefined && found[2] === undefined && literal.length >= 16) {
      const big = BigInt(literal);
      if (big > maxSafe || big < minSafe) return big;
    }
    return Number(literal);
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }

  private fail(what: string): never {
    throw new SyntaxError(`JSON parse error at offset ${this.pos}: ${what}`);
  }
}
