/**
 * Guest agent synchronisation (qmp-spec "QGA Synchronization").
 *
 * The agent sends no greeting, and its channel (often virtio-serial) may hold
 * half a request of an earlier client and replies nobody read. So before the
 * first command the client sends a 0xFF byte, which makes the agent's parser
 * drop any partial input, then `guest-sync-delimited` with a random token. The
 * agent answers with a 0xFF byte and then the reply; everything read before that
 * byte is stale and discarded (runtime/framing.ts). A timed-out attempt is
 * retried with a new token.
 *
 * Data flow: runtime/connect.ts → `syncGuestAgent` → the client is released.
 */
import type { QmpClient } from "./client.js";
import { GreetingError, TimeoutError } from "./errors.js";

/**
 * Brings a guest agent session into a known state.
 * @throws GreetingError when no attempt got the matching reply; InterruptedError when the connection ended.
 */
export async function syncGuestAgent(client: QmpClient<any, any>, attempts: number, timeout: number): Promise<void> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // guest-sync-delimited takes an int; stay within the safe range so the echo compares exactly.
    const token = Math.floor(Math.random() * 2 ** 52);
    client.beginResync();
    try {
      const echoed = await client.callDuringSetup("guest-sync-delimited", { id: token }, { timeout, validate: "off", oob: false });
      if (echoed === token) return;
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
    }
  }
  throw new GreetingError(`the guest agent did not answer guest-sync-delimited (${attempts} attempts of ${timeout} ms)`);
}
