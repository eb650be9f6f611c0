/**
 * Reads a recorded QMP conversation for `validate-log` (validate-log.ts): the
 * file is read in chunks and cut into JSON texts as it goes, so a log of any
 * length costs memory for one message, not for the file.
 *
 * A log holds JSON Lines or concatenated (also pretty-printed) JSON texts; the
 * cutter tracks strings and brackets, so a message may span lines. A log is
 * also a record of whatever went over the wire, so it may be malformed; the
 * cutter reports each malformed stretch as a text with a `problem` at its line
 * and goes on with the next message:
 * - text between messages: skipped up to the next line that starts with `{`;
 * - a string that runs past its line (JSON strings cannot hold a raw newline):
 *   the message is dropped, and reading resumes at the next line starting with `{`;
 * - a message still open when a line starts with `{` in its first column (the
 *   start of the next message: inside a pretty-printed message, lines are
 *   indented): the open message is dropped;
 * - a message over the size limit, or one still open at the end of the log.
 * The guest agent's 0xFF sync delimiter (read as U+00FF or U+FFFD) before a
 * message, and a byte-order mark, are skipped. Each text carries the line it
 * starts on; validate-log.ts parses and checks it.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { defaultMaxMessageSize } from "../../runtime/json-stream.js";
import { UserFacingError } from "../errors.js";

/** One message of a log: its text and first line, or what was wrong at that line (then `text` is ""). */
export interface LogText {
  readonly text: string;
  readonly line: number;
  readonly problem?: string;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** The guest agent's delimiter byte as a decoder reads it, and a byte-order mark. */
const isDelimiter = (c: number) => c === 0xff || c === 0xfffd || c === 0xfeff;

/** Incremental cutter; see the module comment. Feed chunks with push(), then call end(). */
export class LogSplitter {
  private line = 1;
  /** True while only delimiters were seen since the last line break. */
  private atLineStart = true;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The open message's pieces from earlier chunks. */
  private parts: string[] = [];
  private partsLength = 0;
  private textLine = 0;
  /** After a malformed stretch: skip up to a line starting with `{`. */
  private skipping = false;

  /** @param maxMessageSize the largest message, in characters */
  constructor(readonly maxMessageSize: number = defaultMaxMessageSize) {}

  /** Adds a chunk; returns the texts (and problems) it completed, in order. */
  push(chunk: string): LogText[] {
    const out: LogText[] = [];
    let start = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      const lineStart = this.atLineStart;
      if (c === LF) {
        this.line++;
        this.atLineStart = true;
      } else if (!(lineStart && isDelimiter(c))) {
        this.atLineStart = false;
      }
      if (this.skipping) {
        if (!(lineStart && c === OPEN_BRACE)) continue;
        this.skipping = false;
      }
      if (this.depth === 0) {
        if (c === SPACE || c === LF || c === CR || c === TAB || isDelimiter(c)) continue;
        if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          start = i;
          this.depth = 1;
          this.textLine = this.line;
          continue;
        }
        out.push({
          text: "",
          line: this.line,
          problem: "text outside any JSON message (skipped up to the next line that starts with '{')",
        });
        this.skipping = true;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        else if (c === LF) {
          this.abandon(out, "a string runs past the end of its line (the message is skipped)");
          start = -1;
        }
        continue;
      }
      if (lineStart && c === OPEN_BRACE) {
        this.abandon(out, `the message does not end before the next one starts on line ${this.line}`);
        this.skipping = false;
        start = i;
        this.depth = 1;
        this.textLine = this.line;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--this.depth === 0) {
          const piece = chunk.slice(start, i + 1);
          if (this.partsLength + piece.length > this.maxMessageSize)
            out.push({ text: "", line: this.textLine, problem: this.oversize() });
          else out.push({ text: this.parts.length > 0 ? this.parts.join("") + piece : piece, line: this.textLine });
          this.parts = [];
          this.partsLength = 0;
          start = -1;
        }
      }
    }
    if (this.depth > 0 && start >= 0) {
      this.partsLength += chunk.length - start;
      if (this.partsLength > this.maxMessageSize) this.abandon(out, this.oversize());
      else this.parts.push(start === 0 ? chunk : chunk.slice(start));
    }
    return out;
  }

  /** Ends the input: a message still open is reported. */
  end(): LogText[] {
    const out: LogText[] = [];
    if (this.depth > 0) this.abandon(out, "the log ends inside this message");
    return out;
  }

  private oversize(): string {
    return `the message is longer than ${this.maxMessageSize} characters (it is skipped)`;
  }

  /** Drops the open message, reporting `problem` at its first line, and skips to the next message. */
  private abandon(out: LogText[], problem: string): void {
    out.push({ text: "", line: this.textLine, problem });
    this.parts = [];
    this.partsLength = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.skipping = true;
  }
}

/** Cuts a whole log held in memory (tests, small inputs); see LogSplitter. */
export function splitLog(text: string): LogText[] {
  const splitter = new LogSplitter();
  return [...splitter.push(text), ...splitter.end()];
}

const chunkSize = 256 * 1024;

/** Largest log read whole (`--schema-from-log`): a recorded `query-qmp-schema` is about 1 MiB. */
export const wholeLogLimit = 256 * 1024 * 1024;

/**
 * Opens a log and checks it is a regular file or a pipe (`<(zcat log.gz)`); a
 * device such as /dev/zero would never end. Yields each chunk read, in one
 * reused buffer: use it before taking the next.
 * @throws UserFacingError `LOG: cannot read the log: …` when the file cannot be opened or read
 */
function* readChunks(path: string): Generator<Buffer> {
  const fail = (error: unknown) =>
    new UserFacingError(`${path}: cannot read the log: ${error instanceof Error ? error.message : String(error)}`);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw fail(error);
  }
  try {
    let stats;
    try {
      stats = fstatSync(fd);
    } catch (error) {
      throw fail(error);
    }
    if (!stats.isFile() && !stats.isFIFO())
      throw fail(new Error(stats.isDirectory() ? "it is a directory" : "not a regular file or a pipe"));
    const buffer = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, chunkSize, null);
      } catch (error) {
        throw fail(error);
      }
      if (n === 0) break;
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a log file chunk by chunk (UTF-8) and yields its messages in order.
 * @throws UserFacingError `LOG: cannot read the log: …` when the file cannot be opened or read
 */
export function* readLog(path: string): Generator<LogText> {
  const splitter = new LogSplitter();
  const decoder = new StringDecoder("utf8");
  for (const chunk of readChunks(path)) yield* splitter.push(decoder.write(chunk));
  yield* splitter.push(decoder.end());
  yield* splitter.end();
}

/**
 * Reads a whole log (for `--schema-from-log`), at most `wholeLogLimit` bytes.
 * @throws UserFacingError when it cannot be read or is larger
 */
export function readWholeLog(path: string): string {
  const decoder = new StringDecoder("utf8");
  const parts: string[] = [];
  let total = 0;
  for (const chunk of readChunks(path)) {
    total += chunk.length;
    if (total > wholeLogLimit)
      throw new UserFacingError(
        `${path}: cannot read the log: larger than the ${wholeLogLimit >> 20} MiB limit for a log read whole`,
      );
    parts.push(decoder.write(chunk));
  }
  parts.push(decoder.end());
  return parts.join("");
}
