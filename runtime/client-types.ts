/**
 * The types of the client's public surface: options of the session and of
 * each call, diagnostics, states. Kept apart from runtime/client.ts so the
 * session, the call table and the validation hook can share them without
 * importing the client.
 *
 * Data flow: users import them through runtime/index.ts; runtime/session.ts,
 * runtime/call-table.ts and runtime/validation-hook.ts use them.
 */
import type { EventMapBase, ValidationIssue, ValidationMode } from "./sdk.js";
import type { QmpEventMessage } from "./messages.js";
import type { CommandKind } from "./default-timeouts.js";

/**
 * The `args` parameter of `executeWith`: `undefined` for a command without
 * arguments, the object or `undefined` when no member is required, else the object.
 */
export type ArgsValue<A> = [A] extends [undefined] ? undefined : {} extends A ? A | undefined : A;

/** Any event of map E, as a union discriminated by `event`. */
export type AnyEventOf<E extends EventMapBase> = { [N in keyof E & string]: QmpEventMessage<N, E[N]> }[keyof E &
  string];

/** Where a client is in its life (`reconnecting`: only with the `reconnect` option, between connections). */
export type ClientState = "connecting" | "running" | "reconnecting" | "closed";

/** Per-call options (`executeWith`), also settable as defaults for the whole client. */
export interface CallOptions {
  /**
   * Reject with TimeoutError after this many milliseconds (`Infinity`: no limit;
   * NaN or negative: UsageError). The command may still run; its late reply is dropped.
   */
  timeout?: number | undefined;
  /** Reject with AbortError when the signal fires. The command may still run if it was already sent. */
  signal?: AbortSignal | undefined;
  /** Validation of the arguments and the reply; default: the client's `validate` option. */
  validate?: ValidationMode | undefined;
  /**
   * Out-of-band execution (qmp-spec "Out-of-band execution"). Default: `exec-oob`
   * when oob was negotiated and the command allows it. `true` demands it
   * (UsageError otherwise), `false` forces in-band.
   */
  oob?: boolean | undefined;
  /**
   * File descriptors sent with the command (SCM_RIGHTS), for `getfd` and `add-fd`. Needs a unix socket
   * opened with `fds: true` and the optional package usocket; otherwise FdPassingError, nothing sent.
   * The descriptors stay open on our side: close them when the call has settled.
   */
  fds?: readonly number[] | undefined;
}

/** Something the client noticed but did not treat as an error of any call. */
export interface QmpDiagnostic {
  kind:
    | "unknown-id" // a reply whose id matches no call (dropped, as qmp-spec says)
    | "late-reply" // the reply of a call that already timed out or was aborted (or a refusal after a no-reply command was taken as accepted)
    | "stale-output" // guest agent: output of an abandoned sync attempt, such as the agent's error about our 0xFF reset byte
    | "unexpected-message" // a message that is neither reply nor event, or a second greeting
    | "validation-notice" // lenient validation let unknown members or enum values through
    | "invalid-event" // an event that failed validation (it is still delivered)
    | "server-release" // at connect: the server's release is one the SDK's version history does not cover (newer, development build, older), so validation checks what is known
    | "listener-error"; // an event listener threw
  message: string;
  /** The message or value concerned. */
  value?: unknown;
  issues?: readonly ValidationIssue[];
}

/** Options of the session itself (the transport target is separate). */
export interface SessionOptions {
  /** `qmp` (greeting + negotiation) or `qga` (guest agent: no greeting, sync). Default: the SDK's protocol, else `qmp`. */
  protocol?: "qmp" | "qga";
  /** Enable the `oob` capability when the server offers it (default false). */
  oob?: boolean;
  /**
   * Time limit for the greeting and negotiation, in ms (default 10 000; `Infinity`: none). The guest
   * agent's sync is bounded by `syncAttempts` × `syncTimeout` instead. NaN or negative: UsageError.
   */
  handshakeTimeout?: number;
  /** Validation of arguments, replies and events via `sdk.validators` (default `off`). */
  validate?: ValidationMode;
  /**
   * What validation checks against. `server` (the default when `validate` is on): after the greeting
   * (the guest agent: `guest-info`), the SDK's schema cut to the connected release by the SDK's version
   * history, so an older QEMU's conversation is checked as that release has it. `sdk`: the SDK's own
   * schema, whatever the server. With `validate: "off"`, `server` must be asked for explicitly
   * (for per-call validation); the default then is `sdk`.
   */
  validateAgainst?: "server" | "sdk";
  /**
   * One time limit in ms for every call without its own `timeout` (`Infinity`: none), instead of the
   * defaults by kind of command (`commandTimeouts`). NaN or negative: UsageError.
   */
  commandTimeout?: number;
  /**
   * Time limits in ms of calls without their own `timeout`, by kind of command (runtime/default-timeouts.ts):
   * `query` (default 10 000), `command` (60 000), `long` — waits on storage or the guest (600 000).
   * `Infinity`: none. Ignored when `commandTimeout` is given.
   */
  commandTimeouts?: Partial<Record<CommandKind, number>>;
  /** Largest message accepted from the server, in characters (default 64 Mi). */
  maxMessageSize?: number;
  /** Guest agent: attempts of `guest-sync-delimited` before giving up (default 3). */
  syncAttempts?: number;
  /** Guest agent: time limit of one sync attempt in ms (default 3 000). */
  syncTimeout?: number;
  /**
   * Gets diagnostics (unknown ids, late replies, validation notices, invalid events,
   * a server release the SDK's history does not cover, listener errors). Silent by default, except that a listener's exception is then
   * re-thrown as an uncaught exception.
   */
  onDiagnostic?: (diagnostic: QmpDiagnostic) => void;
}
