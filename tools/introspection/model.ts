/**
 * An introspection file → the front end's resolved model, so `generate
 * --introspection FILE` can build an SDK for exactly what a QEMU binary offers.
 *
 * QEMU masks type names in `query-qmp-schema` (they become "123"). Each masked
 * type gets a readable name from the first place it is used, walking commands
 * then events in the file's order: a command's arguments become the implicit
 * `q_obj_<command>-arg` (which the code generators call `<Command>Arguments`),
 * an event's data `q_obj_<EVENT>-arg`, and everything reached from there is
 * named by its path: `QueryBlockReturn` → array element `QueryBlockReturnElement`
 * → member `inserted` → `QueryBlockReturnElementInserted`, union branch `file`
 * of `BlockdevAddArguments` → `BlockdevAddArgumentsFile`. The names depend only
 * on the schema, so they are stable across runs and machines.
 */
import { introspectionVersion, wireFromIntrospection, type IntrospectionFile } from "../../core/introspection-file.js";
import { modelFromWire } from "./model-from-wire.js";
import { isMaskedTypeName, type WireSchema } from "../../core/schema.js";
import { historyAt, releaseOfVersion, type History } from "../../core/history.js";
import { counterparts } from "../../core/pairing.js";
import { linkSchema, type LinkedRef } from "../../core/linked.js";
import { withSourceFlags } from "../../core/command-flags.js";
import { withIntegerWidths } from "../../core/integer-widths.js";
import type { Schema } from "../../generator/model/schema.js";

/** `blockdev-add` → `BlockdevAdd`, `BLOCK_JOB_COMPLETED` → `BlockJobCompleted`, `node-name` → `NodeName`. */
export function pascalName(name: string): string {
  return name
    .split(/[-_.]+/)
    .filter((w) => w !== "")
    .map((w) => {
      const rest = w === w.toUpperCase() ? w.slice(1).toLowerCase() : w.slice(1);
      return w[0]!.toUpperCase() + rest;
    })
    .join("");
}

/**
 * Readable names for every masked type of a wire schema, keyed by masked name.
 * Unmasked names (built-ins, and any schema that does not mask) are kept.
 */
export function readableTypeNames(
  wire: WireSchema,
  known: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const [name] of wire.types) if (!isMaskedTypeName(name)) taken.add(name);
  // Names a known schema gives (historyTypeNames) come first; the walk below names the rest.
  for (const [masked, name] of known)
    if (!taken.has(name) && !names.has(masked)) (names.set(masked, name), taken.add(name));
  const visited = new Set<string>();
  const claim = (ideal: string): string => {
    let name = ideal;
    for (let i = 2; taken.has(name); i++) name = `${ideal}${i}`;
    taken.add(name);
    return name;
  };

  /** Names `wireName` (if still unnamed) and then what it contains; `prefix` is the readable stem of this place. */
  function visit(ref: LinkedRef, prefix: string, implicit?: string): void {
    const type = ref.type;
    if (!type || type.wire.meta === "builtin") return;
    if (type.element) return visit(type.element, `${prefix}Element`);
    if (visited.has(ref.typeName) || !isMaskedTypeName(ref.typeName)) return;
    visited.add(ref.typeName);
    if (!names.has(ref.typeName)) names.set(ref.typeName, implicit ?? claim(prefix));
    for (const m of type.members) visit(m, `${prefix}${pascalName(m.member.name)}`);
    for (const v of type.variants) visit(v, `${prefix}${pascalName(v.variant.case)}`);
    // Alternatives are told apart by JSON type, so that is what their names say.
    for (const a of type.alternatives) visit(a, `${prefix}${pascalName(a.type?.wire.meta ?? "value")}`);
  }
  const isEmpty = (wireName: string) => {
    const t = wire.types.get(wireName);
    return t?.meta === "object" && t.members.length === 0 && t.variants.length === 0;
  };
  // Empty objects are all the same on the wire: they become the model's own `q_empty`.
  for (const [name] of wire.types) if (isEmpty(name) && isMaskedTypeName(name)) names.set(name, "q_empty");
  const linked = linkSchema(wire);
  for (const [name, c] of linked.commands) {
    if (!isEmpty(c.arg.typeName)) visit(c.arg, `${pascalName(name)}Arguments`, `q_obj_${name}-arg`);
    visit(c.ret, `${pascalName(name)}Return`);
  }
  for (const [name, e] of linked.events) {
    if (!isEmpty(e.data.typeName)) visit(e.data, `${pascalName(name)}Event`, `q_obj_${name}-arg`);
  }
  // Types no command or event reaches (introspection lists none, but be total).
  for (const [name, type] of wire.types) {
    if (type.meta !== "builtin" && type.meta !== "array" && !names.has(name) && isMaskedTypeName(name)) {
      names.set(name, claim(`Type${name.replace(/\W/g, "")}`));
    }
  }
  return names;
}

/** A type name a definition can have (the history names some types by where they are used: `query-foo.return`). */
const definitionName = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * The names a known schema of the same release (a version history's view of
 * it, with the names of the SDK generated from the pinned source) gives the
 * masked types of `wire`, found by structural pairing (core/pairing.ts:
 * types met at the same place from the same commands and events), never by
 * guessing from shapes. A masked type paired with several names takes the
 * first met.
 */
export function historyTypeNames(wire: WireSchema, known: WireSchema): Map<string, string> {
  const names = new Map<string, string>();
  for (const [masked, name] of counterparts(known, wire, "new")) {
    const t = known.types.get(name);
    if (!isMaskedTypeName(masked) || !t || t.meta === "builtin" || t.meta === "array") continue;
    if (definitionName.test(name) || name.startsWith("q_obj_")) names.set(masked, name);
  }
  return names;
}

/**
 * Builds the resolved model of an introspection file.
 * @param file the parsed introspection file
 * @param fname the name the model's module and locations carry (usually the file's path)
 * @param history a version history: when it covers the binary's release, types take its names
 *   (historyTypeNames), commands the flags its source knows (`'gen': false`) and members the
 *   integer widths (core/integer-widths.ts)
 */
export function modelFromIntrospection(file: IntrospectionFile, fname: string, history?: History): Schema {
  const binary = wireFromIntrospection(file, fname);
  const release = history && releaseOfVersion(history, file.version.qemu);
  const known = release !== undefined ? historyAt(history!, release) : undefined;
  const wire = known ? withIntegerWidths(withSourceFlags(binary, known), known) : binary;
  const names = readableTypeNames(wire, known ? historyTypeNames(wire, known) : undefined);
  return modelFromWire(wire, { fname, nameOf: (n) => names.get(n) ?? n });
}

/** The QEMU version of an introspection file (for the generated descriptor). */
export { introspectionVersion };
