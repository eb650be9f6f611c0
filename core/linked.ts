/**
 * A wire schema (schema.ts) decoded once into linked, frozen objects: each
 * type refers to the types it uses as objects, not names, so a walk follows
 * references instead of looking names up. Built at the first use for a schema
 * object and kept with it (a WeakMap), so every walk over the same schema
 * shares one graph. pairing.ts and walk.ts walk this form.
 */
import type { WireCommand, WireEvent, WireMember, WireSchema, WireType, WireVariant } from "./schema.js";

/** A reference to a type: its name as the schema writes it, and the type (undefined when the schema lacks it). */
export interface TypeRef {
  readonly name: string;
  readonly type: LinkedType | undefined;
}

/** A member of an object type, its type linked. */
export interface LinkedMember extends TypeRef {
  readonly member: WireMember;
}

/** A union branch, its type linked. */
export interface LinkedVariant extends TypeRef {
  readonly variant: WireVariant;
}

/** A type with the types it uses linked. Fields that do not apply to its kind are empty. */
export interface LinkedType {
  readonly name: string;
  readonly wire: WireType;
  /** Arrays: the element type. */
  readonly element: TypeRef | undefined;
  /** Objects: members (a union's base, flattened) and branches. */
  readonly members: readonly LinkedMember[];
  readonly variants: readonly LinkedVariant[];
  /** Alternates: the alternatives. */
  readonly alternatives: readonly TypeRef[];
}

/** A command with its argument and return types linked. */
export interface LinkedCommand {
  readonly command: WireCommand;
  readonly arg: TypeRef;
  readonly ret: TypeRef;
}

/** An event with its data type linked. */
export interface LinkedEvent {
  readonly event: WireEvent;
  readonly data: TypeRef;
}

/** A whole schema, linked. */
export interface LinkedSchema {
  readonly schema: WireSchema;
  readonly types: ReadonlyMap<string, LinkedType>;
  readonly commands: ReadonlyMap<string, LinkedCommand>;
  readonly events: ReadonlyMap<string, LinkedEvent>;
  /** A reference by name (a type the schema lacks gives `type: undefined`). */
  ref(name: string): TypeRef;
}

const linkedSchemas = new WeakMap<WireSchema, LinkedSchema>();
const none: readonly never[] = Object.freeze([]);

/** The linked form of a schema, built once per schema object. */
export function linkSchema(schema: WireSchema): LinkedSchema {
  let linked = linkedSchemas.get(schema);
  if (!linked) linkedSchemas.set(schema, (linked = build(schema)));
  return linked;
}

function build(schema: WireSchema): LinkedSchema {
  // Every type gets its object first, so references (recursive ones included) have something to point to.
  const types = new Map<string, { -readonly [K in keyof LinkedType]: LinkedType[K] }>();
  for (const [name, wire] of schema.types)
    types.set(name, { name, wire, element: undefined, members: none, variants: none, alternatives: none });
  const refs = new Map<string, TypeRef>();
  const ref = (name: string): TypeRef => {
    let r = refs.get(name);
    if (!r) refs.set(name, (r = Object.freeze({ name, type: types.get(name) })));
    return r;
  };
  for (const t of types.values()) {
    const wire = t.wire;
    if (wire.meta === "array") t.element = ref(wire.element);
    else if (wire.meta === "object") {
      t.members = Object.freeze(wire.members.map((member) => Object.freeze({ ...ref(member.type), member })));
      t.variants = Object.freeze(wire.variants.map((variant) => Object.freeze({ ...ref(variant.type), variant })));
    } else if (wire.meta === "alternate") t.alternatives = Object.freeze(wire.alternatives.map((a) => ref(a.type)));
  }
  for (const t of types.values()) Object.freeze(t);
  const commands = new Map<string, LinkedCommand>();
  for (const [name, command] of schema.commands)
    commands.set(name, Object.freeze({ command, arg: ref(command.argType), ret: ref(command.retType) }));
  const events = new Map<string, LinkedEvent>();
  for (const [name, event] of schema.events) events.set(name, Object.freeze({ event, data: ref(event.argType) }));
  return Object.freeze({ schema, types: types as Map<string, LinkedType>, commands, events, ref });
}
