/**
 * Brings a resolved source model (generator/model) into the wire view
 * (core/schema.ts), the form diff, pairing, capabilities and the
 * version index work on. The runtime never sees the model; it only sees this
 * function's output.
 */
import { wireFlags } from "../../core/command-flags.js";
import type { AnyType, Feature } from "./entities.js";
import type { Schema } from "./schema.js";
import {
  wireEmptyObject,
  type WireCommand,
  type WireEvent,
  type WireSchema,
  type WireType,
} from "../../core/schema.js";

const featureNames = (features: readonly Feature[]) => features.map((f) => f.name);

function withIf<T extends object>(value: T, ifcond: { isPresent(): boolean; toString(): string }): T {
  return ifcond.isPresent() ? { ...value, if: ifcond.toString() } : value;
}

/** Name of the empty object type a command without arguments or returns points to. */
const emptyObject = wireEmptyObject;

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
              ...wireFlags(defn),
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
            withIf(
              { name: m.name, type: m.type.name, optional: m.optional, features: featureNames(m.features) },
              m.ifcond,
            ),
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
