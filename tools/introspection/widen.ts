/**
 * `generate --schema SRC --introspection FILE` when the two are different
 * releases: the source cut down to what the binary has (restrict.ts), then
 * widened by what the binary has beyond the source — commands, events,
 * members, enum values, union branches and alternatives, with their types —
 * so the SDK accepts everything the binary sends. Names stay the source's
 * where types pair (pairing.ts); a type only the binary has gets a name from
 * where it is used (model.ts). Each difference becomes one warning line; what
 * the binary lacks because of a source `if` is a build choice, not a warning.
 * Output goes to introspected-schema.ts.
 */
import { counterparts, pairTypes } from "../../core/pairing.js";
import { shape } from "../../core/walk.js";
import { linkSchema, type LinkedRef, type LinkedType } from "../../core/linked.js";
import type { WireCommand, WireEvent, WireObject, WireSchema, WireType } from "../../core/schema.js";
import { readableTypeNames } from "./model.js";
import { restrictWire } from "./restrict.js";

/** The widened schema and what differed. */
export interface WidenedWire {
  readonly wire: WireSchema;
  readonly warnings: readonly string[];
}

/** The source cut to the binary and widened by what only the binary has. */
export function widenToBinary(source: WireSchema, binary: WireSchema): WidenedWire {
  const warnings: string[] = [];
  const kept = restrictWire(source, binary);
  const types = new Map<string, WireType>(kept.types);
  const commands = new Map<string, WireCommand>(kept.commands);
  const events = new Map<string, WireEvent>(kept.events);

  // Binary type → the source's name for it, first pairing wins.
  const pairs = [...pairTypes(source, binary).values()];
  const binaryLinked = linkSchema(binary);
  const sourceName = counterparts(source, binary, "new");
  const readable = readableTypeNames(binary);
  const taken = new Set([...source.types.keys()]);
  const imported = new Map<string, string>();

  /** The name a binary type has in the result, importing it (and what it uses) when the source has no counterpart. */
  const nameOf = (ref: LinkedRef): string => {
    const b = ref.typeName;
    const paired = sourceName.get(b);
    if (paired !== undefined && types.has(paired)) return paired;
    const done = imported.get(b);
    if (done !== undefined) return done;
    const t = ref.type;
    if (!t) return b;
    const wire = t.wire;
    if (wire.meta === "builtin") {
      const builtin = [...source.types.values()].find((x) => x.meta === "builtin" && x.json === wire.json);
      return builtin?.name ?? b;
    }
    const ideal = t.element ? `${nameOf(t.element)}List` : (readable.get(b) ?? b);
    // Arrays of the same element are one type; empty objects are the source's q_empty.
    if (ideal === "q_empty" || (t.element && types.get(ideal)?.meta === "array")) return ideal;
    let name = ideal;
    for (let i = 2; taken.has(name); i++) name = `${ideal}${i}`;
    taken.add(name);
    imported.set(b, name);
    // Reserve the name before converting, for recursive types.
    types.set(name, { ...wire, name });
    types.set(name, convert(t, name));
    return name;
  };
  /** A binary type under its name in the result, the types it uses renamed (imported when need be). */
  const convert = (t: LinkedType, name: string): WireType => {
    const wire = t.wire;
    switch (wire.meta) {
      case "array":
        return { ...wire, name, element: nameOf(t.element!) };
      case "object":
        return {
          ...wire,
          name,
          members: t.members.map((m) => ({ ...m.member, type: nameOf(m) })),
          variants: t.variants.map((v) => ({ ...v.variant, type: nameOf(v) })),
        };
      case "alternate":
        return {
          ...wire,
          name,
          alternatives: t.alternatives.map((a, i) => ({ ...wire.alternatives[i]!, type: nameOf(a) })),
        };
      default:
        return { ...wire, name };
    }
  };

  for (const [name, { command: c, arg, ret }] of binaryLinked.commands) {
    if (commands.has(name)) continue;
    commands.set(name, { ...c, argType: nameOf(arg), retType: nameOf(ret) });
    warnings.push(`command '${name}': the binary has it, the source does not (kept)`);
  }
  for (const [name, { event: e, data }] of binaryLinked.events) {
    if (events.has(name)) continue;
    events.set(name, { ...e, argType: nameOf(data) });
    warnings.push(`event '${name}': the binary has it, the source does not (kept)`);
  }
  for (const [name, c] of source.commands)
    if (!binary.commands.has(name) && c.if === undefined)
      warnings.push(`command '${name}': the source has it, the binary does not (left out)`);
  for (const [name, e] of source.events)
    if (!binary.events.has(name) && e.if === undefined)
      warnings.push(`event '${name}': the source has it, the binary does not (left out)`);

  // Inside types both have: what the binary adds, and what it lacks without a condition to explain it.
  const compared = new Set<string>();
  for (const p of pairs) {
    const s = types.get(p.old);
    const src = p.oldType?.wire;
    const bt = p.newType;
    const b = bt?.wire;
    if (!s || !src || !bt || !b || s.meta !== b.meta || compared.has(p.old)) continue;
    compared.add(p.old);
    if (s.meta === "object" && b.meta === "object" && src.meta === "object") {
      // Members both have take the binary's optionality and JSON shape (what it accepts and sends).
      const members = s.members.map((m) => {
        const bm = bt.members.find((x) => x.member.name === m.name);
        if (!bm) return m;
        let out = m;
        if (bm.member.optional !== m.optional) {
          out = { ...out, optional: bm.member.optional };
          warnings.push(
            `${p.path}: member '${m.name}' of ${p.old}: ${bm.member.optional ? "optional" : "required"} in the binary, ${m.optional ? "optional" : "required"} in the source (the binary's kept)`,
          );
        }
        const sourceShape = shape(source, m.type);
        const binaryShape = bm.type?.shape ?? "unknown";
        if (sourceShape !== binaryShape) {
          out = { ...out, type: nameOf(bm) };
          warnings.push(
            `${p.path}: member '${m.name}' of ${p.old}: ${binaryShape} in the binary, ${sourceShape} in the source (the binary's kept)`,
          );
        }
        return out;
      });
      for (const m of bt.members) {
        if (members.some((x) => x.name === m.member.name)) continue;
        members.push({ ...m.member, type: nameOf(m) });
        warnings.push(
          `${p.path}: member '${m.member.name}' of ${p.old}: the binary has it, the source does not (kept)`,
        );
      }
      const variants = [...s.variants];
      for (const v of bt.variants) {
        const branch = v.variant.case;
        if (variants.some((x) => x.case === branch)) continue;
        variants.push({ ...v.variant, type: nameOf(v) });
        warnings.push(`${p.path}: branch '${branch}' of ${p.old}: the binary has it, the source does not (kept)`);
      }
      for (const m of src.members)
        if (!b.members.some((x) => x.name === m.name) && m.if === undefined)
          warnings.push(`${p.path}: member '${m.name}' of ${p.old}: the source has it, the binary does not (left out)`);
      const widened: WireObject = {
        ...s,
        members,
        variants,
        ...(s.tag === undefined && b.tag !== undefined ? { tag: b.tag } : {}),
      };
      types.set(p.old, widened);
    } else if (s.meta === "enum" && b.meta === "enum" && src.meta === "enum") {
      const values = [...s.values];
      for (const v of b.values) {
        if (values.some((x) => x.name === v.name)) continue;
        values.push(v);
        warnings.push(`${p.path}: value '${v.name}' of ${p.old}: the binary has it, the source does not (kept)`);
      }
      for (const v of src.values)
        if (!b.values.some((x) => x.name === v.name) && v.if === undefined)
          warnings.push(`${p.path}: value '${v.name}' of ${p.old}: the source has it, the binary does not (left out)`);
      types.set(p.old, { ...s, values });
    }
  }
  return { wire: { ...kept, commands, events, types }, warnings };
}
