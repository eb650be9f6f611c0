/**
 * Opens the byte channel a QMP client talks over, separate from the protocol.
 *
 * Targets: a unix socket path, TCP host/port, TLS over TCP (QEMU's
 * `tls-creds-x509` on the monitor chardev), any existing stream (a child's
 * stdio from `-qmp stdio`, an in-memory pair in tests), and listening mode, where
 * we accept one connection from a QEMU started with `-qmp unix:PATH` or
 * `-qmp tcp:HOST:PORT` without `server` (optionally TLS, QEMU being the client).
 *
 * File-descriptor passing (SCM_RIGHTS, for `getfd`/`add-fd`): Node's
 * `net.Socket` cannot attach ancillary data, so `{ path, fds: true }` opens the
 * socket through the optional usocket add-on (runtime/fd-socket.ts); other
 * transports cannot carry descriptors (`writeWithFds` absent).
 *
 * Data flow: `openTransport` → `Transport` (readable bytes + writable bytes) →
 * runtime/client.ts.
 */
import { connect as netConnect, createServer, type AddressInfo, type Socket } from "node:net";
import {
  connect as tlsConnect,
  createSecureContext,
  TLSSocket,
  type ConnectionOptions as TlsConnectionOptions,
  type TlsOptions,
} from "node:tls";
import { Writable, type Readable } from "node:stream";
import { ConnectionError, UsageError } from "./errors.js";
import { watchAbort } from "./deadline.js";
import { openFdTransport } from "./fd-socket.js";

/** Where to reach the server. Exactly one of the shapes. */
export type TransportTarget =
  /** A unix socket QEMU listens on (`-qmp unix:PATH,server=on,wait=off`). */
  | {
      path: string;
      /**
       * Open the socket so that calls can pass file descriptors (`executeWith(…, { fds })`), through the
       * optional package usocket; without it the connection works and such calls reject with FdPassingError.
       */
      fds?: boolean;
    }
  /**
   * TCP, optionally TLS (`tls: true` or node TLS options: `ca`, `cert`, `key`, `servername`, …).
   * `tlsRecordPerByte` (default true with TLS): see `recordPerByte` below.
   */
  | { host: string; port: number; tls?: true | TlsConnectionOptions; tlsRecordPerByte?: boolean }
  /** An existing byte stream, or a readable/writable pair such as a child's stdout/stdin. */
  | { stream: Readable & Writable }
  | { stream: { readable: Readable; writable: Writable } }
  /**
   * Listen and accept one connection (QEMU started as a socket client). With
   * `tls` (node server options: `key`, `cert`, `ca`, `requestCert`, …) the
   * connection is TLS, for a chardev with `tls-creds` of endpoint `client`.
   */
  | {
      listen: ListenAddress;
      onListening?: (address: string | AddressInfo) => void;
      tls?: TlsOptions;
      tlsRecordPerByte?: boolean;
    };

/** Where listening mode listens: a unix socket path, or TCP (host defaults to 127.0.0.1; port 0 picks one). */
export type ListenAddress = { path: string } | { host?: string; port: number };

/** An open byte channel. */
export interface Transport {
  readonly input: Readable;
  readonly output: Writable;
  /** A description for messages: `unix:/run/qmp.sock`, `tcp:127.0.0.1:4444`, `stream`. */
  readonly description: string;
  /** Closes both directions; idempotent. */
  destroy(): void;
  /** Writes `text` with file descriptors attached (SCM_RIGHTS); absent where the transport cannot. */
  writeWithFds?(text: string, fds: readonly number[], done: (error?: Error | null) => void): void;
  /** Why this transport carries no descriptors although they were asked for (usocket missing). */
  fdsUnavailable?: Error;
}

/**
 * Opens a transport to the target.
 * @throws ConnectionError when the socket cannot be opened, the TLS handshake fails, or `signal` aborts;
 *   UsageError for a port outside 1–65535 (0–65535 when listening).
 */
export async function openTransport(target: TransportTarget, signal?: AbortSignal): Promise<Transport> {
  if ("port" in target) checkPort(target.port, 1, "port");
  if ("listen" in target && "port" in target.listen) checkPort(target.listen.port, 0, "listen.port");
  if ("stream" in target) {
    const s = target.stream;
    if ("readable" in s && "writable" in s && typeof (s as { readable: unknown }).readable === "object") {
      const pair = s as { readable: Readable; writable: Writable };
      return {
        input: pair.readable,
        output: pair.writable,
        description: "stream",
        destroy: () => (pair.readable.destroy(), pair.writable.destroy()),
      };
    }
    const duplex = s as Readable & Writable;
    return { input: duplex, output: duplex, description: "stream", destroy: () => void duplex.destroy() };
  }
  if ("listen" in target) {
    const accepted = await acceptOne(target.listen, target.onListening, signal, target.tls);
    return target.tls && target.tlsRecordPerByte !== false
      ? { ...accepted, output: recordPerByte(accepted.output) }
      : accepted;
  }
  if ("path" in target) {
    const plain = () => socketTransport(() => netConnect(target.path), "connect", `unix:${target.path}`, signal);
    return target.fds ? openFdTransport(target.path, plain, signal) : plain();
  }
  const description = `${target.tls ? "tls" : "tcp"}:${target.host}:${target.port}`;
  if (target.tls) {
    const tlsOptions = target.tls === true ? {} : target.tls;
    const transport = await socketTransport(
      () => tlsConnect({ host: target.host, port: target.port, ...tlsOptions }),
      "secureConnect",
      description,
      signal,
    );
    return target.tlsRecordPerByte === false ? transport : { ...transport, output: recordPerByte(transport.output) };
  }
  return socketTransport(() => netConnect(target.port, target.host), "connect", description, signal);
}

