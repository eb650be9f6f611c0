/**
 * The front end's entry: a schema file in, its checked expressions and doc
 * comments out (stages 1 and 2).
 *
 * Runs the parser (generator/frontend/parser.ts) over the file and everything
 * it includes, then the context-free checks and normalisation
 * (check-exprs.ts). The model (generator/model/) builds the resolved Schema
 * from the result; generator/load-schema.ts joins the two. The front end never
 * imports the model, so the model may use the front end's leaf modules
 * (SourceInfo, errors, docs, conditions).
 */
import { type CheckedExpr, checkExprs } from "./check-exprs.js";
import type { QapiDoc } from "./doc.js";
import { parseSchema } from "./parser.js";

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

/** What stages 1 and 2 make of a schema file. */
export interface CheckedSchemaText {
  /** The expressions of the file and its includes, checked and normalised, in source order. */
  readonly exprs: readonly CheckedExpr[];
  /** Every doc comment, in source order. */
  readonly docs: readonly QapiDoc[];
}

/**
 * Parses and checks the schema in `file` and everything it includes.
 * @throws QapiError (QapiParseError or QapiSemanticError) for an invalid or unreadable schema
 */
export function readSchemaExprs(file: string, options: LoadOptions = {}): CheckedSchemaText {
  const docLint = options.docLint ?? false;
  const parsed = parseSchema(file, { docLint });
  return { exprs: checkExprs(parsed.exprs, { docLint }), docs: parsed.docs };
}
