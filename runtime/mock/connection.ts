/**
 * One client connection of a mock server, below the QMP logic: it turns the
 * byte stream into JSON texts and messages, writes replies, and appends every
 * message of either direction to the server's conversation log. The live mock
 * (server.ts) and the replaying mock (replay.ts) each drive one of these per
 * client.
 */
import type { Duplex } from "node:stream";
import { JsonTextSplitter, type JsonStreamSink } from "../json-stream.js";
import { decodeJsonText, encodeJsonText, type JsonObject } from "./json-text.js";

/** What arrived: a parsed JSON object, or a text the server could not use. */
export type Incoming = { readonly message: JsonObject } | { readonly bad: string; readonly reason: string };

/** A connection's byte stream, framed into QMP messages and recorded. */
export class MockConnection {
  private readonly splitter = new JsonTextSplitter();
  private closed = false;

  /**
   * @param stream the socket or in-memory duplex the client talks over
   * @param log the conversation log this connection appends to
   * @param onIncoming called with every message (or unusable text) received
   * @param onClose called once when the stream ends or is closed
   */
  constructor(
    private readonly stream: Duplex,
    private readonly log: JsonObject[],
    onIncoming: (incoming: Incoming) => void,
    private readonly onClose: () => void,
  ) {
    stream.setEncoding("utf8");
    const sink: JsonStreamSink = {
      text: (text) => {
        let value: unknown;
        try {
          value = decodeJsonText(text);
        } catch (error) {
          onIncoming({ bad: text, reason: error instanceof Error ? error.message : String(error) });
          return;
        }
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
          onIncoming({ bad: text, reason: "not a JSON object" });
          return;
        }
        this.log.push(value as JsonObject);
        onIncoming({ message: value as JsonObject });
      },
      // Garbage, a broken or an oversize text: answered like unparsable JSON, then reading goes on.
      fault: (fault) => onIncoming({ bad: fault.text, reason: fault.message }),
    };
    stream.on("data", (chunk: string) => this.splitter.read(chunk, sink));
    const finish = () => this.finish();
    stream.on("end", () => {
      finish();
      // Half-open sockets would otherwise linger after the client hung up.
      stream.end();
    });
    stream.on("close", finish);
    stream.on("error", finish);
  }

  /** Whether the connection is gone. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Sends and records one message, one JSON text per line as QEMU does.
   * `trailing` is unrecorded raw text put in the same write (fault injection:
   * garbage a client receives in the same chunk as the message).
   */
  send(message: JsonObject, trailing = ""): void {
    if (this.closed) return;
    this.log.push(message);
    this.stream.write(encodeJsonText(message) + "\r\n" + trailing);
  }

  /** Sends raw text that is not recorded (fault injection: garbage, truncated JSON). */
  sendRaw(text: string): void {
    if (!this.closed) this.stream.write(text);
  }

  /** Ends the connection from the server side, after pending output is flushed. */
  close(): void {
    if (this.closed) return;
    this.stream.end(() => this.stream.destroy());
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}
