/**
 * Cuts a stream of text into complete JSON texts: the project's one splitter,
 * for the client's socket (runtime/framing.ts), the mock server's
 * (runtime/mock/connection.ts) and recorded conversations
 * (runtime/conversation-log.ts for replay and `validate-log`;
 * `splitJsonTexts` for introspection from libvirt's replies files).
 *
 * QEMU ends every message with CRLF (qmp-spec "General Definitions"), but a
 * monitor with `pretty=on` spreads one object over many lines, a chunk read from
 * a socket can hold several messages or a fraction of one, and a recorded
 * conversation may be JSON Lines or concatenated pretty-printed objects. So the
 * splitter does not look for line ends: it tracks string and bracket nesting and
 * emits a text whenever a top-level object or array closes. Each text carries
 * the line it starts on.
 *
 * What is not a message, for every reader alike:
 * - Between messages, whitespace (space, tab, CR, LF), a byte-order mark and
 *   the guest agent's sync byte 0xFF read as text (U+00FF, or U+FFFD once
 *   decoded as UTF-8) are skipped.
 * - `garbage`: any other text between messages. It runs to the end of its line
 *   or to the next `{` or `[`, where a message can start (QEMU's own lexer
 *   resynchronises at these too), and is one fault, reported where it starts
 *   (a server answers it at once), quoting what of it that chunk holds.
 * - `broken`: a message that cannot become JSON: a string reaching a line break
 *   (a JSON string holds none raw), or a `{` at the start of a line while a
 *   message is open (the next message: inside a pretty-printed one, nested
 *   lines are indented, in QEMU's `pretty=on` output as in recorded logs). The
 *   open message is dropped; reading resumes at the next line that starts with
 *   `{` (for the second kind, that very line).
 * - `oversize`: a message longer than the limit. It is reported as soon as it
 *   passes the limit and not kept; if it has not ended, reading resumes as
 *   after a broken one.
 * - `too-deep`: a message nested deeper than `maxMessageDepth`, reported at
 *   the first level too many and not kept (scanned to its end, as an
 *   oversize one). Bounding depth here, where every message passes, keeps
 *   each later walk (validation, error text, the user's own code) within the
 *   stack.
 * - `truncated` (from `finish`): the stream ended inside a message.
 * What a fault means is the reader's choice, not the splitter's: the client
 * (`push`) stops at the first one, since a QEMU never sends one and the stream
 * can no longer be trusted; the mock answers it with an error and reads on, as
 * QEMU does; a log reader reports it at its line and reads on.
 *
 * Data flow: transport bytes → (runtime/framing.ts decodes UTF-8 and handles
 * the guest agent's 0xFF sentinel) → `JsonTextSplitter` → message texts →
 * runtime/json.ts `parseJson` → runtime/messages.ts `classifyMessage`.
 */

/** Why a stretch of the stream is not a message; see the module comment. */
export type JsonStreamFaultReason = "garbage" | "broken" | "oversize" | "too-deep" | "truncated";

/** A stretch of the stream that is not a message. */
export interface JsonStreamFault {
  readonly reason: JsonStreamFaultReason;
  /** What is wrong, in words. */
  readonly message: string;
  /** The start of the unusable text (at most `faultTextLength` characters; garbage trimmed of whitespace). */
  readonly text: string;
  /** The 1-based line it starts on; 0 when the splitter does not count lines. */
  readonly line: number;
}

/** Options of a `JsonTextSplitter`. */
export interface JsonTextSplitterOptions {
  /** Largest message accepted, in characters; larger ones are `oversize` faults. */
  readonly maxMessageSize?: number | undefined;
  /**
   * Count lines, so that texts and faults carry the line they start on (a log
   * reader's findings need them; the client's and the mock's do not, and save
   * the counting).
   */
  readonly countLines?: boolean | undefined;
}

/** Where a tolerant reader's texts and faults go, in stream order. */
export interface JsonStreamSink {
  /** A complete JSON text (not yet parsed) and the 1-based line it starts on (0 when lines are not counted). */
  text(text: string, line: number): void;
  fault(fault: JsonStreamFault): void;
}

