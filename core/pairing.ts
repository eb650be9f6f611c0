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
import { category } from "./walk.js";

/** Two types found at the same place, with where the walk first met them and how they travel. */
export interface TypePair {
  readonly old: string;
  readonly new: string;
  readonly path: string;
  readonly directions: Set<Direction>;
}

/**
 * Pairs the types of two schemas, keyed `old\0new`, in walk order (commands,
 * then events, in OLD's order).
 */
export function pairTypes(oldSchema: WireSchema, newSchema: WireSchema): Map<string, TypePair> {
  const pairs = new Map<string, TypePair>();

  function walk(oldName: string, newName: string, path: string, direction: Direction): void {
    const key = `${oldName}\u0000${newName}`;
    let pair = pairs.get(key);
    if (pair?.directions.has(direction)) return;
    if (!pair) {
      pair = { old: oldName, new: newName, path, directions: new Set() };
      pairs.set(key, pair);
    }
    pair.directions.add(direction);
    const o = oldSchema.types.get(oldName);
    const n = newSchema.types.get(newName);
    if (!o || !n) return;
    if (o.meta === "object" && n.meta === "object") {
      for (const m of o.members) {
        const nm = n.members.find((x) => x.name === m.name);
        if (nm) walk(m.type, nm.type, `${path}.${m.name}`, direction);
      }
      for (const v of o.variants) {
        const nv = n.variants.find((x) => x.case === v.case);
        if (nv) walk(v.type, nv.type, `${path}{${o.tag ?? "?"}=${v.case}}`, direction);
      }
    } else if (o.meta === "array" && n.meta === "array") {
      walk(o.element, n.element, `${path}[]`, direction);
    } else if (o.meta === "alternate" || n.meta === "alternate") {
      // Pair alternatives (or a plain type with the alternative it became) by JSON category.
      const olds = o.meta === "alternate" ? o.alternatives.map((a) => a.type) : [oldName];
      const news = n.meta === "alternate" ? n.alternatives.map((a) => a.type) : [newName];
      for (const a of olds) {
        const b = news.find((x) => category(newSchema, x) === category(oldSchema, a));
        if (b !== undefined && !(a === oldName && b === newName)) walk(a, b, path, direction);
      }
    }
  }

  for (const [name, oc] of oldSchema.commands) {
    const nc = newSchema.commands.get(name);
    if (!nc) continue;
    walk(oc.argType, nc.argType, `command '${name}' arguments`, "send");
    walk(oc.retType, nc.retType, `command '${name}' return`, "receive");
  }
  for (const [name, oe] of oldSchema.events) {
    const ne = newSchema.events.get(name);
    if (ne) walk(oe.argType, ne.argType, `event '${name}' data`, "receive");
  }
  return pairs;
}
