/**
 * The QMP wire messages (qmp-spec "Protocol Specification") as TypeScript types,
 * and the classifier that tells them apart.
 *
 * Data flow: runtime/json.ts values → `classifyMessage` → runtime/client.ts
 * routes greetings, replies and events.
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

/** A message as classified by `classifyMessage`. */
export type ClassifiedMessage =
  | { kind: "greeting"; greeting: QmpGreeting }
  | { kind: "return"; id: unknown; hasId: boolean; value: unknown }
  | { kind: "error"; id: unknown; hasId: boolean; errorClass: string; desc: string }
  | { kind: "event"; event: QmpEventMessage }
  | { kind: "unknown" };

const hasOwn = Object.prototype.hasOwnProperty;

/** Sorts a parsed message into greeting, success reply, error reply, event, or unknown. */
export function classifyMessage(message: unknown): ClassifiedMessage {
  if (message === null || typeof message !== "object" || Array.isArray(message)) return { kind: "unknown" };
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
  if (typeof m.event === "string") {
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
  }
  return { kind: "unknown" };
}
