/**
 * Waiting for a QEMU monitor socket that a test started QEMU with
 * (`server=on,wait=off`) to accept connections.
 *
 * QEMU creates a unix socket's file (bind) a moment before it listens, so a
 * connect right after the file appears can be refused on a loaded machine.
 * This helper retries until a connection is accepted, then closes it: QEMU's
 * monitor goes back to listening and the test's own client connects next.
 * (The runtime client has the same built in: `connect({ …, waitForServer })`.)
 */
import { existsSync } from "node:fs";
import { createConnection } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Resolves once `path` accepts a connection.
 * @param alive returns false once the QEMU process has exited (the wait then fails at once)
 * @throws Error when QEMU exits, or the socket does not accept within `limitMs`.
 */
export async function waitUntilListening(
  path: string,
  alive: () => boolean = () => true,
  limitMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (!alive()) throw new Error(`QEMU exited before ${path} accepted a connection`);
    if (existsSync(path) && (await accepts(path))) return;
    if (Date.now() > deadline) throw new Error(`${path} did not accept a connection within ${limitMs} ms`);
    await sleep(20);
  }
}

function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
