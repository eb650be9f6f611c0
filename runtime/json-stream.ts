/**
 * Cuts a stream of text into complete JSON texts.
 *
 * QEMU ends every message with CRLF (qmp-spec "General Definitions"), but a
 * monitor with `pretty=on` spreads one object over many lines, a chunk read from
 * a socket can hold several messages or a fraction of one, and a recorded
 * conversation may be JSON Lines or concatenated pretty-printed objects. So the
 * splitter does not look for line ends: it tracks string and bracket nesting and
 * emits a text whenever a top-level object or array closes. Whitespace between
 * values (CR, LF, space, tab) is skipped; anything else between values is an error.
 *
 * Data flow: transport bytes → (runtime/byte-framing.ts decodes UTF-8 and
 * handles the guest agent's 0xFF sentinel) → `JsonTextSplitter.push` → message
 * texts → runtime/json.ts `parseJson` → the client. Also used by the
 * `validate-log` tool to read recorded conversations.
 */

/** Raised when the stream cannot hold JSON values: a stray character, or a message over the size limit. */
export class JsonStreamError extends Error {
  override readonly name = "JsonStreamError";
  constructor(
    message: string,
    /** `oversize` when the limit was hit, `garbage` for text outside any JSON value. */
    readonly reason: "oversize" | "garbage",
  ) {
    super(message);
  }
}

/** Default largest message, in UTF-16 code units: far above `query-qmp-schema` (≈ 1 MB) yet bounded. */
export const defaultMaxMessageSize = 64 * 1024 * 1024;

/**
 * Incremental splitter. Feed chunks with `push`; it returns the JSON texts that
 * completed within the chunk, in order. After an error the splitter is unusable
 * until `reset()`.
 */
export class JsonTextSplitter {
  private pending = ""; // text of the message in progress (from its first bracket)
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scanned = 0; // how much of `pending` has been scanned already

  /** @param maxMessageSize largest message accepted, in characters; larger ones raise JsonStreamError. */
  constructor(readonly maxMessageSize: number = defaultMaxMessageSize) {}

  /** True while a message has begun but not ended (e.g. the stream stopped mid-message). */
  get hasPartialMessage(): boolean {
    return this.depth > 0;
  }

  /**
   * Adds a chunk and returns the JSON texts completed by it.
   * @throws JsonStreamError on text outside a JSON object/array, or a message longer than the limit.
   */
  push(chunk: string): string[] {
    const out: string[] = [];
    let text = this.pending + chunk;
    let i = this.scanned;
    let start = this.depth > 0 ? 0 : -1;
    const length = text.length;
    while (i < length) {
      if (this.depth === 0) {
        // Between messages: skip whitespace, demand an opening bracket.
        const c = text.charCodeAt(i);
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          i++;
          continue;
        }
        if (c !== 0x7b /* { */ && c !== 0x5b /* [ */) {
          throw new JsonStreamError(`unexpected ${JSON.stringify(text.slice(i, i + 20))} between JSON messages`, "garbage");
        }
        start = i;
        this.depth = 1;
        i++;
        continue;
      }
      if (this.inString) {
        const c = text.charCodeAt(i++);
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c /* backslash */) this.escaped = true;
        else if (c === 0x22 /* " */) this.inString = false;
        continue;
      }
      const c = text.charCodeAt(i++);
      if (c === 0x22 /* " */) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
        if (--this.depth === 0) {
          if (i - start > this.maxMessageSize) throw this.oversize();
          out.push(text.slice(start, i));
          start = -1;
        }
      }
    }
    if (this.depth > 0) {
      this.pending = text.slice(start);
      this.scanned = length - start;
      if (this.pending.length > this.maxMessageSize) throw this.oversize();
    } else {
      this.pending = "";
      this.scanned = 0;
    }
    text = "";
    return out;
  }

  /** Forgets any partial message (after an error, or at the guest agent's 0xFF sentinel). */
  reset(): void {
    this.pending = "";
    this.scanned = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  private oversize(): JsonStreamError {
    const error = new JsonStreamError(`message exceeds the size limit of ${this.maxMessageSize} characters`, "oversize");
    this.reset();
    return error;
  }
}

/**
 * Splits a whole text (a recorded conversation: JSON Lines or concatenated,
 * possibly pretty-printed objects) into its JSON texts.
 * @throws JsonStreamError on stray text or an unterminated last message.
 */
export function splitJsonTexts(text: string, maxMessageSize?: number): string[] {
  const splitter = new JsonTextSplitter(maxMessageSize);
  const texts = splitter.push(text);
  if (splitter.hasPartialMessage) throw new JsonStreamError("the text ends inside a JSON message", "garbage");
  return texts;
}
