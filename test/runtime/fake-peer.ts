/**
 * A scripted in-memory QMP peer for fault tests: it plays the server side over
 * a pair of PassThrough streams, so tests can produce what real QEMU never does
 * (garbage, truncated JSON, unknown ids, id-less replies, no greeting, …).
 *
 * Data flow: test → `FakePeer` (greeting, scripted replies, raw text) ⇄
 * runtime client via `peer.target` (a `{ stream: { readable, writable } }` target).
 */
import { PassThrough } from "node:stream";
import { JsonTextSplitter } from "../../runtime/json-stream.js";
import { parseJson, stringifyJson } from "../../runtime/json.js";

/** A command as the peer received it. */
export interface ReceivedCommand {
  execute?: string;
  "exec-oob"?: string;
  arguments?: Record<string, unknown>;
  id?: unknown;
}

/** How the peer answers a command; `undefined` from a handler means "no answer now". */
export type CommandHandler = (command: ReceivedCommand, peer: FakePeer) => void;

export interface FakePeerOptions {
  /** Send a greeting on start (default true) with these capabilities (default none). */
  greeting?: boolean;
  capabilities?: string[];
  /** Answer `qmp_capabilities` with success (default true). */
  negotiate?: boolean;
  /** Answers every other command; default: `{"return": {}}` with the command's id. */
  onCommand?: CommandHandler;
}

/** The scripted server. */
export class FakePeer {
  /** Bytes from the peer to the client. */
  readonly toClient = new PassThrough();
  /** Bytes from the client to the peer. */
  readonly fromClient = new PassThrough();
  /** Every command received, in order. */
  readonly received: ReceivedCommand[] = [];
  /** Raw bytes 0xFF the client sent (guest agent resync). */
  resyncBytes = 0;
  private readonly splitter = new JsonTextSplitter();
  private readonly options: FakePeerOptions;

  constructor(options: FakePeerOptions = {}) {
    this.options = options;
    this.fromClient.on("data", (chunk: Buffer) => {
      let text = "";
      for (const byte of chunk) {
        if (byte === 0xff) this.resyncBytes++;
        else text += String.fromCharCode(byte);
      }
      for (const json of this.splitter.push(text)) this.handle(parseJson(json) as ReceivedCommand);
    });
    if (options.greeting ?? true) {
      this.send({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: "fake" }, capabilities: options.capabilities ?? [] } });
    }
  }

  /** The transport target to connect the client with. */
  get target(): { stream: { readable: PassThrough; writable: PassThrough } } {
    return { stream: { readable: this.toClient, writable: this.fromClient } };
  }

  /** Sends one message (CRLF-terminated, as QEMU does). */
  send(message: unknown): void {
    this.raw(stringifyJson(message) + "\r\n");
  }

  /** Sends text as is. */
  raw(text: string | Buffer): void {
    if (!this.toClient.destroyed) this.toClient.write(text);
  }

  /** Sends a success reply to `command`. */
  reply(command: ReceivedCommand, value: unknown = {}): void {
    this.send({ return: value, id: command.id });
  }

  /** Sends an event. */
  event(name: string, data?: unknown): void {
    this.send({ event: name, ...(data === undefined ? {} : { data }), timestamp: { seconds: 1, microseconds: 2 } });
  }

  /** Closes the connection from the server side (EOF). */
  hangUp(): void {
    this.toClient.end();
  }

  private handle(command: ReceivedCommand): void {
    this.received.push(command);
    const name = command.execute ?? command["exec-oob"];
    if (name === "qmp_capabilities" && (this.options.negotiate ?? true)) return this.reply(command);
    if (this.options.onCommand) return this.options.onCommand(command, this);
    this.reply(command);
  }
}
