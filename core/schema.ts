/**
 * The wire view of a schema: what a QMP client can observe, in the shape of
 * `query-qmp-schema`'s SchemaInfo list (flattened object members, union
 * variants by case, alternates by JSON type, optional members marked), plus the
 * `if` conditions that only a source schema knows.
 *
 * Both sides of a diff are brought into this form: introspection output as it
 * is (introspection-file.ts), a resolved source model through the generator's
 * `wireFromModel` (generator/model/wire-from-model.ts). diff.ts compares two of
 * these, the capability probes consult one, the version index merges several.
 * This layer has no file system and no CLI: the runtime and the generator both
 * import it.
 */
import type { WireCommandFlags } from "./command-flags.js";

/** A member of an object type: name, type name, optionality, features. */
export interface WireMember {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly features: readonly string[];
  readonly if?: string;
}

/** One value of an enum. */
export interface WireEnumValue {
  readonly name: string;
  readonly features: readonly string[];
  readonly if?: string;
}

/** One union branch. */
export interface WireVariant {
  readonly case: string;
  readonly type: string;
  readonly if?: string;
}

/** Facts shared by every wire entity. */
interface WireEntityBase {
  readonly name: string;
  readonly features: readonly string[];
  readonly if?: string;
}

/** A built-in type; `json` is its JSON type ("int", "string", …). */
export interface WireBuiltin extends WireEntityBase {
  readonly meta: "builtin";
  readonly json: string;
}

/** An enumeration. */
export interface WireEnum extends WireEntityBase {
  readonly meta: "enum";
  readonly values: readonly WireEnumValue[];
}

/** An array type. */
export interface WireArray extends WireEntityBase {
  readonly meta: "array";
  readonly element: string;
}

/** A struct or union; members are flattened (base members included). */
export interface WireObject extends WireEntityBase {
  readonly meta: "object";
  readonly members: readonly WireMember[];
  readonly tag?: string;
  readonly variants: readonly WireVariant[];
}

/** An alternate: its alternatives' type names. */
export interface WireAlternate extends WireEntityBase {
  readonly meta: "alternate";
  readonly alternatives: readonly { readonly type: string; readonly if?: string }[];
}

/** Any type. */
export type WireType = WireBuiltin | WireEnum | WireArray | WireObject | WireAlternate;

/**
 * A command: its argument and return type names (an empty object when
 * absent) and its flags (command-flags.ts: those only a source knows are
 * undefined for introspection).
 */
export interface WireCommand extends WireEntityBase, WireCommandFlags {
  readonly argType: string;
  readonly retType: string;
}

/** An event and its data type name. */
export interface WireEvent extends WireEntityBase {
  readonly argType: string;
}

/** A whole schema in wire form. */
export interface WireSchema {
  /** Where it came from: a source schema knows `if` conditions and real type names; introspection does not. */
  readonly origin: "source" | "introspection";
  /** Human label of the side ("7.2.0", a file name). */
  readonly label: string;
  /** QEMU version when known (`major.minor.micro`). */
  readonly version?: string;
  readonly commands: ReadonlyMap<string, WireCommand>;
  readonly events: ReadonlyMap<string, WireEvent>;
  readonly types: ReadonlyMap<string, WireType>;
}

/** True for type names that carry no meaning: introspection's numbers, QEMU's implicit `q_` names, arrays `[T]`. */
export function isMaskedTypeName(name: string): boolean {
  return /^\d+$/.test(name) || name.startsWith("q_") || name.startsWith("[");
}

/** Name of the empty object type a command without arguments or returns points to. */
export const wireEmptyObject = "q_empty";
