/**
 * The docs facts a JSON Schema carries (`description`, `deprecated`), and
 * where they come from: the shipped version history (since when a command,
 * event, type or member exists: its `Since:`, else the first release that
 * has it) or a QAPI source schema (`--schema`: the doc comments' text and
 * `Since:`). Features become facts too: `deprecated` is JSON Schema's own
 * keyword, `unstable` a sentence of the description.
 *
 * Data flow: tools/jsonschema/load.ts picks a source → core/json-schema.ts
 * asks per entity; the MCP server (tools/mcp/) reads the same facts for its
 * tool descriptions.
 */
import type { Schema } from "../../generator/model/schema.js";
import type { Command, Event } from "../../generator/model/entities.js";
import { decodeRanges, type History, type HistoryFact } from "../../core/history.js";
import { docBody, docMemberText, docReturns, docSince } from "../../generator/emitters/doc-access.js";
import type { Doc, DocFacts } from "../../core/json-schema.js";

/** Since when, from the version history: the doc's `Since:`, else the first release that has it. */
export function historyDocFacts(history: History): DocFacts {
  const since = (fact: HistoryFact | undefined): Doc | undefined => {
    if (!fact) return undefined;
    const first = fact.in === undefined ? undefined : [...decodeRanges(history.releases, fact.in)][0];
    const value = fact.since ?? first;
    return value ? { since: value } : undefined;
  };
  const own = <T>(table: Readonly<Record<string, T>> | undefined, name: string): T | undefined =>
    table && Object.hasOwn(table, name) ? table[name] : undefined;
  return {
    command: (name) => since(own(history.commands, name)),
    returns: () => undefined,
    event: (name) => since(own(history.events, name)),
    type: (name) => since(own(history.types, name)),
    member: (typeName, member) => since(own(own(history.types, typeName)?.members, member)),
  };
}

/** The doc comments of a source schema: text and `Since:`; a member's text from where it is declared. */
export function sourceDocFacts(schema: Schema): DocFacts {
  // Implicit argument types (a command's or event's inline members) are documented on the command or event.
  const implicitOwner = new Map<string, Command | Event>();
  for (const d of schema.allDefinitions())
    if ((d.kind === "command" || d.kind === "event") && d.argType?.isImplicit()) implicitOwner.set(d.argType.name, d);
  const of = (name: string, kind: string): Doc | undefined => {
    const d = schema.lookupEntity(name);
    if (!d || d.kind !== kind || !d.doc) return undefined;
    return { text: docBody(d.doc) || undefined, since: docSince(d.doc) || undefined };
  };
  return {
    command: (name) => of(name, "command"),
    returns: (name) => {
      const d = schema.lookupEntity(name);
      const text = d?.kind === "command" ? docReturns(d.doc) : "";
      return text ? { text } : undefined;
    },
    event: (name) => of(name, "event"),
    type: (name) => {
      const d = schema.lookupEntity(name);
      return d && d.kind !== "command" && d.kind !== "event" && !d.isImplicit() && d.doc
        ? { text: docBody(d.doc) || undefined, since: docSince(d.doc) || undefined }
        : undefined;
    },
    member: (typeName, member) => {
      const t = schema.lookupEntity(typeName);
      if (!t || t.kind !== "object") return undefined;
      const m = t.members.find((x) => x.name === member);
      const declared = m ? schema.lookupEntity(m.definedIn) : undefined;
      const owner = declared?.isImplicit() ? implicitOwner.get(declared.name) : declared;
      const text = owner ? docMemberText(owner.doc, member) : "";
      return text ? { text } : undefined;
    },
  };
}
