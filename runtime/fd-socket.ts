/**
 * Unix sockets that carry file descriptors (SCM_RIGHTS), for `getfd` and
 * `add-fd`. Node's own sockets cannot attach ancillary data, so this goes
 * through `usocket`, an optional peer dependency: a small native add-on (one
 * C++ file) whose `USocket` is a Duplex stream with `write({ data, fds })` and
 * an `fds` event, and whose `UServer` accepts such sockets. It is compiled at
 * install time (node-gyp); where it is not installed or not built, everything
 * else works and a call with `fds` rejects with FdPassingError before anything
 * is sent.
 *
 * Data flow: runtime/transport.ts `openTransport` (`{ path, fds: true }`) →
 * `openFdTransport` → runtime/session.ts writes calls with `fds` through
 * `Transport.writeWithFds`; runtime/proxy.ts listens with `listenFd` and
 * forwards what its clients pass.
 */
import type { Duplex } from "node:stream";
import { ConnectionError, FdPassingError } from "./errors.js";
import type { Transport } from "./transport.js";

/** The parts of usocket used here. */
/** A Duplex whose writes take `{ data, fds }` and which emits `fds` with descriptors received. */
export type USocketLike = Duplex;
interface UsocketModule {
  USocket: new (options?: { path?: string }) => USocketLike;
  UServer: new () => {
    listen(path: string, callback: () => void): void;
    on(event: "connection", listener: (socket: USocketLike) => void): void;
    on(event: "error", listener: (error: Error) => void): void;
    close(): void;
  };
}

let loaded: Promise<UsocketModule | FdPassingError> | undefined;

/** usocket, or the reason it cannot be used (loaded once). */
export function loadUsocket(): Promise<UsocketModule | FdPassingError> {
  loaded ??= import("usocket" as string).then(
    (module: { default?: UsocketModule } & UsocketModule) => module.default ?? module,
    (error: NodeJS.ErrnoException) => {
      const missing = error.code === "ERR_MODULE_NOT_FOUND" || error.code === "MODULE_NOT_FOUND";
      return new FdPassingError(
        missing
          ? "passing file descriptors needs the optional package usocket, which is not installed (npm install usocket; it compiles a small native add-on)"
          : `passing file descriptors needs usocket, which is installed but cannot be loaded (not built? npm rebuild usocket): ${error.message}`,
        missing ? "missing" : "unusable",
        { cause: error },
      );
    },
  );
  return loaded;
}

/**
 * Connects to a unix socket with descriptor passing. Without usocket, a plain socket
 * transport from `fallback`, whose calls with `fds` then reject with the reason.
 */
export async function openFdTransport(
  path: string,
  fallback: () => Promise<Transport>,
  signal: AbortSignal | undefined,
): Promise<Transport> {
  const usocket = await loadUsocket();
  if (usocket instanceof FdPassingError) return { ...(await fallback()), fdsUnavailable: usocket };
  const description = `unix:${path}`;
  const socket = new usocket.USocket();
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      socket.destroy();
      reject(new ConnectionError(`cannot connect to ${description}: ${error.message}`, { cause: error }));
    };
    if (signal?.aborted) return fail(new Error("aborted"));
    signal?.addEventListener("abort", () => fail(new Error("aborted")), { once: true });
    socket.once("error", fail);
    // usocket must not be read from before it is connected: its native side asserts.
    socket.once("connected", () => (socket.off("error", fail), resolve()));
    (socket as unknown as { connect(path: string): void }).connect(path);
  });
  return usocketTransport(socket, description);
}

/** A connected usocket as a Transport. */
export function usocketTransport(socket: USocketLike, description: string): Transport {
  return {
    input: socket,
    output: socket,
    description,
    destroy: () => void socket.destroy(),
    writeWithFds: (text, fds, done) => socket.write({ data: Buffer.from(text), fds: [...fds] }, () => done()),
  };
}