/** Node throws a bare RangeError from deep inside `net` for a bad port; say what is wrong instead. */
function checkPort(port: unknown, lowest: number, option: string): void {
  if (typeof port === "number" && Number.isInteger(port) && port >= lowest && port <= 65535) return;
  throw new UsageError(
    `${option} must be a whole number from ${lowest} to 65535, got ${typeof port === "number" ? port : JSON.stringify(port)}`,
  );
}

function socketTransport(
  open: () => Socket,
  readyEvent: string,
  description: string,
  signal?: AbortSignal,
): Promise<Transport> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted)
      return reject(new ConnectionError(`connecting to ${description} was aborted`, { cause: signal.reason }));
    const socket = open();
    const unwatch = signal
      ? watchAbort(signal, () => {
          socket.destroy();
          reject(new ConnectionError(`connecting to ${description} was aborted`, { cause: signal.reason }));
        })
      : () => undefined;
    socket.once("error", (error) => {
      unwatch();
      reject(new ConnectionError(`cannot connect to ${description}: ${error.message}`, { cause: error }));
    });
    socket.once(readyEvent, () => {
      unwatch();
      socket.removeAllListeners("error");
      socket.setNoDelay?.(true);
      resolve(socketAsTransport(socket, description));
    });
  });
}

function socketAsTransport(socket: Socket, description: string): Transport {
  return { input: socket, output: socket, description, destroy: () => void socket.destroy() };
}

function acceptOne(
  where: ListenAddress,
  onListening: ((address: string | AddressInfo) => void) | undefined,
  signal: AbortSignal | undefined,
  tls: TlsOptions | undefined,
): Promise<Transport> {
  return new Promise((resolve, reject) => {
    // Without TLS, hold the peer's first bytes until the client listens; with TLS the handshake must flow.
    const server = createServer({ pauseOnConnect: !tls });
    const description = `${"path" in where ? `unix:${where.path}` : `tcp:${where.host ?? "127.0.0.1"}:${where.port}`} (listening${tls ? ", tls" : ""})`;
    let done = false;
    let unwatch = (): void => undefined;
    const finish = (error?: Error, socket?: Socket) => {
      if (done) return;
      done = true;
      unwatch();
      server.close(); // one peer only: stop accepting (a unix socket file is removed by close)
      if (error) {
        socket?.destroy();
        reject(error);
      } else {
        socket!.setNoDelay?.(true);
        resolve(socketAsTransport(socket!, description));
      }
    };
    const onAbort = () =>
      finish(new ConnectionError(`waiting for a connection on ${description} was aborted`, { cause: signal?.reason }));
    if (signal?.aborted) return onAbort();
    if (signal) unwatch = watchAbort(signal, onAbort);
    server.once("error", (error) =>
      finish(new ConnectionError(`cannot listen on ${description}: ${error.message}`, { cause: error })),
    );
    server.once("connection", (socket) => {
      if (!tls) return finish(undefined, socket);
      server.close();
      const secure = new TLSSocket(socket, {
        isServer: true,
        secureContext: createSecureContext(tls),
        requestCert: tls.requestCert,
        rejectUnauthorized: tls.rejectUnauthorized,
      });
      secure.once("secure", () => {
        secure.removeAllListeners("error");
        finish(undefined, secure);
      });
      secure.once("error", (error) =>
        finish(
          new ConnectionError(`TLS handshake with the peer on ${description} failed: ${error.message}`, {
            cause: error,
          }),
          secure,
        ),
      );
    });
    server.once("listening", () => onListening?.(server.address()!));
    if ("path" in where) server.listen(where.path);
    else server.listen(where.port, where.host ?? "127.0.0.1");
  });
}

/**
 * QEMU's monitor reads its chardev one byte per wake-up (its can-read answer is
 * 1). Over TLS the channel decrypts a whole record, hands over one byte and
 * keeps the rest inside GnuTLS, where the socket poll cannot see it, so the rest
 * of a command is only read when more bytes arrive: a command sent as one record
 * is never executed (seen with QEMU 7.2). Sending every byte as its own record
 * makes each wake-up find exactly what the monitor will read. It costs about 22
 * bytes and one write per byte sent, which commands of a few hundred bytes afford.
 */
function recordPerByte(socket: Writable): Writable {
  const oneByte = (byte: number) =>
    new Promise<void>((resolve, reject) =>
      socket.write(Buffer.from([byte]), (error) => (error ? reject(error) : resolve())),
    );
  const writer = new Writable({
    async write(chunk: Buffer, _encoding, callback) {
      try {
        for (const byte of chunk) await oneByte(byte);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  socket.on("error", (error) => writer.destroy(error));
  return writer;
}
