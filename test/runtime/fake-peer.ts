/**
 * A scripted byte-level guest agent peer for test/runtime/client-guest-agent.test.ts:
 * it plays the qemu-ga side over a pair of PassThrough streams.
 *
 * Every other protocol and fault test runs against the mock server
 * (runtime/mock, wired up by mock-peer.ts). This one stays because the mock
 * speaks QMP, not the guest agent's protocol: it always greets and demands
 * `qmp_capabilities`, it reads its input as UTF-8 text (so the raw 0xFF resync
 * bytes a client sends cannot be counted), and it has no way to put the 0xFF
 * sentinel or stale bytes of an earlier session ahead of a reply. Giving the
 * mock a guest-agent mode would let this file go.
 *
 * Data flow: test → `FakePeer` (scripted replies, raw bytes) ⇄ runtime client
 * via `peer.target` (a `{ stream: { readable, writable } }` target).
 */
import { PassThrough } from "node:stream";
import { JsonTextSplitter } from "../../runtime/json-stream.js";
import { parseJson, stringifyJson } from "../../runtime/json.js";

/** A command as the peer received it. */
export interface ReceivedCommand {
  execute?: string;
  arguments?: Record<string, unknown>;
  id?: unknown;
}

/** How the peer answers a command; sending nothing leaves the call pending. */
export type CommandHandler = (command: ReceivedCommand, peer: FakePeer) => void;

export interface FakePeerOptions {
  /** Answers every command; default: `{"return": {}}` with the command's id. */
  onCommand?: CommandHandler;
}

/** The scripted guest agent; like qemu-ga it sends no greeting. */
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

  constructor(private readonly options: FakePeerOptions = {}) {
    this.fromClient.on("data", (chunk: Buffer) => {
      let text = "";
      for (const byte of chunk) {
        if (byte === 0xff) this.resyncBytes++;
        else text += String.fromCharCode(byte);
      }
      for (const json of this.splitter.push(text)) this.handle(parseJson(json) as ReceivedCommand);
    });
  }

  /** The transport target to connect the client with. */
  get target(): { stream: { readable: PassThrough; writable: PassThrough } } {
    return { stream: { readable: this.toClient, writable: this.fromClient } };
  }

  /** Sends one message (CRLF-terminated). */
  send(message: unknown): void {
    this.raw(stringifyJson(message) + "\r\n");
  }

  /** Sends bytes as they are. */
  raw(text: string | Buffer): void {
    if (!this.toClient.destroyed) this.toClient.write(text);
  }

  /** Sends a success reply to `command`. */
  reply(command: ReceivedCommand, value: unknown = {}): void {
    this.send({ return: value, id: command.id });
  }

  private handle(command: ReceivedCommand): void {
    this.received.push(command);
    if (this.options.onCommand) return this.options.onCommand(command, this);
    this.reply(command);
  }
}
