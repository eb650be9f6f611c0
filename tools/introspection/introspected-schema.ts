/**
 * The one call `generate --introspection` needs: the resolved model to
 * generate from, given an introspection file and optionally a source schema.
 *
 * - introspection only: the binary's schema; masked type names take the names
 *   of the version history that covers the binary's release, paired
 *   structurally (the shipped SDK's names, so code moves between the two),
 *   the rest made readable (model.ts);
 * - with a source schema: the source's names and docs, cut down to what the
 *   binary has and widened by what only the binary has (restrict.ts,
 *   widen.ts); the differences come back as warnings.
 *
 * Either way the QEMU version comes from the file's `query-version`.
 */
import { loadSchema } from "../../generator/load-schema.js";
import type { Schema } from "../../generator/model/schema.js";
import { introspectionVersion, type IntrospectionFile } from "../../core/introspection-file.js";
import { historyAt, releaseOfVersion, type History } from "../../core/history.js";
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
 * The history, of those given, that describes the binary: it covers the
 * binary's release, and that release's commands are the binary's (nine in ten
 * shared at least, so a patched build still counts; qemu-system and the
 * storage daemon are told apart by their command sets).
 */
export function historyForBinary(file: IntrospectionFile, histories: readonly History[]): History | undefined {
  const commands = new Set(file.schema.filter((e) => e["meta-type"] === "command").map((e) => e.name));
  let best: { history: History; score: number } | undefined;
  for (const history of histories) {
    const release = releaseOfVersion(history, file.version.qemu);
    if (release === undefined) continue;
    const known = Object.keys(history.commands).filter((c) => historyAt(history, release).commands.has(c));
    const shared = known.filter((c) => commands.has(c)).length;
    const score = shared / new Set([...known, ...commands]).size;
    if (score >= 0.9 && (!best || score > best.score)) best = { history, score };
  }
  return best?.history;
}

/**
 * Loads the model for an SDK of what an introspected binary offers.
 * @param introspection path of an introspection file (`qapi-ts introspect` output)
 * @param source path of a source schema for names and docs (optional)
 * @param histories version histories that may cover the binary's release: without a source, the one
 *   that does (historyForBinary) names the types as the SDK of its schema does
 * @throws UserFacingError for an unreadable file; QapiError for an invalid source schema
 */
export function loadIntrospectedSchema(
  introspection: string,
  source?: string,
  histories: readonly History[] = [],
): IntrospectedSchema {
  const file = readIntrospectionFile(introspection);
  if (!source)
    return {
      schema: modelFromIntrospection(file, introspection, historyForBinary(file, histories)),
      qemuVersion: introspectionVersion(file),
      warnings: [],
    };
  const { schema, warnings } = sourceForBinary(loadSchema(source, { docLint: false }), file);
  return { schema, qemuVersion: introspectionVersion(file), warnings };
}
