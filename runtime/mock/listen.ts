/**
 * Socket plumbing shared by the live mock (server.ts) and the replaying one
 * (replay.ts): listen on a unix path or TCP port, hand each accepted socket to
 * the caller's session factory, and tear everything down on close.
 *
 * A unix socket file outlives a process that was killed, and binding over it
 * fails with EADDRINUSE. So when the path is taken, the mock tries to connect:
 * nobody answering means a leftover, which is removed before listening again;
 * a live listener, or a file that is not a socket, is a MockListenError saying
 * which.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { chmodSync, lstatSync, unlinkSync } from "node:fs";

/** The mock cannot listen where it was asked to; `code` is the system's reason. */
export class MockListenError extends Error {
  override name = "MockListenError";
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Where a listening mock can be reached. */
export type MockAddress = { readonly path: string } | { readonly host: string; readonly port: number };

/** What a mock was asked to listen on: a unix socket path, or a TCP host and port (0 picks a free port). */
export type ListenAddress = { path: string } | { host?: string; port?: number };

/**
 * Runs `bind` (which binds a unix socket synchronously) under umask 077, so the
 * socket is never connectable by others, even for a moment; a worker thread,
 * which may not change the umask, relies on the chmod after binding.
 */
function ownerOnly(bind: () => void): void {
  let old: number | undefined;
  try {
    old = process.umask(0o077);
  } catch {
    old = undefined;
  }
  try {
    bind();
  } finally {
    if (old !== undefined) process.umask(old);
  }
}

/** The listeners and open sockets of one mock. */
export class Listeners {
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();

  /** Starts a listener; `onSocket` runs for each client. */
  async listen(address: ListenAddress, onSocket: (socket: Socket) => void): Promise<MockAddress> {
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      onSocket(socket);
    });
    this.servers.push(server);
    const start = () =>
      new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        if ("path" in address)
          ownerOnly(() => server.listen(address.path, () => (server.off("error", reject), resolve())));
        else
          server.listen(address.port ?? 0, address.host ?? "127.0.0.1", () => (server.off("error", reject), resolve()));
      });
    try {
      await start();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!("path" in address) || code !== "EADDRINUSE") throw listenError(address, error as NodeJS.ErrnoException);
      await removeLeftover(address.path);
      await start().catch((again: NodeJS.ErrnoException) => {
        throw listenError(address, again);
      });
    }
    const bound = server.address();
    if (typeof bound === "string") {
      chmodSync(bound, 0o600); // whatever umask the socket was bound under
      return { path: bound };
    }
    const info = bound as AddressInfo;
    return { host: info.address, port: info.port };
  }

  /** Destroys every client socket and stops every listener. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** Removes a unix socket file nobody listens on. @throws MockListenError when it is live or not a socket. */
async function removeLeftover(path: string): Promise<void> {
  let isSocket = false;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // gone meanwhile
  }
  if (!isSocket)
    throw new MockListenError(`cannot listen on ${path}: the path exists and is not a socket`, "EADDRINUSE");
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once("connect", () => (probe.destroy(), resolve(true)));
    probe.once("error", () => resolve(false));
  });
  if (live) throw new MockListenError(`cannot listen on ${path}: another process is listening on it`, "EADDRINUSE");
  unlinkSync(path);
}

function listenError(address: ListenAddress, error: NodeJS.ErrnoException): MockListenError {
  const where = "path" in address ? address.path : `${address.host ?? "127.0.0.1"}:${address.port ?? 0}`;
  const why =
    error.code === "EADDRINUSE"
      ? "the address is in use"
      : error.code === "EACCES"
        ? "permission denied"
        : error.message;
  return new MockListenError(`cannot listen on ${where}: ${why}`, error.code, { cause: error });
}
