/**
 * The QMP conversation log: what the mock server records and what replay reads.
 *
 * A log is the raw wire messages of both directions, in order, as JSON Lines
 * (one message per line) or as concatenated, possibly pretty-printed JSON
 * objects — the same format the `validate-log` CLI reads. No direction field is
 * stored: it is inferred from each message's shape (`classifyMessage`). The mock
 * server (server.ts) appends to a log; replay.ts parses one back.
 */
import { JsonTextSplitter, decodeWire, encodeWire, type WireObject } from "./wire.js";

/** What a wire message is, judged by its shape alone. */
export type MessageKind = "greeting" | "command" | "return" | "error" | "event" | "unknown";

/** Which side sent a message of the given kind. */
export function directionOf(kind: MessageKind): "client" | "server" | "unknown" {
  if (kind === "command") return "client";
  if (kind === "unknown") return "unknown";
  return "server";
}

/** Infers the kind of a wire message from its members. */
export function classifyMessage(message: WireObject): MessageKind {
  if ("QMP" in message) return "greeting";
  if ("execute" in message || "exec-oob" in message) return "command";
  if ("return" in message) return "return";
  if ("error" in message) return "error";
  if ("event" in message) return "event";
  return "unknown";
}

/** The command name of a command message (`execute` or `exec-oob`). */
export function commandName(message: WireObject): string | undefined {
  const name = message["execute"] ?? message["exec-oob"];
  return typeof name === "string" ? name : undefined;
}

/**
 * Reads a log in either accepted layout.
 * @throws Error when a text in it is not a JSON object.
 */
export function parseLog(text: string): WireObject[] {
  const splitter = new JsonTextSplitter();
  const out: WireObject[] = [];
  for (const piece of splitter.push(text)) {
    const value = decodeWire(piece);
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new Error(`QMP log entry is not a JSON object: ${piece.slice(0, 80)}`);
    }
    out.push(value);
  }
  if (splitter.pending().trim() !== "") throw new Error("QMP log ends inside a JSON object");
  return out;
}

/** Writes messages as JSON Lines, the layout the mock records in. */
export function formatLog(messages: readonly WireObject[]): string {
  return messages.map((m) => encodeWire(m) + "\n").join("");
}
