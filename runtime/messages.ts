/**
 * The QMP messages (qmp-spec "Protocol Specification") as TypeScript types,
 * and the one classifier that tells them apart.
 *
 * Data flow: runtime/json.ts values → `classifyMessage` → runtime/session.ts
 * routes greetings, replies and events; the mock server and replay
 * (runtime/mock/) find commands with it, and `validate-log`
 * (tools/validate-log/) checks each message of a log by its kind.
 */
import { previewJson } from "./preview.js";

/** The server's version, as in the greeting and `query-version`. */
export interface QmpVersion {
  qemu: { major: number; minor: number; micro: number };
  package: string;
}

/** The greeting's content (`{"QMP": {...}}`). */
export interface QmpGreeting {
  version: QmpVersion;
  /** Capabilities the server offers, e.g. `["oob"]`. */
  capabilities: string[];
}

/** Server time of an event: seconds and microseconds since the epoch, both -1 when unknown. */
export interface QmpTimestamp {
  seconds: number;
  microseconds: number;
}

/** One asynchronous event as received. `data` is absent for events without data. */
export interface QmpEventMessage<Name extends string = string, Data = unknown> {
  event: Name;
  data: Data;
  timestamp: QmpTimestamp;
}

/**
 * A message as classified by `classifyMessage`. `unknown` says where and what
 * is wrong, for a reader that reports it (`validate-log`); the client only
 * cares that it is neither reply nor event.
 */
export type ClassifiedMessage =
  | { kind: "greeting"; greeting: QmpGreeting }
  | { kind: "command"; name: string; oob: boolean; id: unknown; hasId: boolean; arguments: unknown }
  | { kind: "return"; id: unknown; hasId: boolean; value: unknown }
  | { kind: "error"; id: unknown; hasId: boolean; errorClass: string; desc: string }
  | { kind: "event"; event: QmpEventMessage }
  | { kind: "unknown"; path: string; problem: string };

/** What a QMP message is, judged by its shape alone. */
export type MessageKind = ClassifiedMessage["kind"];

/** Which side sent a message of the given kind. */
export function directionOf(kind: MessageKind): "client" | "server" | "unknown" {
  if (kind === "command") return "client";
  if (kind === "unknown") return "unknown";
  return "server";
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Sorts a parsed message into greeting, command, success reply, error reply,
 * event, or unknown: the one classifier of the client, the mock, replay and
 * `validate-log`. The first member present decides, in the order `return`,
 * `error`, `event`, `QMP`, `execute` / `exec-oob` (replies first: the client
 * reads them most). An error reply without a string `class` or `desc` is
 * still an error (class `GenericError`); an event without a string name, a
 * greeting without a `capabilities` list and a command without a string name
 * are `unknown`, with the path of what is missing.
 */
export function classifyMessage(message: unknown): ClassifiedMessage {
  if (message === null || typeof message !== "object" || Array.isArray(message))
    return { kind: "unknown", path: "$", problem: "expected a JSON object" };
  const m = message as Record<string, unknown>;
  const hasId = hasOwn.call(m, "id");
  if (hasOwn.call(m, "return")) return { kind: "return", id: m.id, hasId, value: m.return };
  if (hasOwn.call(m, "error")) {
    const error = m.error as Record<string, unknown> | null;
    const errorClass = typeof error?.class === "string" ? error.class : "GenericError";
    // A peer's error may hold anything (bigints, deep nesting): described, never stringified whole.
    const desc = typeof error?.desc === "string" ? error.desc : previewJson(error);
    return { kind: "error", id: m.id, hasId, errorClass, desc };
  }
  if (hasOwn.call(m, "event")) {
    if (typeof m.event !== "string") return { kind: "unknown", path: "$.event", problem: "expected an event name" };
    const timestamp = (m.timestamp as QmpTimestamp | undefined) ?? { seconds: -1, microseconds: -1 };
    return { kind: "event", event: { event: m.event, data: m.data, timestamp } };
  }
  if (hasOwn.call(m, "QMP")) {
    const q = m.QMP as Record<string, unknown> | null;
    if (q && typeof q === "object" && Array.isArray(q.capabilities)) {
      return {
        kind: "greeting",
        greeting: {
          version: q.version as QmpVersion,
          // String() would call a peer's `toString` member (`{"toString": 1}` throws).
          capabilities: q.capabilities.map((c) => (typeof c === "string" ? c : previewJson(c, 60))),
        },
      };
    }
    return { kind: "unknown", path: "$.QMP", problem: "expected a greeting with 'version' and 'capabilities'" };
  }
  const oob = hasOwn.call(m, "exec-oob");
  if (oob || hasOwn.call(m, "execute")) {
    const name = oob ? m["exec-oob"] : m.execute;
    if (typeof name !== "string")
      return { kind: "unknown", path: oob ? '$["exec-oob"]' : "$.execute", problem: "expected a command name" };
    return { kind: "command", name, oob, id: m.id, hasId, arguments: m.arguments };
  }
  return { kind: "unknown", path: "$", problem: `not a QMP message (keys: ${Object.keys(m).join(", ") || "none"})` };
}
