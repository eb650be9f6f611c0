/**
 * `generate --schema SRC --introspection FILE`: names and docs from the
 * source, availability from the binary. Cuts a source model down to what an
 * introspected QEMU actually has — commands, events, members, enum values,
 * union branches and alternatives the binary lacks are left out — and returns
 * a new model for the code generators (the source model is not touched).
 * Types are matched to the binary's masked ones structurally (pairing.ts).
 */
import type { Schema } from "../../generator/model/schema.js";
import { wireFromIntrospection, type IntrospectionFile } from "../../core/introspection-file.js";
import { modelFromWire } from "./model-from-wire.js";
import { counterparts } from "../../core/pairing.js";
import { category, reachableTypes } from "../../core/walk.js";
import { type WireCommand, type WireEvent, type WireSchema, type WireType } from "../../core/schema.js";
import { wireFromModel } from "../../generator/model/wire-from-model.js";
import { widenToBinary } from "./widen.js";

/** Keeps, of the source in wire form, only what the binary has. */
export function restrictWire(source: WireSchema, binary: WireSchema): WireSchema {
  const counterpart = counterparts(source, binary);
  const commands = new Map<string, WireCommand>([...source.commands].filter(([name]) => binary.commands.has(name)));
  const events = new Map<string, WireEvent>([...source.events].filter(([name]) => binary.events.has(name)));

  function cut(name: string, type: WireType): WireType {
    const other = binary.types.get(counterpart.get(name) ?? "");
    if (!other || other.meta !== type.meta) return type;
    switch (type.meta) {
      case "enum": {
        const values = new Set((other as typeof type).values.map((v) => v.name));
        return { ...type, values: type.values.filter((v) => values.has(v.name)) };
      }
      case "object": {
        const o = other as typeof type;
        const members = type.members.filter((m) => o.members.some((x) => x.name === m.name));
        const variants = type.variants.filter((v) => o.variants.some((x) => x.case === v.case));
        // A union whose discriminator or every branch the binary lacks is a plain struct there.
        if (type.tag === undefined || variants.length === 0 || !members.some((m) => m.name === type.tag)) {
          const { tag: _tag, ...struct } = type;
          return { ...struct, members, variants: [] };
        }
        return { ...type, members, variants };
      }
      case "alternate": {
        const cats = new Set((other as typeof type).alternatives.map((a) => category(binary, a.type)));
        return { ...type, alternatives: type.alternatives.filter((a) => cats.has(category(source, a.type))) };
      }
      default:
        return type;
    }
  }

  // Every type cut first; then only what the kept commands and events still reach through the cut types,
  // so dropped commands and members take their types with them.
  const cutTypes = new Map([...source.types].map(([name, type]) => [name, cut(name, type)]));
  const reached = reachableTypes({ ...source, commands, events, types: cutTypes });
  const types = new Map<string, WireType>();
  for (const [, type] of source.types) if (type.meta === "builtin") types.set(type.name, type);
  for (const [name, type] of reached) if (!types.has(name)) types.set(name, type);
  return { ...source, commands, events, types };
}

/**
 * The source model restricted to what another schema (wire form: an
 * introspection file, or an older source) has, with the source's names, docs,
 * locations, conditions and command flags. With an older version's source this
 * gives the newer SDK's names for exactly what the older version offers.
 */
export function restrictToWire(source: Schema, other: WireSchema): Schema {
  const kept = restrictWire(wireFromModel(source, source.fname), other);
  return modelFromWire(kept, { fname: source.fname, nameOf: (n) => n, source });
}

/**
 * For `generate --schema SRC --introspection FILE`: the source cut down to what
 * the binary has and widened by what only the binary has (widen.ts), with the
 * differences as warning lines.
 */
export function sourceForBinary(
  source: Schema,
  file: IntrospectionFile,
): { schema: Schema; warnings: readonly string[] } {
  const { wire, warnings } = widenToBinary(wireFromModel(source, source.fname), wireFromIntrospection(file, "binary"));
  return { schema: modelFromWire(wire, { fname: source.fname, nameOf: (n) => n, source }), warnings };
}

/** `restrictToWire` for an introspection file: the source cut down to what the binary has. */
export function restrictToIntrospection(source: Schema, file: IntrospectionFile): Schema {
  return restrictToWire(source, wireFromIntrospection(file, "binary"));
}
