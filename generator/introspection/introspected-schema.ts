/**
 * The one call `generate --introspection` needs: the resolved model to
 * generate from, given an introspection file and optionally a source schema.
 *
 * - introspection only: the binary's schema, masked type names made readable
 *   (introspection-model.ts);
 * - with a source schema: the source's names and docs, cut down to what the
 *   binary has and widened by what only the binary has (restrict.ts,
 *   widen.ts); the differences come back as warnings.
 *
 * Either way the QEMU version comes from the file's `query-version`.
 */
import { loadSchema } from "../load-schema.js";
import type { Schema } from "../model/schema.js";
import { introspectionVersion } from "../../core/introspection-file.js";
import { readIntrospectionFile } from "./read-file.js";
import { modelFromIntrospection } from "./model.js";
import { sourceForBinary } from "./restrict.js";

/** What to generate from, and the version to record in the SDK descriptor. */
export interface IntrospectedSchema {
  readonly schema: Schema;
  readonly qemuVersion: string;
  /** Differences between the source and the binary, one line each (none without a source). */
  readonly warnings: readonly string[];
}

/**
 * Loads the model for an SDK of what an introspected binary offers.
 * @param introspection path of an introspection file (`qapi-ts introspect` output)
 * @param source path of a source schema for names and docs (optional)
 * @throws UserFacingError for an unreadable file; QapiError for an invalid source schema
 */
export function loadIntrospectedSchema(introspection: string, source?: string): IntrospectedSchema {
  const file = readIntrospectionFile(introspection);
  if (!source)
    return {
      schema: modelFromIntrospection(file, introspection),
      qemuVersion: introspectionVersion(file),
      warnings: [],
    };
  const { schema, warnings } = sourceForBinary(loadSchema(source, { docLint: false }), file);
  return { schema, qemuVersion: introspectionVersion(file), warnings };
}
