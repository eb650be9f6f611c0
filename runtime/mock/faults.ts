/**
 * Fault knobs of the mock QMP server, for testing how a client copes with a
 * misbehaving peer. server.ts reads them per connection; each knob names the
 * wire misbehaviour it causes, so a runtime test reads like its scenario.
 */

import type { JsonValue } from "./json-text.js";

/** How the server misbehaves at connection start. */
export interface GreetingFault {
  /** Send these events (no data) before the greeting, which QEMU never does. */
  readonly eventsBefore?: readonly string[];
  /** Never send the greeting (the client should time out). */
  readonly omit?: boolean;
  /** Send this raw text before the greeting. */
  readonly garbageBefore?: string;
  /** Wait this long before greeting. */
  readonly delayMs?: number;
  /** Send this raw text instead of the greeting. */
  readonly replaceWith?: string;
}

/** How the server misbehaves when answering one command. */
export interface CommandFault {
  /** Wait this long before answering. */
  readonly delayMs?: number;
  /**
   * What to send instead of the proper reply:
   * - `none`: nothing (the call hangs until the client gives up);
   * - `garbage`: a text that is not JSON;
   * - `truncated`: the first half of the reply, then the connection closes;
   * - `oversize`: a valid reply padded to `oversizeBytes`;
   * - `no-id`: the reply without its `id`;
   * - `unknown-id`: the reply with an id the client never used;
   * - `close`: close the connection without answering.
   */
  readonly reply?: "none" | "garbage" | "truncated" | "oversize" | "no-id" | "unknown-id" | "close";
  /** Size of an `oversize` reply in bytes; default 2 MiB. */
  readonly oversizeBytes?: number;
  /** The id an `unknown-id` reply carries; default `"mock-unknown-id"`. */
  readonly unknownId?: JsonValue;
  /**
   * Answer with this error instead of running the command; the only way to
   * make a built-in such as `qmp_capabilities` fail.
   */
  readonly errorReply?: { readonly class: string; readonly desc: string };
  /** Send this raw text instead of the reply (exact bytes: broken JSON, say). */
  readonly replaceWith?: string;
  /** Raw text written in the same write right after the reply, so a client reads both in one chunk. */
  readonly garbageAfter?: string;
  /** Send these events (no data) just before the reply, e.g. before the negotiation reply. */
  readonly eventsBefore?: readonly string[];
}

/** All fault knobs; every one is off by default. */
export interface MockFaults {
  readonly greeting?: GreetingFault;
  /** Per command name; `*` applies to every command without its own entry. */
  readonly commands?: Readonly<Record<string, CommandFault>>;
}
