/**
 * The conversation log: a QMP or guest-agent conversation kept as its raw
 * QMP messages, both directions, in order. We write JSON Lines (one message
 * a line); we read that and concatenated, also pretty-printed, JSON texts. No
 * direction is stored: runtime/messages.ts `classifyMessage` tells it from
 * each message's shape.
 *
 * The one writer and the one reader of the project:
 * - written by the mock server and replay (runtime/mock/, `formatLog` of the
 *   conversation they keep in memory) and by the shell's `--record`
 *   (tools/shell/record.ts, through `LogFileWriter`);
 * - read by replay (`parseLog`) and `validate-log` (tools/validate-log/:
 *   `readLogFile` streams a file, `splitLog` a text in memory).
 * Reading goes through the one splitter (json-stream.ts, whose module comment
 * states what counts as garbage) and the lossless parser (json.ts): integers
 * a double cannot hold come back as bigints, so a record → replay round trip
 * changes nothing. A malformed stretch becomes an entry with a `problem` at its
 * line, and reading goes on with the next message.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { defaultMaxMessageSize, JsonTextSplitter, type JsonStreamFault, type JsonStreamSink } from "./json-stream.js";
import { parseJson, stringifyJson } from "./json.js";

/** A JSON value as a log holds it; 64-bit integers beyond 2^53 are bigints. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object: what every message of a log is. */
export type JsonObject = { [key: string]: JsonValue };

/** One entry of a log: a parsed message at its first line, or what was wrong at that line. */
export type LogEntry =
  | { readonly line: number; readonly value: JsonValue; readonly problem?: undefined }
  | { readonly line: number; readonly problem: string };

// ---------------------------------------------------------------------------
// Writing

/** One message as a line of a log (lossless: bigints as exact integers). */
export function logLine(message: unknown): string {
  return stringifyJson(message) + "\n";
}

/** Messages as a log text (JSON Lines). */
export function formatLog(messages: readonly unknown[]): string {
  return messages.map(logLine).join("");
}

/**
 * Appends messages to a log file as they happen. Each line is written at once
 * (synchronously), so a program that ends abruptly still leaves a valid log.
 */
export class LogFileWriter {
  private fd: number | undefined;

  /** @throws Error (from node:fs) when the file cannot be created */
  constructor(readonly path: string) {
    // Owner-only: a conversation may hold passwords and secrets (as the shell's history may).
    this.fd = openSync(path, "w", 0o600);
  }

  append(message: unknown): void {
    if (this.fd !== undefined) writeSync(this.fd, logLine(message));
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

// ---------------------------------------------------------------------------
// Reading

/** Raised when a log file cannot be opened or read (its message names the file). */
export class LogFileError extends Error {
  override readonly name = "LogFileError";
}

/** Incremental reader: feed text with `push`, then call `end`. */
export class LogReader {
  private readonly splitter: JsonTextSplitter;
  private entries: LogEntry[] = [];
  private readonly sink: JsonStreamSink = {
    text: (text, line) => {
      let value: JsonValue;
      try {
        value = parseJson(text) as JsonValue;
      } catch (error) {
        this.entries.push({ line, problem: `not valid JSON: ${(error as Error).message}` });
        return;
      }
      this.entries.push({ line, value });
    },
    fault: (fault) => this.entries.push({ line: fault.line, problem: this.describe(fault) }),
  };

  /** @param maxMessageSize the largest message, in characters */
  constructor(readonly maxMessageSize: number = defaultMaxMessageSize) {
    this.splitter = new JsonTextSplitter({ maxMessageSize, countLines: true });
  }

  /** Adds text; returns the entries it completed, in order. */
  push(text: string): LogEntry[] {
    this.splitter.read(text, this.sink);
    return this.take();
  }

  /** Ends the log: garbage or a message still open become entries. */
  end(): LogEntry[] {
    this.splitter.finish(this.sink);
    return this.take();
  }

  private take(): LogEntry[] {
    const entries = this.entries;
    this.entries = [];
    return entries;
  }

  /** A fault in a log's words (where reading goes on). */
  private describe(fault: JsonStreamFault): string {
    switch (fault.reason) {
      case "garbage":
        return "text outside any JSON message (skipped to the end of its line or the next '{' or '[')";
      case "broken":
        return `${fault.message} (the message is skipped)`;
      case "oversize":
        return `the message is longer than ${this.maxMessageSize} characters (it is skipped)`;
      case "too-deep":
        return `${fault.message} (it is skipped)`;
      case "truncated":
        return "the log ends inside this message";
    }
  }
}

/** The entries of a whole log held in memory (small logs, tests). */
export function splitLog(text: string): LogEntry[] {
  const reader = new LogReader();
  return [...reader.push(text), ...reader.end()];
}

/**
 * A log's messages, for a reader that needs all of them (replay).
 * @throws Error at the first malformed stretch or message that is not a JSON object, with its line
 */
export function parseLog(text: string): JsonObject[] {
  const out: JsonObject[] = [];
  for (const entry of splitLog(text)) {
    if (entry.problem !== undefined) throw new Error(`QMP log, line ${entry.line}: ${entry.problem}`);
    const value = entry.value;
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new Error(`QMP log, line ${entry.line}: the entry is not a JSON object`);
    out.push(value);
  }
  return out;
}

const chunkSize = 256 * 1024;

/**
 * Opens a log and checks it is a regular file or a pipe (`<(zcat log.gz)`); a
 * device such as /dev/zero would never end. Yields each chunk read, in one
 * reused buffer: use it before taking the next.
 * @throws LogFileError `PATH: cannot read the log: …` when the file cannot be opened or read
 */
function* readChunks(path: string): Generator<Buffer> {
  const fail = (error: unknown) =>
    new LogFileError(`${path}: cannot read the log: ${error instanceof Error ? error.message : String(error)}`);
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
 * Reads a log file chunk by chunk (UTF-8) and yields its entries in order: a
 * log of any length costs memory for one message, not for the file.
 * @throws LogFileError `PATH: cannot read the log: …` when the file cannot be opened or read
 */
export function* readLogFile(path: string): Generator<LogEntry> {
  const reader = new LogReader();
  const decoder = new StringDecoder("utf8");
  for (const chunk of readChunks(path)) yield* reader.push(decoder.write(chunk));
  yield* reader.push(decoder.end());
  yield* reader.end();
}

/** Largest log read whole (`validate-log --schema-from-log`): a recorded `query-qmp-schema` is about 1 MiB. */
export const wholeLogLimit = 256 * 1024 * 1024;

/**
 * Reads a whole log, at most `wholeLogLimit` bytes.
 * @throws LogFileError when it cannot be read or is larger
 */
export function readWholeLogFile(path: string): string {
  const decoder = new StringDecoder("utf8");
  const parts: string[] = [];
  let total = 0;
  for (const chunk of readChunks(path)) {
    total += chunk.length;
    if (total > wholeLogLimit)
      throw new LogFileError(
        `${path}: cannot read the log: larger than the ${wholeLogLimit >> 20} MiB limit for a log read whole`,
      );
    parts.push(decoder.write(chunk));
  }
  parts.push(decoder.end());
  return parts.join("");
}
