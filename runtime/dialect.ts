/**
 * The two dialects the runtime speaks, as objects the session and set-up
 * consult instead of testing `protocol === "qga"` at each difference:
 *
 * - `qmp` (QEMU, qemu-storage-daemon): a greeting first, then
 *   `qmp_capabilities`; ids start at 1; a message other than the greeting
 *   before it is a protocol error.
 * - `qga` (the guest agent): no greeting; the channel may hold output of an
 *   earlier client, so ids start at a random point, input is framed by the 0xFF
 *   sentinel, and set-up (also after a reconnect, and on `resync()`) is a
 *   `guest-sync-delimited` exchange (runtime/guest-sync.ts).
 *
 * After set-up, either dialect asks runtime/follow-server.ts for validators of
 * the server's release (the greeting's version, or `guest-info`'s).
 *
 * Data flow: runtime/connect.ts picks the dialect (`dialectOf`) and runs its
 * `handshake` (again on every reconnect, runtime/reconnect.ts);
 * runtime/session.ts reads `sentinel`, `firstId` and `greets`.
 */
import type { SessionSetup } from "./session.js";
import type { SdkDescriptor } from "./sdk.js";
import type { SessionOptions } from "./client-types.js";
import { ExecuteError, NegotiationError, TimeoutError } from "./errors.js";
import { syncGuestAgent } from "./guest-sync.js";
import { agentVersion, followServer, greetingVersion } from "./follow-server.js";

/** What the set-up of one connection needs from the options. */
export interface HandshakeOptions {
  readonly oob: boolean;
  readonly syncAttempts: number;
  /** Limit of one sync attempt in ms (undefined: none). */
  readonly syncTimeout: number | undefined;
}

/** One wire dialect. */
export interface Dialect {
  readonly protocol: "qmp" | "qga";
  /** The server speaks first with a greeting (QMP); anything else first is a protocol error. */
  readonly greets: boolean;
  /** Input is framed by the guest agent's 0xFF sentinel (runtime/framing.ts). */
  readonly sentinel: boolean;
  /** The first call id of a connection. */
  firstId(): number;
  /**
   * True when `handshakeTimeout` bounds the whole set-up; false when set-up
   * bounds itself (the guest agent's sync: attempts × their own limit).
   */
  readonly boundedByHandshakeTimeout: boolean;
  /** True when the session can be brought back into a known state in place (`resync()`). */
  readonly resyncs: boolean;
  /** Brings a fresh connection into the running state, and makes validation follow its server. */
  handshake(session: SessionSetup, sdk: SdkDescriptor, options: HandshakeOptions): Promise<void>;
}

/** QMP: greeting, then capabilities negotiation (qmp-spec "Capabilities Negotiation"). */
export const qmpDialect: Dialect = {
  protocol: "qmp",
  greets: true,
  sentinel: false,
  firstId: () => 1,
  boundedByHandshakeTimeout: true,
  resyncs: false,
  async handshake(session, sdk, options) {
    const greeting = await session.greeting();
    if (session.followsServer) session.useServerValidators(await followServer(sdk, greetingVersion(greeting.version)));
    const wanted = options.oob && greeting.capabilities.includes("oob") ? ["oob"] : [];
    try {
      await session.call("qmp_capabilities", wanted.length > 0 ? { enable: wanted } : undefined, {
        validate: "off",
        oob: false,
      });
    } catch (error) {
      if (error instanceof ExecuteError)
        throw new NegotiationError(`qmp_capabilities failed: ${error.errorClass}: ${error.desc}`, { cause: error });
      throw error;
    }
    session.enable(wanted);
  },
};

/** The guest agent: synchronisation instead of a greeting; `guest-info` names the release. */
export const guestAgentDialect: Dialect = {
  protocol: "qga",
  greets: false,
  sentinel: true,
  // The channel may carry replies of an earlier client: start ids at a random point.
  firstId: () => 1 + Math.floor(Math.random() * 2 ** 40),
  boundedByHandshakeTimeout: false,
  resyncs: true,
  async handshake(session, sdk, options) {
    await syncGuestAgent(session, options.syncAttempts, options.syncTimeout);
    if (!session.followsServer) return;
    let info: unknown;
    try {
      // Bounded like one sync attempt: an agent that answered the sync answers this at once.
      info = await session.call("guest-info", undefined, {
        validate: "off",
        ...(options.syncTimeout !== undefined ? { timeout: options.syncTimeout } : {}),
      });
    } catch (error) {
      // An agent with guest-info disabled (`--block-rpcs`) still works; validation keeps the SDK's schema.
      if (!(error instanceof ExecuteError || error instanceof TimeoutError)) throw error;
    }
    session.useServerValidators(await followServer(sdk, agentVersion(info)));
  },
};

/** The dialect a session speaks: the `protocol` option, else the SDK's, else QMP. */
export function dialectOf(sdk: SdkDescriptor, options: Pick<SessionOptions, "protocol">): Dialect {
  return (options.protocol ?? sdk.protocol ?? "qmp") === "qga" ? guestAgentDialect : qmpDialect;
}
