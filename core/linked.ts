/**
 * A wire schema (schema.ts) decoded once into linked, frozen objects: each
 * type refers to the types it uses as objects, not names, so a walk follows
 * references instead of looking names up. Built at the first use for a schema
 * object and kept with it (a WeakMap), so every walk over the same schema
 * shares one graph.
 *
 * The facts every walk asks of a type are computed here once: its JSON shape
 * and category (how alternates tell values apart), the members a union
 * branch allows (the base's and the branch's), and the types reachable from
 * the commands and events. walk.ts, pairing.ts, diff.ts, the validator
 * engine, the shell, restrict/widen, the history builder and the JSON Schema
 * writer read these instead of walking names.
 */
import type { WireCommand, WireEvent, WireMember, WireSchema, WireType, WireVariant } from "./schema.js";

/** A use of a type: the name the schema writes, and the type (undefined when the schema lacks it). */
export interface LinkedRef {
  readonly typeName: string;
  readonly type: LinkedType | undefined;
}

/** A member of an object type, its type linked. */
export interface LinkedMember extends LinkedRef {
  readonly member: WireMember;
}

/** A union branch, its type linked. */
export interface LinkedVariant extends LinkedRef {
  readonly variant: WireVariant;
  /**
   * The members a value of this branch may have: the union's own (its base,
   * flattened), then the branch type's that the base lacks. A branch that is
   * itself a union adds its own branches below (its `variants`).
   */
  readonly members: readonly LinkedMember[];
}

/**
 * A value's JSON shape as the type-change rules see it: "number", "string",
 * "boolean", "null", "any", "value" (QType), "enum", "array", "object",
 * "alternate:A|B|…" (its alternatives' shapes), "unknown" for a missing type.
 */
export type JsonShape = string;

/** A type with the types it uses linked. Fields that do not apply to its kind are empty. */
export interface LinkedType {
  readonly name: string;
  readonly wire: WireType;
  /** The JSON shape of its values. */
  readonly shape: JsonShape;
  /** The JSON category alternates pick by: the shape, with enums counted as strings. */
  readonly category: string;
  /** Arrays: the element type. */
  readonly element: LinkedRef | undefined;
  /** Objects: members (a union's base, flattened) and branches. */
  readonly members: readonly LinkedMember[];
  readonly variants: readonly LinkedVariant[];
  /** Alternates: the alternatives. */
  readonly alternatives: readonly LinkedRef[];
}

/** A command with its argument and return types linked. */
export interface LinkedCommand {
  readonly command: WireCommand;
  readonly arg: LinkedRef;
  readonly ret: LinkedRef;
}

/** An event with its data type linked. */
export interface LinkedEvent {
  readonly event: WireEvent;
  readonly data: LinkedRef;
}

/** A whole schema, linked. */
export interface LinkedSchema {
  readonly schema: WireSchema;
  readonly types: ReadonlyMap<string, LinkedType>;
  readonly commands: ReadonlyMap<string, LinkedCommand>;
  readonly events: ReadonlyMap<string, LinkedEvent>;
  /** A reference by name (a type the schema lacks gives `type: undefined`). */
  ref(typeName: string): LinkedRef;
  /**
   * The types reachable from `roots` (default: each command's arguments and
   * return, then each event's data), in the order first met, depth first. A
   * root the schema lacks is left out.
   */
  reachable(roots?: Iterable<LinkedRef>): LinkedType[];
}

const linkedSchemas = new WeakMap<WireSchema, LinkedSchema>();
const none: readonly never[] = Object.freeze([]);

/** The linked form of a schema, built once per schema object. */
export function linkSchema(schema: WireSchema): LinkedSchema {
  let linked = linkedSchemas.get(schema);
  if (!linked) linkedSchemas.set(schema, (linked = build(schema)));
  return linked;
}

/** The types a type refers to directly, in schema order: element, members then branches, alternatives. */
export function referencedRefs(type: LinkedType): LinkedRef[] {
  if (type.element) return [type.element];
  return [...type.members, ...type.variants, ...type.alternatives];
}

