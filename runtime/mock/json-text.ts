/**
 * JSON values ↔ text for the mock QMP server, through the runtime's lossless
 * JSON (runtime/json.ts). Incoming text is cut into JSON texts by the
 * runtime's one splitter (runtime/json-stream.ts, whose policy answers
 * garbage as QEMU does: report it and read on) in connection.ts, then parsed
 * by `decodeJsonText`; outgoing values are written by `encodeJsonText`, one text per
 * line as QEMU does.
 */

import { parseJson, stringifyJson } from "../json.js";
import type { JsonValue } from "../conversation-log.js";

export type { JsonObject, JsonValue } from "../conversation-log.js";

/**
 * Serialises a value as one JSON text, bigints as exact integers (handlers may
 * return QAPI `int64`/`uint64` values a double cannot hold). The runtime's
 * lossless writer, so client and mock agree byte for byte.
 */
export function encodeJsonText(value: unknown): string {
  return stringifyJson(value);
}

/**
 * Parses one JSON text; integers a double cannot hold exactly come back as
 * bigints, so recorded values survive a record → replay round trip unchanged.
 * @throws SyntaxError when the text is not JSON.
 */
export function decodeJsonText(text: string): JsonValue {
  return parseJson(text) as JsonValue;
}
