/**
 * The programmatic entry to the QAPI front end: schema file in, resolved
 * Schema out.
 *
 * Runs the three stages in order: parse (generator/frontend/parser.ts),
 * check and normalise expressions (check-exprs.ts), build and check the model
 * (generator/model/schema-builder.ts). The code generators and the `dump`
 * command call `loadSchema`; everything wrong with the schema surfaces as a
 * QapiError whose report() is QEMU's message.
 */
import { buildSchema } from "../model/schema-builder.js";
import type { Schema } from "../model/schema.js";
import { checkExprs } from "./check-exprs.js";
import { parseSchema } from "./parser.js";

export type { Schema } from "../model/schema.js";
export { QapiError, QapiParseError, QapiSemanticError } from "./errors.js";

/** How to read a schema. */
export interface LoadOptions {
  /**
   * true: QEMU 10.2's rules in full, including the doc comment line-format
   * lint. false (default): each release's schema as that release read it
   * (tested back to 5.2; as far as we know, 2.12–4.2 use no construct 5.2 lacks):
   * legacy doc sections (`Note:`, `Example:` …) and layouts, the pragma
   * names before 6.0 (`returns-whitelist`, `name-case-whitelist`), '_' in
   * member and command names, C preprocessor `if` strings and lists of them,
   * and simple unions (no `base`, no `discriminator`: an implicit `<Name>Kind`
   * enum, `q_obj_<T>-wrapper` branch objects and a `type` tag). Anything no
   * release accepted is still an error.
   */
  docLint?: boolean;
}

/**
 * Parses, checks and resolves the schema in `file` and everything it includes.
 * Relative file names stay relative in messages and module names, as in QEMU.
 * @throws QapiError (QapiParseError or QapiSemanticError) for an invalid or unreadable schema
 */
export function loadSchema(file: string, options: LoadOptions = {}): Schema {
  const docLint = options.docLint ?? false;
  const parsed = parseSchema(file, { docLint });
  const exprs = checkExprs(parsed.exprs, { docLint });
  return buildSchema(file, exprs, parsed.docs);
}
