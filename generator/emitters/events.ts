/**
 * Emits `events.ts` of a generated SDK: the event map, wire name → payload type
 * (`undefined` for an event without data). The runtime types its listeners
 * with it; the run-time facts go into the descriptor (index-file.ts).
 */
import { GeneratedFile } from "../printer/generated-file.js";
import { typeKey } from "../printer/names.js";
import { indentLines } from "../printer/layout.js";
import type { GenContext } from "./context.js";
import { definitionDoc } from "./doc-facts.js";
import { fileHeader } from "./header.js";
import { tsType } from "./ts-type.js";

/** Builds events.ts. */
export function emitEvents(ctx: GenContext): GeneratedFile {
  const f = new GeneratedFile("events.ts", fileHeader(ctx, "The event map: wire name → event data type."));
  f.declare("EventMap", true);
  f.print("/** Every event of the schema: wire name → the type of its `data` (`undefined`: no data). */");
  if (ctx.events.length === 0) {
    f.print("export type EventMap = {};");
    return f;
  }
  f.print("export type EventMap = {");
  for (const e of ctx.events) {
    const doc = definitionDoc(ctx, e, e.name);
    if (doc) f.print(indentLines(doc, 1));
    f.print("  ", typeKey(e.name), ": ", e.argType ? tsType(ctx, e.argType) : "undefined", ";");
  }
  f.print("};");
  return f;
}
