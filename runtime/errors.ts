/**
 * The errors the QMP runtime raises. Every one is a `QmpError`, so callers can
 * catch the family with one `instanceof`:
 *
 *   QmpError
 *   ├── ConnectionError        could not connect, or the connection failed (`cause` holds the socket error)
 *   ├── StateError             method called in the wrong state (e.g. execute after close)
 *   ├── UsageError             a call the runtime refuses (e.g. `oob: true` for a command without allow-oob)
 *   │   └── FdPassingError     a call with `fds` where descriptors cannot go (usocket missing, not a unix socket)
 *   ├── ProtocolError          the peer broke qmp-spec; the connection is closed
 *   │   ├── GreetingError      no greeting, or not a greeting, or greeting timeout
 *   │   ├── NegotiationError   `qmp_capabilities` failed
 *   │   └── ParseError         unparsable, oversize or unroutable (id-less error) message
 *   ├── ExecuteError           the server answered with an error: class, desc, command, id
 *   ├── InterruptedError       the connection ended while the call was pending (`cause`: why)
 *   │   └── ConnectionLostError   … of a reconnecting client: not resent, the client reconnects
 *   ├── TimeoutError           the call's or wait's time limit passed
 *   ├── AbortError             the caller's AbortSignal fired (`cause`: the signal's reason)
 *   ├── ValidationError        arguments, a reply or an event did not match the schema (issues with JSON paths)
 *   ├── JobError               a background job (backup, mirror, …) ended with its own error text
 *   └── MigrationError         a migration failed (the server's error description)
 *
 * Data flow: raised by runtime/client.ts (and transports, launch, the helpers
 * of runtime/operations/); they reach the user as rejections of `execute`,
 * `waitFor`, `connect`, `runJob` and `migrate`.
 */
import type { ValidationIssue } from "./sdk.js";

/** Base class of every error raised by the QMP runtime. */
export class QmpError extends Error {
  override name = "QmpError";
}

/** Connecting failed, or the established connection failed underneath. */
export class ConnectionError extends QmpError {
  override name = "ConnectionError";
}

/** The client is not in a state that allows the call. */
export class StateError extends QmpError {
  override name = "StateError";
  constructor(
    message: string,
    /** The state the client was in. */
    readonly state: string,
    /** The state(s) the call needs. */
    readonly required: string,
  ) {
    super(message);
  }
}

/** A call the runtime refuses before sending anything. */
export class UsageError extends QmpError {
  override name = "UsageError";
}

/**
 * A call with file descriptors that cannot carry them: the optional package usocket is missing or
 * not built, or the transport is not a unix socket opened with `fds: true`. Nothing was sent.
 */
export class FdPassingError extends UsageError {
  override name = "FdPassingError";
  constructor(
    message: string,
    /** `missing` / `unusable`: usocket; `transport`: this connection cannot carry descriptors. */
    readonly reason: "missing" | "unusable" | "transport",
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The peer violated the protocol; the connection is closed after this. */
export class ProtocolError extends QmpError {
  override name = "ProtocolError";
}

/** The greeting was missing, late or malformed. */
export class GreetingError extends ProtocolError {
  override name = "GreetingError";
}

/** Capabilities negotiation (`qmp_capabilities`) failed. */
export class NegotiationError extends ProtocolError {
  override name = "NegotiationError";
}

/** A message could not be read: invalid JSON, over the size limit, not a QMP message, or an error without id. */
export class ParseError extends ProtocolError {
  override name = "ParseError";
  constructor(
    message: string,
    /** The start of the offending text, for diagnosis (at most 200 characters). */
    readonly text?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The server ran the command and answered with an error (qmp-spec "Error"). */
export class ExecuteError extends QmpError {
  override name = "ExecuteError";
  constructor(
    /** QMP error class, e.g. `GenericError`, `CommandNotFound`, `DeviceNotFound`. */
    readonly errorClass: string,
    /** The server's human-readable description (not meant to be parsed, says qmp-spec). */
    readonly desc: string,
    /** The command that failed. */
    readonly command: string,
    /** The id the command was sent with. */
    readonly id: unknown,
  ) {
    super(`${command}: ${errorClass}: ${desc}`);
  }
}

/** The connection ended while the call was pending; whether the command ran is unknown. */
export class InterruptedError extends QmpError {
  override name = "InterruptedError";
  constructor(
    message: string,
    /** The command that was pending, when the error is about a call. */
    readonly command?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A reconnecting client lost its connection while the call was pending. The
 * command may or may not have run; it is not resent. The client reconnects
 * (runtime/reconnect.ts); `cause` says why the connection ended.
 */
export class ConnectionLostError extends InterruptedError {
  override name = "ConnectionLostError";
}

/** A time limit passed. For a command, it may still run: its late reply is dropped. */
export class TimeoutError extends QmpError {
  override name = "TimeoutError";
  constructor(
    message: string,
    /** The limit that passed, in milliseconds. */
    readonly timeout: number,
  ) {
    super(message);
  }
}

/** The caller's AbortSignal fired. For a command already sent, it may still run. */
export class AbortError extends QmpError {
  override name = "AbortError";
}

/** A value did not match the schema. `issues[0]` is also in the message. */
export class ValidationError extends QmpError {
  override name = "ValidationError";
  constructor(
    /** What was checked: `arguments of blockdev-add`, `reply of query-block`, `event BLOCK_IO_ERROR`. */
    readonly subject: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(`${subject}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`);
  }

  /** JSON path of the first issue, e.g. `$.arguments["node-name"]`. */
  get path(): string {
    return this.issues[0]?.path ?? "$";
  }
}

/**
 * Strict validation that follows the server refused, before sending, a
 * command, argument or enum value the connected QEMU release lacks (the SDK,
 * made from a newer release, has it).
 */
export class NotInReleaseError extends ValidationError {
  override name = "NotInReleaseError";
  constructor(
    subject: string,
    issues: readonly ValidationIssue[],
    /** The connected server's release, as the version history lists it: "7.2.0". */
    readonly release: string,
  ) {
    super(subject, issues);
  }
}

/** A job (runtime/operations/jobs.ts) ended with an error: `jobError` is the server's text for it. */
export class JobError extends QmpError {
  override name = "JobError";
  constructor(
    /** The job's id. */
    readonly jobId: string,
    /** The job's type (`backup`, `mirror`, `commit`, `create`, …), when known. */
    readonly jobType: string | undefined,
    /** The error the server reported for the job (query-jobs `error`, BLOCK_JOB_COMPLETED `error`). */
    readonly jobError: string,
  ) {
    super(`job ${jobId}${jobType ? ` (${jobType})` : ""} failed: ${jobError}`);
  }
}

/** A migration (runtime/operations/migration.ts) ended in `failed`. */
export class MigrationError extends QmpError {
  override name = "MigrationError";
  constructor(
    /** The server's description (query-migrate `error-desc`), when it gave one. */
    readonly errorDesc: string | undefined,
    /** `source` or `destination`. */
    readonly side: "source" | "destination",
  ) {
    super(`migration failed on the ${side}${errorDesc ? `: ${errorDesc}` : ""}`);
  }
}