/**
 * The members of a value once a union branch is picked: `members` (the
 * union's, and for a branch that is itself a union, the outer ones too), then
 * the branch type's that `members` lacks.
 */
export function withBranch(members: readonly LinkedMember[], branch: LinkedType | undefined): LinkedMember[] {
  const own = new Set(members.map((m) => m.member.name));
  return [...members, ...(branch?.members ?? []).filter((m) => !own.has(m.member.name))];
}

type Building = { -readonly [K in keyof LinkedType]: LinkedType[K] };

function build(schema: WireSchema): LinkedSchema {
  // Every type gets its object first, so references (recursive ones included) have something to point to.
  const types = new Map<string, Building>();
  for (const [name, wire] of schema.types)
    types.set(name, {
      name,
      wire,
      shape: "",
      category: "",
      element: undefined,
      members: none,
      variants: none,
      alternatives: none,
    });
  const refs = new Map<string, LinkedRef>();
  const ref = (typeName: string): LinkedRef => {
    let r = refs.get(typeName);
    if (!r) refs.set(typeName, (r = Object.freeze({ typeName, type: types.get(typeName) })));
    return r;
  };
  const memberOf = (member: WireMember): LinkedMember => Object.freeze({ ...ref(member.type), member });
  for (const t of types.values()) {
    const wire = t.wire;
    if (wire.meta === "array") t.element = ref(wire.element);
    else if (wire.meta === "object") t.members = Object.freeze(wire.members.map(memberOf));
    else if (wire.meta === "alternate") t.alternatives = Object.freeze(wire.alternatives.map((a) => ref(a.type)));
  }
  // Branches last: their member lists need the branch types' members.
  for (const t of types.values()) {
    if (t.wire.meta !== "object" || t.wire.variants.length === 0) continue;
    t.variants = Object.freeze(
      t.wire.variants.map((variant) => {
        const r = ref(variant.type);
        return Object.freeze({ ...r, variant, members: Object.freeze(withBranch(t.members, r.type)) });
      }),
    );
  }
  for (const t of types.values()) t.shape = shapeOf(t, types);
  for (const t of types.values())
    Object.freeze(Object.assign(t, { category: t.shape === "enum" ? "string" : t.shape }));
  const commands = new Map<string, LinkedCommand>();
  for (const [name, command] of schema.commands)
    commands.set(name, Object.freeze({ command, arg: ref(command.argType), ret: ref(command.retType) }));
  const events = new Map<string, LinkedEvent>();
  for (const [name, event] of schema.events) events.set(name, Object.freeze({ event, data: ref(event.argType) }));
  const roots = (): LinkedRef[] => [
    ...[...commands.values()].flatMap((c) => [c.arg, c.ret]),
    ...[...events.values()].map((e) => e.data),
  ];
  const reachable = (from: Iterable<LinkedRef> = roots()): LinkedType[] => {
    const seen = new Set<LinkedType>();
    const visit = (r: LinkedRef): void => {
      const t = r.type;
      if (!t || seen.has(t)) return;
      seen.add(t);
      for (const next of referencedRefs(t)) visit(next);
    };
    for (const r of from) visit(r);
    return [...seen];
  };
  return Object.freeze({ schema, types: types as Map<string, LinkedType>, commands, events, ref, reachable });
}

/**
 * A type's JSON shape; alternates are shaped from their alternatives. QAPI
 * keeps alternates out of alternates, but an introspection file may not: a
 * cycle is cut short rather than followed.
 */
function shapeOf(t: Building, types: ReadonlyMap<string, Building>, inside = new Set<Building>()): JsonShape {
  const wire = t.wire;
  switch (wire.meta) {
    case "builtin":
      return wire.json === "int" ? "number" : wire.json;
    case "enum":
    case "array":
    case "object":
      return wire.meta;
    case "alternate":
      return (
        "alternate:" +
        wire.alternatives
          .map((a) => {
            const alt = types.get(a.type);
            if (!alt) return "unknown";
            const within = new Set(inside).add(t);
            return within.has(alt) ? "alternate" : shapeOf(alt, types, within);
          })
          .join("|")
      );
  }
}
