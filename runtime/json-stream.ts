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
    /** `oversize` / `too-deep` when a limit was hit, `garbage` for text outside any JSON value. */
    readonly reason: "oversize" | "too-deep" | "garbage",
    /** The texts the same chunk completed before the fault, in order (they are still good). */
    readonly completed: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Default largest message, in UTF-16 code units: far above `query-qmp-schema` (≈ 1 MB) yet bounded. */
export const defaultMaxMessageSize = 64 * 1024 * 1024;

/**
 * Deepest nesting of a message: QEMU's own JSON parser takes no more, and its
 * replies nest one or two levels per backing image. Bounding depth here, where
 * every message passes, keeps each later walk (validation, error text, the
 * user's own code) within the stack.
 */
export const maxMessageDepth = 1024;

/**
 * Incremental splitter. Feed chunks with `push`; it returns the JSON texts that
 * completed within the chunk, in order. After an error the splitter is unusable
 * until `reset()`.
 */
export class JsonTextSplitter {
  // The message in progress, as the pieces of the chunks it spans: scanning state is carried
  // from chunk to chunk, so each character is looked at once and a long message costs no
  // repeated concatenation.
  private parts: string[] = [];
  private partsLength = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

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
    let start = this.depth > 0 ? 0 : -1; // where the current message starts in this chunk
    const length = chunk.length;
    let i = 0;
    while (i < length) {
      const c = chunk.charCodeAt(i++);
      if (this.depth === 0) {
        // Between messages: skip whitespace (and a byte-order mark), demand an opening bracket.
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) continue;
        if (c !== 0x7b /* { */ && c !== 0x5b /* [ */) {
          throw new JsonStreamError(
            `unexpected ${JSON.stringify(chunk.slice(i - 1, i + 19))} between JSON messages`,
            "garbage",
            out,
          );
        }
        start = i - 1;
        this.depth = 1;
      } else if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c /* backslash */) this.escaped = true;
        else if (c === 0x22 /* " */) this.inString = false;
      } else if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (++this.depth > maxMessageDepth) throw this.tooDeep(out);
      } else if ((c === 0x7d /* } */ || c === 0x5d) /* ] */ && --this.depth === 0) {
        if (this.partsLength + (i - start) > this.maxMessageSize) throw this.oversize(out);
        const piece = chunk.slice(start, i);
        out.push(this.parts.length === 0 ? piece : this.parts.join("") + piece);
        this.parts = [];
        this.partsLength = 0;
        start = -1;
      }
    }
    if (this.depth > 0) {
      this.partsLength += length - start;
      if (this.partsLength > this.maxMessageSize) throw this.oversize(out);
      this.parts.push(chunk.slice(start));
    }
    return out;
  }

  /** Forgets any partial message (after an error, or at the guest agent's 0xFF sentinel). */
  reset(): void {
    this.parts = [];
    this.partsLength = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  private tooDeep(completed: string[]): JsonStreamError {
    this.reset();
    return new JsonStreamError(`message nested deeper than ${maxMessageDepth} levels`, "too-deep", completed);
  }

  private oversize(completed: string[]): JsonStreamError {
    const error = new JsonStreamError(
      `message exceeds the size limit of ${this.maxMessageSize} characters`,
      "oversize",
      completed,
    );
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
