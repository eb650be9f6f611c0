/**
 * The `Since:` facts of a source schema's doc comments, for releases that no
 * snapshot covers: a definition's `Since:` section, and a member's, enum
 * value's or branch's "(since X.Y)" note in its description. A member without
 * a note takes its definition's version (QEMU documents only later additions).
 * Keys are the source's wire names (`Type.member`, a command's implicit
 * argument type `q_obj_NAME-arg`), as tools/history/merge.ts meets them.
 * Facts only (version numbers); no doc text travels further.
 */
import type { QapiDoc } from "../../generator/frontend/doc.js";
import type { Schema } from "../../generator/model/schema.js";

/** `Since:` versions by entity (`command:NAME`, `event:NAME`, `type:NAME`) and by member (`Type.member`). */
export interface SinceFacts {
  readonly entities: ReadonlyMap<string, string>;
  readonly members: ReadonlyMap<string, string>;
}

/** `x.y` or `x.y.z` at the start of a Since: section → `x.y.z`. */
function releaseOf(text: string | undefined): string | undefined {
  const match = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text ?? "");
  return match ? `${match[1]}.${match[2]}.${match[3] ?? "0"}` : undefined;
}

const sinceOfDoc = (doc: QapiDoc | null) => releaseOf(doc?.since?.text);

/** A "(since X.Y)" or "Since X.Y" note in a member's description. */
function sinceOfText(text: string | undefined): string | undefined {
  const match =
    /\(\s*since:?\s+v?(\d+\.\d+(?:\.\d+)?)/i.exec(text ?? "") ?? /\bsince:?\s+v?(\d+\.\d+(?:\.\d+)?)/i.exec(text ?? "");
  return match ? releaseOf(match[1]) : undefined;
}

/** Collects the facts of one source schema. */
export function sinceFacts(schema: Schema): SinceFacts {
  const entities = new Map<string, string>();
  const members = new Map<string, string>();
  // The doc that describes an implicit type's members: its command's, event's or union's.
  const docOwner = (typeName: string) => {
    const implicit = /^q_obj_(.+)-(arg|base)$/.exec(typeName);
    return schema.lookupEntity(implicit ? implicit[1]! : typeName);
  };
  const memberSince = (definedIn: string, name: string, fallback: string | undefined) => {
    const owner = docOwner(definedIn);
    const doc = owner && "doc" in owner ? (owner.doc as QapiDoc | null) : null;
    return sinceOfText(doc?.args.get(name)?.text) ?? sinceOfDoc(doc) ?? fallback;
  };
  for (const defn of schema.allDefinitions()) {
    const own =
      sinceOfDoc(defn.doc) ?? (defn.kind === "object" ? sinceOfDoc(docOwner(defn.name)?.doc ?? null) : undefined);
    const kind = defn.kind === "command" || defn.kind === "event" ? defn.kind : "type";
    if (own) entities.set(`${kind}:${defn.name}`, own);
    const put = (key: string, value: string | undefined) => {
      if (value) members.set(key, value);
    };
    if (defn.kind === "enum")
      for (const m of defn.members) put(`${defn.name}.${m.name}`, memberSince(defn.name, m.name, own));
    if (defn.kind === "object") {
      for (const m of defn.members) put(`${defn.name}.${m.name}`, memberSince(m.definedIn || defn.name, m.name, own));
      for (const v of defn.branches?.variants ?? [])
        put(`${defn.name}{${v.name}}`, memberSince(defn.name, v.name, own));
    }
  }
  return { entities, members };
}
