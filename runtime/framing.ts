/**
 * Bytes in, parsed messages out: the reading half of the QMP framing.
 *
 * Decodes UTF-8 across chunk boundaries, hands the text to the JSON splitter
 * (runtime/json-stream.ts) and parses each complete text losslessly
 * (runtime/json.ts). For the guest agent it also honours the 0xFF sentinel that
 * `guest-sync-delimited` puts before its reply: 0xFF never occurs in UTF-8, so
 * it always marks a clean message boundary; while `discardUntilSentinel` is set,
 * everything before the next 0xFF is stale output of an earlier client and is
 * dropped (qmp-spec "QGA Synchronization").
 *
 * Data flow: transport `data` chunks → `MessageReader.push` → parsed values →
 * runtime/client.ts.
 */
import { StringDecoder } from "node:string_decoder";
import { JsonStreamError, JsonTextSplitter, defaultMaxMessageSize } from "./json-stream.js";
import { parseJson } from "./json.js";
import { ParseError } from "./errors.js";

/** Options of a `MessageReader`. */
export interface MessageReaderOptions {
  /** Largest accepted message in characters (default 64 Mi). */
  maxMessageSize?: number | undefined;
  /** Treat 0xFF bytes as resynchronisation points (guest agent). */
  sentinel?: boolean | undefined;
}

/** Incremental reader: feed byte chunks, get parsed messages. */
export class MessageReader {
  private decoder = new StringDecoder("utf8");
  private readonly splitter: JsonTextSplitter;
  private readonly sentinel: boolean;
  /** Guest agent: drop input until the next 0xFF byte; cleared when one arrives. */
  discardUntilSentinel = false;
  /** Counts 0xFF sentinels seen (guest agent). */
  sentinelsSeen = 0;

  constructor(options: MessageReaderOptions = {}) {
    this.splitter = new JsonTextSplitter(options.maxMessageSize ?? defaultMaxMessageSize);
    this.sentinel = options.sentinel ?? false;
  }

  /**
   * The fault that ended reading, once one happened: set by `push`, which still
   * returns the messages completed before it (they precede the fault on the wire).
   */
  failure: ParseError | undefined;

  /**
   * Adds a chunk and returns the messages it completed, in order. After a fault
   * (invalid JSON, text outside a message, a message over the size limit) it
   * returns the messages before the fault and sets `failure`; later input is ignored.
   */
  push(chunk: Buffer): unknown[] {
    if (this.failure) return [];
    const out: unknown[] = [];
    if (!this.sentinel) {
      this.parseTexts(this.decoder.write(chunk), out);
      return out;
    }
    let rest = chunk;
    while (!this.failure) {
      const mark = rest.indexOf(0xff);
      const before = mark === -1 ? rest : rest.subarray(0, mark);
      if (!this.discardUntilSentinel && before.length > 0) this.parseTexts(this.decoder.write(before), out);
      if (mark === -1 || this.failure) break;
      // A sentinel: whatever partial text came before it is void.
      this.discardUntilSentinel = false;
      this.sentinelsSeen++;
      this.splitter.reset();
      this.decoder = new StringDecoder("utf8");
      rest = rest.subarray(mark + 1);
    }
    return out;
  }

  /** True when the input stopped inside a message. */
  get hasPartialMessage(): boolean {
    return this.splitter.hasPartialMessage;
  }

  private parseTexts(text: string, out: unknown[]): void {
    let texts: readonly string[];
    let streamError: JsonStreamError | undefined;
    try {
      texts = this.splitter.push(text);
    } catch (error) {
      if (!(error instanceof JsonStreamError)) throw error;
      streamError = error;
      texts = error.completed;
    }
    for (const one of texts) {
      try {
        out.push(parseJson(one));
      } catch (error) {
        this.failure = new ParseError(`invalid JSON from the server: ${(error as Error).message}`, one.slice(0, 200), {
          cause: error,
        });
        return;
      }
    }
    if (streamError) this.failure = new ParseError(streamError.message, text.slice(0, 200), { cause: streamError });
  }
}
