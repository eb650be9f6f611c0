/**
 * The QAPI → TypeScript type mapping, in one place.
 *
 * Every emitter that writes a type expression calls `tsType`; the returned
 * printable refers to generated types through ImportSymbols of `./types.js`,
 * so the printer adds the imports. The table in docs/sdk.md documents the
 * same mapping for users.
 */
import type { Printable } from "../printer/generated-file.js";
import { importSymbol } from "../printer/generated-file.js";
import type { AnyType } from "../model/entities.js";
import { type GenContext, typeName } from "./context.js";

/** The module all generated types live in. */
export const typesModule = "./types.js";

/** TypeScript for each built-in type. 64-bit integers are `Int64` (number | bigint), see runtime/sdk.ts. */
const builtinTs: Readonly<Record<string, string | "Int64">> = {
  str: "string",
  number: "number",
  int: "Int64",
  int8: "number",
  int16: "number",
  int32: "number",
  int64: "Int64",
  uint8: "number",
  uint16: "number",
  uint32: "number",
  uint64: "Int64",
  size: "Int64",
  bool: "boolean",
  null: "null",
  any: "unknown",
};

/**
 * The type expression for a value of QAPI type `t`.
 * @throws Error for a built-in type the table does not know (a model change we must handle deliberately).
 */
export function tsType(ctx: GenContext, t: AnyType): Printable {
  switch (t.kind) {
    case "builtin": {
      const ts = builtinTs[t.name];
      if (ts === undefined) throw new Error(`unmapped built-in type '${t.name}'`);
      return ts === "Int64" ? ctx.runtime.Int64 : ts;
    }
    case "array":
      return [tsType(ctx, t.elementType), "[]"];
    case "object":
      if (t.name === "q_empty") return "Record<string, never>";
      return importSymbol(typeName(ctx, t), typesModule, true);
    case "enum":
    case "alternate":
      return importSymbol(typeName(ctx, t), typesModule, true);
  }
}
