/**
 * The schema `qapi-ts jsonschema` (and `qapi-ts mcp --schema`) describes, in
 * wire form with its docs facts: a QAPI source schema (the doc comments'
 * text and `Since:`), an introspection file (exactly what one binary offers;
 * since when, from the shipped version history, for commands and events), or
 * a release as the shipped version history has it (since when for
 * everything the history names).
 *
 * Data flow: command-line options → `loadDescribedSchema` → core/json-schema.ts.
 */
import { rejectIntrospectionFile } from "../schema-argument.js";
import { UserFacingError } from "../../generator/errors.js";
import { readHistory } from "../history/files.js";
import { readIntrospectionFile } from "../introspection/read-file.js";
import { loadSchema } from "../../generator/load-schema.js";
import { wireFromModel } from "../../generator/model/wire-from-model.js";
import { historyAt, historyRelease } from "../../core/history.js";
import { wireFromIntrospection } from "../../core/introspection-file.js";
import type { WireSchema } from "../../core/schema.js";
import type { DocFacts } from "../../core/json-schema.js";
import { historyDocFacts, sourceDocFacts } from "./docs-facts.js";

/** Which schema; exactly one of `schema`, `introspection`, `release`. */
export interface SchemaChoice {
  readonly schema?: string | undefined;
  readonly introspection?: string | undefined;
  readonly release?: string | undefined;
  /** Whose history `release` (and the since facts of an introspection file) come from. */
  readonly sdk: "qemu" | "qga" | "qsd";
}

export interface DescribedSchema {
  readonly wire: WireSchema;
  readonly facts: DocFacts;
}

/**
 * Loads the chosen schema.
 * @throws UserFacingError for a missing or contradictory choice, an unknown release; QapiError for a broken source
 */
export function loadDescribedSchema(choice: SchemaChoice, command: string): DescribedSchema {
  const given = [choice.schema, choice.introspection, choice.release].filter((x) => x !== undefined);
  if (given.length !== 1)
    throw new UserFacingError(`qapi-ts ${command}: give one of --schema, --introspection and --release`, 2);
  if (choice.schema !== undefined) {
    rejectIntrospectionFile(choice.schema, command, "give it with --introspection");
    const schema = loadSchema(choice.schema, { docLint: false });
    const version = /(?:^|\/)(\d+\.\d+\.\d+)\//.exec(choice.schema)?.[1];
    return { wire: wireFromModel(schema, choice.schema, version), facts: sourceDocFacts(schema) };
  }
  const history = readHistory(choice.sdk);
  if (choice.introspection !== undefined) {
    const file = readIntrospectionFile(choice.introspection);
    const wire = wireFromIntrospection(file, choice.introspection);
    const facts = historyDocFacts(history);
    // Introspection's type names are numbers: only commands and events match the history's names.
    return { wire, facts: { ...facts, type: () => undefined, member: () => undefined } };
  }
  const release = historyRelease(history, choice.release!);
  if (!release)
    throw new UserFacingError(
      `qapi-ts ${command}: --release ${choice.release}: not a release of the ${choice.sdk} history (${history.releases[0]}…${history.releases.at(-1)})`,
      2,
    );
  // What the history cannot decide for the release counts as present: a schema that refuses less.
  const wire = historyAt(history, release, { withMaybe: true });
  return {
    wire: { ...wire, label: `QEMU ${release}${choice.sdk === "qemu" ? "" : ` (${choice.sdk})`}` },
    facts: historyDocFacts(history),
  };
}
