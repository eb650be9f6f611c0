/**
 * Structural pairing of two schemas' types, the heart of every comparison in
 * the wire layer: both schemas (wire form, schema.ts) are walked in step
 * from each command's arguments and return and each event's data that both
 * have, and whatever types meet at the same place are paired, whatever they
 * are called. diff.ts compares the pairs; restrict.ts and the run-time probes
 * use them to find a named type's counterpart among masked names.
 */
import type { Direction } from "./diff-rules.js";
import type { WireSchema } from "./schema.js";
import { linkSchema, type LinkedRef, type LinkedType } from "./linked.js";

/** Two types found at the same place, with where the walk first met them and how they travel. */
export interface TypePair {
  readonly old: string;
  readonly new: string;
  /** The types themselves (undefined where a schema names a type it lacks). */
  readonly oldType: LinkedType | undefined;
  readonly newType: LinkedType | undefined;
  readonly path: string;
  readonly directions: Set<Direction>;
}

/**
 * Pairs the types of two schemas, keyed `old\0new`, in walk order (commands,
 * then events, in OLD's order).
 */
export function pairTypes(oldSchema: WireSchema, newSchema: WireSchema): Map<string, TypePair> {
  const pairs = new Map<string, TypePair>();
  const olds = linkSchema(oldSchema);
  const news = linkSchema(newSchema);

  function walk(oldRef: LinkedRef, newRef: LinkedRef, path: string, direction: Direction): void {
    const key = `${oldRef.typeName}\u0000${newRef.typeName}`;
    let pair = pairs.get(key);
    if (pair?.directions.has(direction)) return;
    if (!pair) {
      pair = {
        old: oldRef.typeName,
        new: newRef.typeName,
        oldType: oldRef.type,
        newType: newRef.type,
        path,
        directions: new Set(),
      };
      pairs.set(key, pair);
    }
    pair.directions.add(direction);
    const o = oldRef.type;
    const n = newRef.type;
    if (!o || !n) return;
    if (o.wire.meta === "object" && n.wire.meta === "object") {
      for (const m of o.members) {
        const nm = n.members.find((x) => x.member.name === m.member.name);
        if (nm) walk(m, nm, `${path}.${m.member.name}`, direction);
      }
      for (const v of o.variants) {
        const nv = n.variants.find((x) => x.variant.case === v.variant.case);
        if (nv) walk(v, nv, `${path}{${o.wire.tag ?? "?"}=${v.variant.case}}`, direction);
      }
    } else if (o.element && n.element) {
      walk(o.element, n.element, `${path}[]`, direction);
    } else if (o.wire.meta === "alternate" || n.wire.meta === "alternate") {
      // Pair alternatives (or a plain type with the alternative it became) by JSON category.
      const oldAlts = o.wire.meta === "alternate" ? o.alternatives : [oldRef];
      const newAlts = n.wire.meta === "alternate" ? n.alternatives : [newRef];
      for (const a of oldAlts) {
        const b = newAlts.find((x) => x.type?.category === a.type?.category);
        if (b !== undefined && !(a === oldRef && b === newRef)) walk(a, b, path, direction);
      }
    }
  }

  for (const [name, oc] of olds.commands) {
    const nc = news.commands.get(name);
    if (!nc) continue;
    walk(oc.arg, nc.arg, `command '${name}' arguments`, "send");
    walk(oc.ret, nc.ret, `command '${name}' return`, "receive");
  }
  for (const [name, oe] of olds.events) {
    const ne = news.events.get(name);
    if (ne) walk(oe.data, ne.data, `event '${name}' data`, "receive");
  }
  return pairs;
}

/**
 * Each type's counterpart in the other schema, the first pairing met winning
 * (a type used at several places may pair with several): OLD's names → NEW's
 * (`from: "old"`), or NEW's → OLD's. Restrict, widen, the capability probes and
 * the introspected SDK's names all look counterparts up this way.
 */
export function counterparts(
  oldSchema: WireSchema,
  newSchema: WireSchema,
  from: "old" | "new" = "old",
): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of pairTypes(oldSchema, newSchema).values()) {
    const [key, value] = from === "old" ? [pair.old, pair.new] : [pair.new, pair.old];
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}
