/**
 * One QMP monitor (or guest agent) for many clients: `startProxy` holds one upstream connection
 * (runtime/connect.ts, oob negotiated when offered, optionally reconnecting)
 * and serves any number of local clients on a unix socket created owner-only.
 *
 * Each client gets its own greeting (the upstream's version and capabilities)
 * and its own capabilities negotiation, answered here. Its commands go
 * upstream with ids of the proxy's session (runtime/session.ts `forward`), and
 * each reply goes back to its sender with the id the client chose (any JSON
 * value, or none). `exec-oob` stays out-of-band. Events go to every negotiated
 * client. Input QEMU would answer with an id-less error (not JSON, not a
 * command) is answered here and never forwarded, since an id-less error on the
 * shared connection could not be routed; after garbage or broken JSON the
 * client's reading goes on at the next message, as QEMU's does. A client that leaves mid-command
 * harms no other: its replies are dropped when they come. File descriptors a
 * client passes (SCM_RIGHTS) go upstream with the command they came with, when
 * the optional usocket is there (runtime/fd-socket.ts) and the upstream is a
 * unix socket; otherwise that command gets an error reply. When the upstream
 * connection is lost every client is disconnected, as QEMU would; with
 * `reconnect` the proxy keeps listening and greets clients once it is back.
 *
 * A guest agent upstream (`connect.protocol: "qga"`) is shared the same way,
 * in its own dialect: no greeting, no negotiation, no events, no oob; each
 * client's `guest-sync` / `guest-sync-delimited` is answered here (the agent's
 * stream was synchronised once, upstream), and a command the agent does not
 * answer (`guest-shutdown`) gets no reply unless the agent refuses it.
 *
 * Data flow: client socket → runtime/json-stream.ts `JsonTextSplitter` → `handle` →
 * upstream `Session.forward` → reply → `stringifyJson` → client socket;
 * upstream events → every client. The CLI is tools/cli/proxy.ts.
 */
import { createServer } from "node:net";
import { closeSync } from "node:fs";
import { chmod, mkdtemp, rename, rm, rmdir } from "node:fs/promises";
import type { Duplex } from "node:stream";
import { basename, dirname, join } from "node:path";
import { connectWith, type ConnectOptions } from "./connect.js";
import type { QmpClient } from "./client.js";
import { genericGuestAgentSdk, genericSdk } from "./generic-sdk.js";
import { StringDecoder } from "node:string_decoder";
import { defaultMaxMessageSize, JsonTextSplitter } from "./json-stream.js";
import { parseJson, stringifyJson } from "./json.js";
import type { QmpEventMessage } from "./messages.js";
import { ConnectionError, FdPassingError } from "./errors.js";
import { loadUsocket } from "./fd-socket.js";

/** Where and how the proxy runs. */
export interface ProxyOptions {
  /**
   * The upstream: a QMP monitor (QEMU, qemu-storage-daemon) or, with `protocol: "qga"`, a guest
   * agent; a unix path or TCP, with `reconnect` if wanted.
   */
  connect: ConnectOptions;
  /** The unix socket clients connect to; created with mode 0600 (replaced if a stale socket file is there). */
  listen: { path: string };
  /** Largest message accepted from a client, in characters (default 64 Mi). */
  maxMessageSize?: number;
}

/** A running proxy. `await using proxy = await startProxy(…)` closes it at the end of the scope. */
export interface QmpProxy extends AsyncDisposable {
  /** The listening socket's path. */
  readonly path: string;
  /** The upstream client (its `closed`, `onConnectionEvent`, …). */
  readonly upstream: QmpClient;
  /** Clients connected now. */
  readonly clientCount: number;
  /** Resolves when the proxy stops: after `close()`, or when the upstream is gone for good (with the reason). */
  readonly closed: Promise<Error | undefined>;
  /** Disconnects every client, stops listening, removes the socket file, closes the upstream. Idempotent. */
  close(): Promise<void>;
}

const allowedMembers = new Set(["execute", "exec-oob", "arguments", "id", "control"]);

/**
 * Connects upstream, then listens.
 * @throws as `connectWith` for the upstream; ConnectionError when the socket cannot be created.
 */
