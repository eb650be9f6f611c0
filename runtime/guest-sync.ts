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
 * A slow or stopped agent answers abandoned attempts later, in order: for each
 * of our 0xFF bytes an id-less "stray" parse error, for each attempt its sync
 * reply. The replies carry the ids of calls that gave up and are dropped as
 * late; the id-less errors are dropped because the session is told a sync is in
 * progress (`agentSync(true)`) until the current attempt's reply arrives, which
 * the agent can only send after answering everything we sent before it.
 *
 * Data flow: runtime/connect.ts (at connect) or QmpClient.resync →
 * `syncGuestAgent` → runtime/session.ts through `SessionSetup`.
 */
import type { SessionSetup } from "./session.js";
import { GreetingError, TimeoutError } from "./errors.js";

/**
 * Brings a guest agent session into a known state.
 * @param timeout limit of one attempt in ms; undefined: none.
 * @throws GreetingError when no attempt got the matching reply; InterruptedError when the connection ended.
 */
export async function syncGuestAgent(
  session: SessionSetup,
  attempts: number,
  timeout: number | undefined,
): Promise<void> {
  try {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      // guest-sync-delimited takes an int; stay within the safe range so the echo compares exactly.
      const token = Math.floor(Math.random() * 2 ** 52);
      session.agentSync(true);
      try {
        const echoed = await session.call(
          "guest-sync-delimited",
          { id: token },
          { timeout, validate: "off", oob: false },
        );
        if (echoed === token) return;
      } catch (error) {
        if (!(error instanceof TimeoutError)) throw error;
      }
    }
  } finally {
    session.agentSync(false);
  }
  throw new GreetingError(
    `the guest agent did not answer guest-sync-delimited (${attempts} attempts of ${timeout ?? "unlimited"} ms)`,
  );
}
