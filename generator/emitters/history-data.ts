/**
 * Emits `history.ts` of a generated SDK given a version history (`generate
 * --history`): the history as data (core/history.ts `HistoryData`, one JSON
 * text per entry) and `history()`, which decodes it. index-file.ts names it
 * in the descriptor as a dynamic import, so the data is read only when a
 * connection validates; runtime/follow-server.ts then follows the server's
 * release with it. Without a history, no file and no loader: the SDK
 * validates against its own schema.
 */
import { GeneratedFile } from "../printer/generated-file.js";
import { encodeHistory } from "../../core/history.js";
import type { GenContext } from "./context.js";
import { fileHeader } from "./header.js";
import { jsonLiteral } from "./wire-data.js";

/** Builds history.ts, or nothing when the SDK is generated without a history. */
export function emitHistoryData(ctx: GenContext): GeneratedFile | undefined {
  const history = ctx.options.history;
  if (!history) return undefined;
  const f = new GeneratedFile("history.ts", fileHeader(ctx, "The schema's version history, as data."));
  f.declare("historyData", false);
  f.declare("history", false);
  f.print("/** Every release, snapshot, command, event and type of the history, one JSON text each. */");
  f.print("export function historyData(): ", ctx.runtime.HistoryData, " {");
  f.print("  return {");
  f.print("    entries: [");
  for (const e of encodeHistory(history).entries) f.print("      ", jsonLiteral(e), ",");
  f.print("    ],");
  f.print("  };");
  f.print("}");
  f.print();
  f.print("/** The history, decoded at each call (the descriptor's loader calls it once per SDK). */");
  f.print("export function history(): ", ctx.runtime.History, " {");
  f.print("  return ", ctx.runtime.decodeHistory, "(historyData());");
  f.print("}");
  return f;
}
