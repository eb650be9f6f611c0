/**
 * A bare QMP client for the mock-server tests: writes messages as given and
 * hands back whatever arrives, with no protocol logic of its own, so the tests
 * see exactly what the mock put on the wire.
 */
import type { Duplex } from "node:stream";
import { JsonTextSplitter } from "../../runtime/json-stream.js";
import { decodeJsonText, type JsonObject } from "../../runtime/mock/json-text.js";

/** A raw message pipe over one stream. */
export class RawClient {
  private readonly inbox: JsonObject[] = [];
  private readonly waiters: Array<(message: JsonObject | undefined) => void> = [];
  private ended = false;
  /** Texts that were not JSON (fault tests). */
  readonly garbage: string[] = [];

  constructor(private readonly stream: Duplex) {
    const splitter = new JsonTextSplitter();
    stream.setEncoding("utf8");
    const take = (value: JsonObject) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter(value);
      else this.inbox.push(value);
    };
    const sink = {
      text: (text: string) => {
        let value: JsonObject;
        try {
          value = decodeJsonText(text) as JsonObject;
        } catch {
          this.garbage.push(text);
          return;
        }
        take(value);
      },
      fault: (fault: { text: string }) => this.garbage.push(fault.text),
    };
    stream.on("data", (chunk: string) => splitter.read(chunk, sink));
    stream.on("end", () => {
      this.ended = true;
      for (const waiter of this.waiters.splice(0)) waiter(undefined);
    });
  }

  /** Sends one message. */
  send(message: JsonObject): void {
    this.stream.write(JSON.stringify(message) + "\n");
  }

  /** Sends raw text. */
  sendRaw(text: string): void {
    this.stream.write(text);
  }

  /** The next message, or undefined once the server hung up. */
  next(): Promise<JsonObject | undefined> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Sends a command and collects messages up to and including its reply. */
  async call(message: JsonObject): Promise<JsonObject[]> {
    this.send(message);
    const got: JsonObject[] = [];
    for (;;) {
      const m = await this.next();
      if (!m) return got;
      got.push(m);
      if ("return" in m || "error" in m) return got;
    }
  }

  /** Hangs up. */
  end(): void {
    this.stream.end();
  }
}