export async function startProxy(options: ProxyOptions): Promise<QmpProxy> {
  const agent = options.connect.protocol === "qga";
  // Descriptors clients pass go upstream only over a unix socket that can carry them.
  const fds = !agent && "path" in options.connect && options.connect.fds !== false;
  const upstream = await connectWith(agent ? genericGuestAgentSdk : genericSdk, {
    ...options.connect,
    ...(agent ? {} : { oob: true }),
    validate: "off",
    ...(fds ? { fds } : {}),
  });
  try {
    const server = await listenOwnerOnly(options.listen.path);
    return new Proxy(upstream, server, options);
  } catch (error) {
    await upstream.close();
    throw error;
  }
}

/** A listening socket: accepted connections go to `onConnection`. */
interface Listener {
  onConnection(accept: (socket: Duplex) => void): void;
  close(): void;
}

/**
 * Listens on `path` with mode 0600 from the first moment: the socket is made in a fresh
 * directory only we can enter, narrowed, then renamed into place. With usocket the accepted
 * sockets receive file descriptors (an `fds` event); without it they are Node's own.
 */
async function listenOwnerOnly(path: string): Promise<Listener> {
  const staging = await mkdtemp(join(dirname(path), `.${basename(path)}-`));
  const inner = join(staging, "sock");
  const usocket = await loadUsocket();
  let listener: Listener | undefined;
  try {
    listener = await new Promise<Listener>((resolve, reject) => {
      if (usocket instanceof FdPassingError) {
        const server = createServer();
        server.once("error", reject);
        server.listen(inner, () => {
          server.off("error", reject);
          resolve({ onConnection: (accept) => server.on("connection", accept), close: () => server.close() });
        });
      } else {
        const server = new usocket.UServer();
        server.on("error", reject);
        server.listen(inner, () =>
          resolve({ onConnection: (accept) => server.on("connection", accept), close: () => server.close() }),
        );
      }
    });
    await chmod(inner, 0o600);
    await rm(path, { force: true });
    await rename(inner, path);
    return listener;
  } catch (error) {
    listener?.close();
    throw new ConnectionError(`cannot listen on ${path}: ${(error as Error).message}`, { cause: error });
  } finally {
    await rmdir(staging).catch(() => undefined);
  }
}

/**
 * The answer to one input of a client. In-band answers leave in the order their
 * inputs came, whether answered here or upstream, since a client without ids
 * (the guest agent's usually) matches replies by order; `exec-oob` answers may overtake.
 */
interface ReplySlot {
  readonly inOrder: boolean;
  bytes: Buffer | undefined;
  done: boolean;
}

/** Answers the input being handled, under the client's own id (or none); `before` goes first (a sync byte). */
type Respond = (reply: Record<string, unknown>, before?: Buffer) => void;

/** One local client's connection. */
interface Downstream {
  readonly socket: Duplex;
  readonly decoder: StringDecoder;
  readonly splitter: JsonTextSplitter;
  /** In-band answers not yet sent, oldest first; the head goes once it is done. */
  readonly outbox: ReplySlot[];
  negotiated: boolean;
  oob: boolean;
  greeted: boolean;
  alive: boolean;
  /** Descriptors received and not yet sent on with a command. */
  fds: number[];
}

class Proxy implements QmpProxy {
  private readonly clients = new Set<Downstream>();
  private closing: Promise<void> | undefined;
  readonly closed: Promise<Error | undefined>;

  constructor(
    readonly upstream: QmpClient,
    private readonly server: Listener,
    private readonly options: ProxyOptions,
  ) {
    server.onConnection((socket) => this.accept(socket));
    upstream.on("*", (_data, event) => this.broadcast(event));
    upstream.onConnectionEvent((event) => {
      // Clients of the lost server are disconnected, as QEMU's would be; new ones wait for the next greeting.
      if (event.kind === "disconnected") for (const client of [...this.clients]) this.drop(client);
      if (event.kind === "reconnected") for (const client of this.clients) this.greet(client);
    });
    this.closed = upstream.closed.then(async (reason) => {
      await this.close();
      return reason;
    });
  }

