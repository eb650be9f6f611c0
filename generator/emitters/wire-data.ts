/**
 * Emits `wire.ts` of a generated SDK: the schema in wire form as data
 * (core/data.ts describes the format), and the SDK's validators, which
 * the runtime's one engine (runtime/validate/) compiles from that data at
 * their first use. index-file.ts puts the validators into the descriptor.
 *
 * Each entity is one JSON text in a single-quoted string literal, one per
 * line: cheap to parse, a one-line diff per changed entity, and a layout
 * prettier leaves as it is. The literal sits in a function body, which V8
 * does not compile before the first validation.
 */
import { GeneratedFile } from "../printer/generated-file.js";
import { stringLiteral } from "../printer/names.js";
import { wireFromModel } from "../model/wire-from-model.js";
import { encodeWireSchema } from "../../core/data.js";
import type { GenContext } from "./context.js";
import { fileHeader } from "./header.js";

/**
 * A JSON text as a string literal in the quotes prettier picks: single quotes
 * when the text holds more double quotes than single ones (most JSON), else
 * double. JSON has no raw line breaks; `\`, the chosen quote and U+2028/9 are escaped.
 */
export function jsonLiteral(json: string): string {
  const doubles = json.split('"').length - 1;
  const singles = json.split("'").length - 1;
  const quote = doubles > singles ? "'" : '"';
  const escaped = json.replace(quote === "'" ? /[\\']/g : /[\\"]/g, "\\$&");
  return quote + escaped.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029") + quote;
}

/** Builds wire.ts. */
export function emitWireData(ctx: GenContext): GeneratedFile {
  const f = new GeneratedFile(
    "wire.ts",
    fileHeader(ctx, "The schema in wire form, as data, and the validators compiled from it."),
  );
  f.declare("wireData", false);
  f.declare("wireSchema", false);
  f.declare("validators", false);
  const data = encodeWireSchema(wireFromModel(ctx.schema, ctx.options.sourceLabel, ctx.options.qemuVersion));
  f.print("/**");
  f.print(" * Every command, event and type of the schema in wire form, one JSON text each. A function, so");
  f.print(" * that importing the SDK does not build the data (V8 only skims a function body it has not run).");
  f.print(" */");
  f.print("export function wireData(): ", ctx.runtime.WireData, " {");
  f.print("  return {");
  f.print(`    label: ${stringLiteral(data.label)},`);
  if (data.version !== undefined) f.print(`    version: ${stringLiteral(data.version)},`);
  f.print("    entities: [");
  for (const e of data.entities) f.print("      ", jsonLiteral(e), ",");
  f.print("    ],");
  f.print("  };");
  f.print("}");
  f.print();
  f.print("/** The schema in wire form, decoded at the first call. */");
  f.print(
    "export const wireSchema: () => ",
    ctx.runtime.WireSchema,
    " = ",
    ctx.runtime.wireSchemaLoader,
    "(wireData);",
  );
  f.print();
  f.print(
    "/** Validators for this schema, compiled at their first use; absent arguments or event data count as `{}`. */",
  );
  f.print("export const validators: ", ctx.runtime.SdkValidators, " = ", ctx.runtime.lazyValidators, "(wireSchema);");
  return f;
}
