/**
 * The wire view of a schema: what a QMP client can observe, in the shape of
 * `query-qmp-schema`'s SchemaInfo list (flattened object members, union
 * variants by case, alternates by JSON type, optional members marked), plus the
 * `if` conditions that only a source schema knows.
 *
 * Both sides of a diff are brought into this form: introspection output as it
 * is (introspection-file.ts), a resolved source model through `wireFromModel`.
 * generator/sync/diff.ts compares two of these; versions.ts indexes several.
 */
import type { AnyType, Feature } from "../model/entities.js";
import type { Schema } from "../model/schema.js";

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

/** A command: its argument and return type names (an empty object when absent). */
export interface WireCommand extends WireEntityBase {
  readonly argType: string;
  readonly retType: string;
  readonly allowOob: boolean;
  /** Only known from source; undefined for introspection. */
  readonly successResponse?: boolean;
  readonly allowPreconfig?: boolean;
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

const featureNames = (features: readonly Feature[]) => features.map((f) => f.name);

function withIf<T extends object>(value: T, ifcond: { isPresent(): boolean; toString(): string }): T {
  return ifcond.isPresent() ? { ...value, if: ifcond.toString() } : value;
}

/** Name of the empty object type a command without arguments or returns points to. */
const emptyObject = "q_empty";

/** Brings a resolved source model into wire form. */
export function wireFromModel(schema: Schema, label: string, version?: string): WireSchema {
  const commands = new Map<string, WireCommand>();
  const events = new Map<string, WireEvent>();
  const types = new Map<string, WireType>();
  types.set(emptyObject, { meta: "object", name: emptyObject, features: [], members: [], variants: [] });
  for (const defn of schema.allDefinitions()) {
    const base = { name: defn.name, features: featureNames(defn.features) };
    switch (defn.kind) {
      case "command":
        commands.set(
          defn.name,
          withIf(
            {
              ...base,
              argType: defn.argType?.name ?? emptyObject,
              retType: defn.retType?.name ?? emptyObject,
              allowOob: defn.allowOob,
              successResponse: defn.successResponse,
              allowPreconfig: defn.allowPreconfig,
            },
            defn.ifcond,
          ),
        );
        break;
      case "event":
        events.set(defn.name, withIf({ ...base, argType: defn.argType?.name ?? emptyObject }, defn.ifcond));
        break;
      default:
        types.set(defn.name, wireType(defn));
    }
  }
  return { origin: "source", label, ...(version ? { version } : {}), commands, events, types };
}

function wireType(type: AnyType): WireType {
  const base = { name: type.name, features: featureNames(type.features) };
  switch (type.kind) {
    case "builtin":
      return { ...base, meta: "builtin", json: type.jsonType() };
    case "enum":
      return withIf(
        {
          ...base,
          meta: "enum",
          values: type.members.map((m) => withIf({ name: m.name, features: featureNames(m.features) }, m.ifcond)),
        },
        type.ifcond,
      );
    case "array":
      return { ...base, meta: "array", element: type.elementType.name };
    case "object":
      return withIf(
        {
          ...base,
          meta: "object",
          members: type.members.map((m) =>
            withIf({ name: m.name, type: m.type.name, optional: m.optional, features: featureNames(m.features) }, m.ifcond),
          ),
          ...(type.branches ? { tag: type.branches.tagMember.name } : {}),
          variants: (type.branches?.variants ?? []).map((v) => withIf({ case: v.name, type: v.type.name }, v.ifcond)),
        },
        type.ifcond,
      );
    case "alternate":
      return withIf(
        {
          ...base,
          meta: "alternate",
          alternatives: type.alternatives.variants.map((v) => withIf({ type: v.type.name }, v.ifcond)),
        },
        type.ifcond,
      );
  }
}