  get path(): string {
    return this.options.listen.path;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const client of [...this.clients]) this.drop(client);
      this.server.close();
      await rm(this.path, { force: true });
      await this.upstream.close();
    })();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---- clients ----

  private accept(socket: Duplex): void {
    if (this.closing) return void socket.destroy();
    const client: Downstream = {
      socket,
      decoder: new StringDecoder("utf8"),
      outbox: [],
      splitter: new JsonTextSplitter(this.options.maxMessageSize ?? defaultMaxMessageSize),
      negotiated: false,
      oob: false,
      greeted: false,
      alive: true,
      fds: [],
    };
    this.clients.add(client);
    // usocket announces descriptors just before the bytes they came with.
    socket.on("fds", (fds: number[]) => client.fds.push(...fds));
    socket.on("data", (chunk: Buffer) => this.read(client, chunk));
    socket.on("error", () => this.drop(client));
    socket.on("end", () => this.drop(client));
    socket.on("close", () => this.drop(client));
    if (this.upstream.state === "running") this.greet(client);
  }

  /** Forgets a client: its socket closes, descriptors it passed and nobody took are closed. */
  private drop(client: Downstream): void {
    if (!client.alive) return;
    client.alive = false;
    this.clients.delete(client);
    client.socket.destroy();
    closeAll(client.fds.splice(0));
  }

  private greet(client: Downstream): void {
    // The guest agent greets nobody and negotiates nothing: its clients start at commands once it is there.
    if (this.agent) {
      client.greeted = client.negotiated = true;
      return;
    }
    const greeting = this.upstream.greeting;
    if (client.greeted || !greeting) return;
    client.greeted = true;
    const capabilities = this.upstream.capabilities.includes("oob") ? ["oob"] : [];
    this.send(client, { QMP: { version: greeting.version, capabilities } });
  }

  private read(client: Downstream, chunk: Buffer): void {
    // As QEMU does: what is not a message gets an id-less error, and reading goes on (runtime/json-stream.ts).
    const parseError = (what: string) => {
      closeAll(client.fds.splice(0));
      const slot = this.reserve(client, true);
      this.answer(client, slot, { error: { class: "GenericError", desc: `JSON parse error, ${what}` } });
    };
    client.splitter.read(client.decoder.write(chunk), {
      text: (text) => {
        let message: unknown;
        try {
          message = parseJson(text);
        } catch (error) {
          return parseError((error as Error).message);
        }
        this.handle(client, message);
      },
      fault: (fault) => parseError(fault.message),
    });
  }

  private handle(client: Downstream, message: unknown): void {
    // Descriptors belong to the command they arrived with; any other outcome closes them.
    const fds = client.fds.splice(0);
    const oob = typeof message === "object" && message !== null && Object.hasOwn(message, "exec-oob");
    if (this.dispatch(client, message, fds, this.reserve(client, !oob)) !== true) closeAll(fds);
  }

  /** The upstream is a guest agent: no greeting, no negotiation, no events, no oob; sync answered here. */
  private get agent(): boolean {
    return this.upstream.protocol === "qga";
  }

  /** Answers or forwards one message; true when `fds` went on with a forwarded command. */
  private dispatch(client: Downstream, message: unknown, fds: number[], slot: ReplySlot): boolean | void {
    if (!client.greeted) return this.reply(client, slot, undefined, false, refusal("the server is not connected yet"));
    if (message === null || typeof message !== "object" || Array.isArray(message))
      return this.reply(client, slot, undefined, false, refusal("QMP input must be a JSON object"));
    const m = message as Record<string, unknown>;
    const hasId = Object.hasOwn(m, "id");
    const respond: Respond = (reply, before) => this.reply(client, slot, m.id, hasId, reply, before);
    const fail = (desc: string, errorClass = "GenericError") => respond({ error: { class: errorClass, desc } });
    const unexpected = Object.keys(m).find((key) => !allowedMembers.has(key));
    if (unexpected !== undefined) return fail(`QMP input member '${unexpected}' is unexpected`);
    const oob = Object.hasOwn(m, "exec-oob");
    const name = oob ? m["exec-oob"] : m.execute;
    if (typeof name !== "string" || (oob && Object.hasOwn(m, "execute")))
      return fail("QMP input needs one of the members 'execute' or 'exec-oob', a string");
    const args = m.arguments;
    if (args !== undefined && (args === null || typeof args !== "object" || Array.isArray(args)))
      return fail("QMP input member 'arguments' must be an object");
    if (!client.negotiated) {
      if (name !== "qmp_capabilities")
        return fail("Expecting capabilities negotiation with 'qmp_capabilities'", "CommandNotFound");
      return this.negotiate(client, args as Record<string, unknown> | undefined, respond, fail);
    }
    if (oob && !client.oob) return fail("the oob capability was not enabled by qmp_capabilities");
    if (this.agent && (name === "guest-sync" || name === "guest-sync-delimited"))
      return this.sync(name, args as Record<string, unknown> | undefined, respond, fail);
    this.upstream
      .forwardRaw(name, args as object | undefined, oob, fds)
      .then(
        // No reply: a command the server does not answer (guest-shutdown), accepted; its slot stays empty.
        (reply) => (reply ? respond(reply) : this.answer(client, slot, undefined)),
        (error: Error) => (error instanceof FdPassingError ? fail(error.message) : this.drop(client)), // the upstream connection ended: the client is disconnected with it
      )
      .finally(() => closeAll(fds));
    return true;
  }

  /**
   * A guest-agent client's resynchronisation, answered here: the agent's stream was synchronised
   * once, by the upstream connection, and each client's stream is its own (qga's
   * `guest-sync-delimited` puts the 0xFF byte before the reply, so the client can discard
   * whatever it read before).
   */
  private sync(
    name: string,
    args: Record<string, unknown> | undefined,
    respond: Respond,
    fail: (desc: string) => void,
  ): void {
    const token = args?.id;
    if (typeof token !== "number" && typeof token !== "bigint")
      return fail("Parameter 'id' is missing or not an integer");
    respond({ return: token }, name === "guest-sync-delimited" ? Buffer.from([0xff]) : undefined);
  }

  /** Capabilities negotiation, answered here: the upstream negotiated once, for everyone. */
  private negotiate(
    client: Downstream,
    args: Record<string, unknown> | undefined,
    respond: Respond,
    fail: (desc: string) => void,
  ): void {
    const enable = args?.enable ?? [];
    const offered = this.upstream.capabilities;
    if (!Array.isArray(enable) || enable.some((c) => typeof c !== "string" || !offered.includes(c)))
      return fail(`capabilities not offered: ${JSON.stringify(enable)}`);
    client.negotiated = true;
    client.oob = enable.includes("oob");
    respond({ return: {} });
  }

  /** Answers with `reply` under the client's own id (or none), `before` it when given (a sync byte). */
  private reply(
    client: Downstream,
    slot: ReplySlot,
    id: unknown,
    hasId: boolean,
    reply: Record<string, unknown>,
    before?: Buffer,
  ): void {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(reply)) if (key !== "id") out[key] = reply[key];
    if (hasId) out.id = id;
    this.answer(client, slot, out, before);
  }

  /** A place for the answer to the input just read. */
  private reserve(client: Downstream, inOrder: boolean): ReplySlot {
    const slot: ReplySlot = { inOrder, bytes: undefined, done: false };
    if (inOrder) client.outbox.push(slot);
    return slot;
  }

  /** Fills `slot` (undefined: no reply is due) and sends every answer that is now in turn. */
  private answer(client: Downstream, slot: ReplySlot, message: object | undefined, before?: Buffer): void {
    const text = message === undefined ? undefined : Buffer.from(stringifyJson(message) + "\r\n");
    slot.bytes = text && before ? Buffer.concat([before, text]) : text;
    slot.done = true;
    if (!slot.inOrder) return this.write(client, slot.bytes);
    while (client.outbox[0]?.done) this.write(client, client.outbox.shift()!.bytes);
  }

  private write(client: Downstream, bytes: Buffer | undefined): void {
    if (bytes && client.alive) client.socket.write(bytes);
  }

  private broadcast(event: QmpEventMessage): void {
    const message: Record<string, unknown> = { event: event.event };
    if (event.data !== undefined) message.data = event.data;
    message.timestamp = event.timestamp;
    const text = stringifyJson(message) + "\r\n";
    for (const client of this.clients) if (client.negotiated) client.socket.write(text);
  }

  private send(client: Downstream, message: object): void {
    if (client.alive) client.socket.write(stringifyJson(message) + "\r\n");
  }
}

function closeAll(fds: readonly number[]): void {
  for (const fd of fds) {
    try {
      closeSync(fd);
    } catch {
      // already closed: nothing to release
    }
  }
}

function refusal(desc: string): Record<string, unknown> {
  return { error: { class: "GenericError", desc } };
}
