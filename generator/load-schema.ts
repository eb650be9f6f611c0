/**
 * The pipeline's entry: schema file in, resolved Schema out.
 *
 * Runs the front end (generator/frontend/index.ts: parse, then check and
 * normalise expressions) and then the model builder
 * (generator/model/schema-builder.ts: definitions, implicit types, checks,
 * freeze). It sits above both folders so that neither imports the other's
 * entry. The code generators, the `dump` command, the shell and the diff call
 * `loadSchema`; everything wrong with the schema surfaces as a QapiError whose
 * report() is QEMU's message.
 */
import { type LoadOptions, readSchemaExprs } from "./frontend/index.js";
import { buildSchema } from "./model/schema-builder.js";
import type { Schema } from "./model/schema.js";

export type { LoadOptions } from "./frontend/index.js";
export type { Schema } from "./model/schema.js";
export { QapiError, QapiParseError, QapiSemanticError } from "./frontend/errors.js";

/**
 * Parses, checks and resolves the schema in `file` and everything it includes.
 * Relative file names stay relative in messages and module names, as in QEMU.
 * @throws QapiError (QapiParseError or QapiSemanticError) for an invalid or unreadable schema
 */
export function loadSchema(file: string, options: LoadOptions = {}): Schema {
  const { exprs, docs } = readSchemaExprs(file, options);
  return buildSchema(file, exprs, docs);
}
