/**
 * Socket plumbing shared by the live mock (server.ts) and the replaying one
 * (replay.ts): listen on a unix path or TCP port, hand each accepted socket to
 * the caller's session factory, and tear everything down on close.
 */
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";

/** Where a listening mock can be reached. */
export type MockAddress = { readonly path: string } | { readonly host: string; readonly port: number };

/** What a mock was asked to listen on: a unix socket path, or a TCP host and port (0 picks a free port). */
export type ListenAddress = { path: string } | { host?: string; port?: number };

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
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      if ("path" in address) server.listen(address.path, resolve);
      else server.listen(address.port ?? 0, address.host ?? "127.0.0.1", resolve);
    });
    const bound = server.address();
    if (typeof bound === "string") return { path: bound };
    const info = bound as AddressInfo;
    return { host: info.address, port: info.port };
  }

  /** Destroys every client socket and stops every listener. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