/** Raised by the stopping readers (`push`, `splitJsonTexts`) at the first fault. */
export class JsonStreamError extends Error {
  override readonly name = "JsonStreamError";
  constructor(
    message: string,
    /** Which fault stopped reading; see the module comment. */
    readonly reason: JsonStreamFaultReason,
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
 * replies nest one or two levels per backing image.
 */
export const maxMessageDepth = 1024;

/** How much of an unusable stretch a fault quotes. */
export const faultTextLength = 200;

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** The guest agent's sync byte as text (Latin-1 or decoded UTF-8), and a byte-order mark. */
const isDelimiter = (c: number) => c === 0xff || c === 0xfffd || c === 0xfeff;

/**
 * Incremental splitter. A tolerant reader feeds chunks with `read` and ends
 * with `finish`; a stopping one uses `push`, which throws at the first fault.
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
  /** The open message passed the limit: scanned to its end, not kept. */
  private discarding = false;
  /** After a broken message: skip to a line that starts with `{`. */
  private skipping = false;
  /** Inside garbage (already reported): skip to a line end, `{` or `[`. */
  private inGarbage = false;
  /** The line of the message in progress. */
  private textLine = 0;
  /** Lines: `line` is the line at index `lineCountedTo` of the current chunk. */
  private line = 1;
  private lineCountedTo = 0;
  /** Whether the chunk before this one ended at a line start (only sync bytes since the last LF). */
  private atLineStartBefore = true;

  readonly maxMessageSize: number;
  private readonly countLines: boolean;
  // push()'s sink, made once: the client calls push for every chunk.
  private readonly collector = new Collector();

  /** @param options the size limit (a number, as before options), or options */
  constructor(options: number | JsonTextSplitterOptions = {}) {
    const o = typeof options === "number" ? { maxMessageSize: options } : options;
    this.maxMessageSize = o.maxMessageSize ?? defaultMaxMessageSize;
    this.countLines = o.countLines ?? false;
  }

  /** True while a message has begun but not ended (e.g. the stream stopped mid-message). */
  get hasPartialMessage(): boolean {
    return this.depth > 0;
  }

  /**
   * Adds a chunk and returns the JSON texts it completed, stopping at the first fault.
   * @throws JsonStreamError at the first fault, with the texts completed before it
   */
  push(chunk: string): string[] {
    const collector = this.collector;
    collector.texts = [];
    try {
      this.read(chunk, collector);
    } catch (error) {
      if (!(error instanceof JsonStreamError)) throw error;
      // The splitter stopped mid-chunk: start afresh if the caller reads on after all.
      this.reset();
      throw error;
    }
    return collector.texts;
  }

  /** Adds a chunk; its texts and faults go to `sink` in stream order. */
  read(chunk: string, sink: JsonStreamSink): void {
    const length = chunk.length;
    // Where the kept message starts in this chunk; -1 when none is kept.
    let start = this.depth > 0 && !this.discarding ? 0 : -1;
    let i = 0;
    // The client's hot path: the branches inside a message come first and stay small.
    while (i < length) {
      const c = chunk.charCodeAt(i++);
      if (this.depth === 0) {
        if (c === SPACE || c === LF || c === CR || c === TAB) {
          if (!this.inGarbage || c !== LF) continue;
        }
        if ((c === OPEN_BRACE || c === OPEN_BRACKET) && !this.skipping && !this.inGarbage) {
          // The next message, the common case: what begin() does, inline.
          start = i - 1;
          this.depth = 1;
          if (this.countLines) this.textLine = this.lineAt(chunk, start);
        } else start = this.between(chunk, i - 1, c, sink);
      } else if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        else if (c === LF) {
          this.drop(sink, "a string runs past the end of its line", chunk, start, i - 1);
          this.skipping = true;
          start = -1;
        }
      } else if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        // Nested lines of a message are indented: a `{` that begins a line is the next message.
        if (c === OPEN_BRACE && this.mayStartLine(chunk, i - 1) && this.atLineStart(chunk, i - 1)) {
          const next = this.countLines ? ` on line ${this.lineAt(chunk, i - 1)}` : "";
          this.drop(sink, `the message does not end before the next one starts${next}`, chunk, start, i - 1);
          start = this.begin(chunk, i - 1);
        } else if (++this.depth > maxMessageDepth && !this.discarding) {
          sink.fault(this.tooDeep(chunk, start, i));
          this.clearParts();
          this.discarding = true;
          start = -1;
        }
      } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --this.depth === 0) {
        if (this.discarding) this.discarding = false;
        else if (this.partsLength + (i - start) > this.maxMessageSize) {
          sink.fault(this.oversize(chunk, start, i));
          this.clearParts();
        } else {
          const piece = chunk.slice(start, i);
          const text = this.parts.length === 0 ? piece : this.parts.join("") + piece;
          this.clearParts();
          sink.text(text, this.textLine);
        }
        start = -1;
      }
    }
    if (this.depth > 0 && start >= 0) {
      this.partsLength += length - start;
      if (this.partsLength > this.maxMessageSize) {
        sink.fault(this.oversize(chunk, start, length));
        this.clearParts();
        this.discarding = true;
      } else this.parts.push(start === 0 ? chunk : chunk.slice(start));
    }
    this.endChunk(chunk);
  }

  /**
   * One character `c` at `index` outside any message (whitespace outside garbage never gets
   * here): skipping after a broken message, garbage, or the start of a message.
   * @returns where a message starts in the chunk, or -1
   */
  private between(chunk: string, index: number, c: number, sink: JsonStreamSink): number {
    if (this.skipping) {
      if (c !== OPEN_BRACE || !this.atLineStart(chunk, index)) return -1;
      this.skipping = false;
      return this.begin(chunk, index);
    }
    if (this.inGarbage) {
      if (c !== LF && c !== OPEN_BRACE && c !== OPEN_BRACKET) return -1;
      this.inGarbage = false;
      return c === LF ? -1 : this.begin(chunk, index);
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) return this.begin(chunk, index);
    if (!isDelimiter(c)) {
      this.inGarbage = true;
      sink.fault(this.garbageFault(chunk, index));
    }
    return -1;
  }

  /** Ends the stream: a message still open is reported. */
  finish(sink: JsonStreamSink): void {
    if (this.depth > 0 && !this.discarding) {
      const text = this.parts.join("").slice(0, faultTextLength);
      sink.fault({ reason: "truncated", message: "the text ends inside a JSON message", text, line: this.textLine });
    }
    this.reset();
  }

  /** Forgets any partial message or garbage (after an error, or at the guest agent's 0xFF sentinel). */
  reset(): void {
    this.clearParts();
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.discarding = false;
    this.skipping = false;
    this.inGarbage = false;
  }

  /** Starts a message at `index`; returns `index`. */
  private begin(chunk: string, index: number): number {
    this.depth = 1;
    this.inString = false;
    this.escaped = false;
    this.discarding = false;
    this.textLine = this.lineAt(chunk, index);
    return index;
  }

  private clearParts(): void {
    this.parts = [];
    this.partsLength = 0;
  }

  /** Reports the open message as broken (unless it was already reported as oversize) and forgets it. */
  private drop(sink: JsonStreamSink, message: string, chunk: string, start: number, end: number): void {
    if (!this.discarding) {
      const text = (this.parts.join("") + chunk.slice(Math.max(start, 0), end)).slice(0, faultTextLength);
      sink.fault({ reason: "broken", message, text, line: this.textLine });
    }
    this.clearParts();
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.discarding = false;
  }

  private tooDeep(chunk: string, start: number, end: number): JsonStreamFault {
    return {
      reason: "too-deep",
      message: `message nested deeper than ${maxMessageDepth} levels`,
      text: (this.parts.length > 0 ? this.parts[0]! : chunk.slice(start, end)).slice(0, faultTextLength),
      line: this.textLine,
    };
  }

  private oversize(chunk: string, start: number, end: number): JsonStreamFault {
    const head = this.parts.length > 0 ? this.parts[0]! : chunk.slice(start, end);
    return {
      reason: "oversize",
      message: `message exceeds the size limit of ${this.maxMessageSize} characters`,
      text: head.slice(0, faultTextLength),
      line: this.textLine,
    };
  }

  /** The garbage starting at `index`, as far as this chunk holds it. */
  private garbageFault(chunk: string, index: number): JsonStreamFault {
    let end = index;
    const limit = Math.min(chunk.length, index + faultTextLength);
    for (; end < limit; end++) {
      const c = chunk.charCodeAt(end);
      if (c === LF || c === OPEN_BRACE || c === OPEN_BRACKET) break;
    }
    const text = chunk.slice(index, end).trim();
    return {
      reason: "garbage",
      message: `unexpected ${JSON.stringify(text.slice(0, 20))} between JSON messages`,
      text,
      line: this.lineAt(chunk, index),
    };
  }

  /** A quick pre-test of `atLineStart` (most `{` follow `:`, `,` or a space). */
  private mayStartLine(chunk: string, index: number): boolean {
    if (index === 0) return true;
    const before = chunk.charCodeAt(index - 1);
    return before === LF || before >= 0xff;
  }

  /** True when `index` begins a line: only sync bytes between it and the last line feed. */
  private atLineStart(chunk: string, index: number): boolean {
    let j = index - 1;
    while (j >= 0 && isDelimiter(chunk.charCodeAt(j))) j--;
    return j < 0 ? this.atLineStartBefore : chunk.charCodeAt(j) === LF;
  }

  /** The line of `index` in the current chunk (indices asked for only grow within a chunk). */
  private lineAt(chunk: string, index: number): number {
    if (!this.countLines) return 0;
    let at = chunk.indexOf("\n", this.lineCountedTo);
    while (at !== -1 && at < index) {
      this.line++;
      at = chunk.indexOf("\n", at + 1);
    }
    this.lineCountedTo = index;
    return this.line;
  }

  private endChunk(chunk: string): void {
    if (this.countLines) {
      this.lineAt(chunk, chunk.length);
      this.lineCountedTo = 0;
    }
    let j = chunk.length - 1;
    while (j >= 0 && isDelimiter(chunk.charCodeAt(j))) j--;
    if (j >= 0) this.atLineStartBefore = chunk.charCodeAt(j) === LF;
  }
}

/** push()'s sink: the texts before the first fault, which it throws. */
class Collector implements JsonStreamSink {
  texts: string[] = [];

  text(text: string): void {
    this.texts.push(text);
  }

  // Stops reading at once: what follows the first fault is not looked at.
  fault(fault: JsonStreamFault): void {
    throw new JsonStreamError(fault.message, fault.reason, this.texts);
  }
}

/**
 * Splits a whole text (a recorded conversation: JSON Lines or concatenated,
 * possibly pretty-printed objects) into its JSON texts.
 * @throws JsonStreamError at the first fault, an unterminated last message included
 */
export function splitJsonTexts(text: string, maxMessageSize?: number): string[] {
  const splitter = new JsonTextSplitter(maxMessageSize);
  const texts = splitter.push(text);
  splitter.finish({
    text: () => {},
    fault: (fault) => {
      throw new JsonStreamError(fault.message, fault.reason, texts);
    },
  });
  return texts;
}
