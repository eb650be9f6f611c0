/**
 * What a source schema's doc comments say about a command or event, for
 * `help`: the release it appeared in (`Since:`), the description, each
 * argument's text, the return and error sections, and the feature notes. The
 * shell takes them from a QAPI source schema on this machine (`--schema`, or
 * QEMU's files fetched into .cache/qemu/ by scripts/fetch-qemu.sh); the
 * committed SDKs carry facts only, no prose.
 *
 * Data flow: generator/frontend `loadSchema` → `docsFromSchema` → help.ts.
 */
import type { Command, Event } from "../../generator/model/entities.js";
import type { Schema } from "../../generator/model/schema.js";
import {
  docBody,
  docErrors,
  docFeatureTexts,
  docMemberText,
  docReturns,
  docSince,
} from "../../generator/emitters/doc-access.js";

/** The documentation of one command or event. */
export interface DefinitionDocs {
  readonly since: string;
  readonly body: string;
  readonly returns: string;
  readonly errors: string;
  readonly features: readonly [string, string][];
  /**
   * The text of a (top-level) argument or data member, looked for among the
   * members of the union branch `branch` too; "" when undocumented.
   */
  member(name: string, branch?: string): string;
}

/** Doc look-up by wire name. */
export interface DocSource {
  command(name: string): DefinitionDocs | undefined;
  event(name: string): DefinitionDocs | undefined;
}

function docsOf(schema: Schema, defn: Command | Event): DefinitionDocs {
  const doc = defn.doc;
  return {
    since: docSince(doc),
    body: docBody(doc),
    returns: defn.kind === "command" ? docReturns(doc) : "",
    errors: defn.kind === "command" ? docErrors(doc) : "",
    features: docFeatureTexts(doc),
    member(name: string, branch?: string): string {
      const variant =
        branch === undefined ? undefined : defn.argType?.branches?.variants.find((v) => v.name === branch);
      const branchType = variant?.type.kind === "object" ? variant.type : undefined;
      const member =
        defn.argType?.members.find((m) => m.name === name) ?? branchType?.members.find((m) => m.name === name);
      // A member is documented where it is declared: a named argument type, a union's base, or the command itself.
      const owner = member ? schema.lookupEntity(member.definedIn) : undefined;
      return (owner && !owner.isImplicit() ? docMemberText(owner.doc, name) : "") || docMemberText(doc, name);
    },
  };
}

/** Doc look-up over a loaded source schema. */
export function docsFromSchema(schema: Schema): DocSource {
  const find = (name: string, kind: "command" | "event") => {
    const defn = schema.lookupEntity(name);
    return defn && defn.kind === kind ? docsOf(schema, defn) : undefined;
  };
  return { command: (name) => find(name, "command"), event: (name) => find(name, "event") };
}
