/**
 * The front end's entry: a schema file in, its checked expressions and doc
 * comments out (stages 1 and 2).
 *
 * Runs the parser (generator/frontend/parser.ts) over the file and everything
 * it includes, then the context-free checks and normalisation
 * (check-exprs.ts), by the rules of one QEMU release (release-rules.ts). The
 * model (generator/model/) builds the resolved Schema from the result;
 * generator/load-schema.ts joins the two and picks the release
 * (`releaseToRead`). The front end never imports the model, so the model may
 * use the front end's leaf modules (SourceInfo, errors, docs, conditions).
 */
import { type CheckedExpr, checkExprs } from "./check-exprs.js";
import type { QapiDoc } from "./doc.js";
import { QapiError } from "./errors.js";
import { parseSchema } from "./parser.js";
import { newestRules, type ReleaseRules, rulesFor } from "./release-rules.js";
import { isReleaseNumber, releaseOfSchemaFile } from "./schema-release.js";

export { QapiError, QapiParseError, QapiSemanticError } from "./errors.js";
export type { ReleaseRules } from "./release-rules.js";

/** The release whose rules `docLint` applies. */
export const docLintRelease = "10.2.0";

/** How to read a schema. */
export interface LoadOptions {
  /**
   * true: QEMU 10.2's rules, whatever the schema's release (doc comment
   * line-format lint included). Overrides `qemuVersion`.
   */
  docLint?: boolean;
  /**
   * Read the schema by the rules of this QEMU release ("X.Y.Z"). By default
   * the release is that of the QEMU tree the schema sits in (its `VERSION`
   * file), else the newest rules that accept the schema. The rules that
   * changed between releases are listed in generator/frontend/release-rules.ts:
   * e.g. before 6.2 simple unions and C preprocessor `if` strings, before 6.0
   * the pragma names `returns-whitelist` and `name-case-whitelist` and '_' in
   * member names, before 9.0 the first doc comment grammar.
   */
  qemuVersion?: string;
}

/**
 * The release to read `file` as: `docLint`'s, `qemuVersion`, or the release
 * of the QEMU tree holding the file; null when none applies (read by the
 * newest rules that accept the schema).
 * @throws QapiError for a `qemuVersion` that is not "X.Y.Z"
 */
export function releaseToRead(file: string, options: LoadOptions = {}): string | null {
  if (options.docLint) return docLintRelease;
  if (options.qemuVersion !== undefined) {
    if (!isReleaseNumber(options.qemuVersion)) {
      throw new QapiError(null, `'${options.qemuVersion}' is not a QEMU release like 10.2.2`);
    }
    return options.qemuVersion;
  }
  return releaseOfSchemaFile(file);
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
 * @param rules the release rules to read by (default: those of releaseToRead(file), else the newest)
 * @throws QapiError (QapiParseError or QapiSemanticError) for an invalid or unreadable schema
 */
export function readSchemaExprs(file: string, rules?: ReleaseRules): CheckedSchemaText {
  const release = rules ? null : releaseToRead(file);
  const chosen = rules ?? (release !== null ? rulesFor(release) : newestRules);
  const parsed = parseSchema(file, { rules: chosen });
  return { exprs: checkExprs(parsed.exprs), docs: parsed.docs };
}
