/**
 * The pipeline's entry: schema file in, resolved Schema out.
 *
 * Runs the front end (generator/frontend/index.ts: parse, then check and
 * normalise expressions) and then the model builder
 * (generator/model/schema-builder.ts: definitions, implicit types, checks,
 * freeze), by the rules of the schema's QEMU release
 * (generator/frontend/release-rules.ts). It sits above both folders so that
 * neither imports the other's entry. The code generators, the `dump`
 * command, the shell and the diff call `loadSchema`; everything wrong with
 * the schema surfaces as a QapiError whose report() locates it as QEMU does.
 */
import { type LoadOptions, QapiError, readSchemaExprs, releaseToRead } from "./frontend/index.js";
import { eraReleases, type ReleaseRules, rulesFor } from "./frontend/release-rules.js";
import { buildSchema } from "./model/schema-builder.js";
import type { Schema } from "./model/schema.js";

export type { LoadOptions } from "./frontend/index.js";
export type { Schema } from "./model/schema.js";
export { QapiError, QapiParseError, QapiSemanticError } from "./frontend/errors.js";

/**
 * Parses, checks and resolves the schema in `file` and everything it includes.
 * Relative file names stay relative in messages and module names, as in QEMU.
 * The rules are those of `options.docLint` (QEMU 10.2's), `options.qemuVersion`,
 * or the release of the QEMU tree holding the file; failing all three, the
 * newest rules that accept the schema.
 * @throws QapiError (QapiParseError or QapiSemanticError) for an invalid or unreadable schema
 */
export function loadSchema(file: string, options: LoadOptions = {}): Schema {
  const release = releaseToRead(file, options);
  if (release !== null) return loadWithRules(file, rulesFor(release));
  let reported: QapiError | null = null;
  for (const era of eraReleases) {
    try {
      return loadWithRules(file, rulesFor(era));
    } catch (error) {
      if (!(error instanceof QapiError)) throw error;
      if (reported === null || isFurther(error, reported)) reported = error;
    }
  }
  throw reported!;
}

function loadWithRules(file: string, rules: ReleaseRules): Schema {
  const { exprs, docs } = readSchemaExprs(file, rules);
  return buildSchema(file, exprs, docs);
}

/**
 * Whether `error` lies further into the same file than `than`: when no
 * release's rules accept a schema, the error reported is the one the rules
 * that read furthest ran into (newer rules on a tie), which is the schema's
 * own fault rather than a construct of another release.
 */
function isFurther(error: QapiError, than: QapiError): boolean {
  const a = error.info;
  const b = than.info;
  if (!a || !b || a.file !== b.file) return false;
  return a.line > b.line || (a.line === b.line && (a.col ?? 0) > (b.col ?? 0));
}
