/**
 * The wire view (schema.ts) as data a generated SDK ships: `generated/<sdk>/wire.ts`
 * holds a `WireData`, written by the generator's emitter
 * (generator/emitters/wire-data.ts, through `encodeWireSchema`) and decoded
 * here, once, at the first validation (runtime/validate/) or probe.
 *
 * Each entity is one JSON text (a string literal per line in the generated
 * file: cheap to parse, stable under prettier, one line of diff per changed
 * entity). The text is a positional array, optional facts in a trailing
 * object whose keys are the WireSchema's own property names:
 *
 *   ["builtin", name, jsonType]
 *   ["enum", name, [value | [value, {features, if}] …], {features, if}?]
 *   ["array", name, elementType, {features, if}?]
 *   ["object", name, [member …], {tag, variants, features, if}?]
 *        member: [name, type] | [name, type, 1 (optional) | 0, {features, if}?]
 *        variants: [[case, type] | [case, type, {if}] …]
 *   ["alternate", name, [type | [type, {if}] …], {features, if}?]
 *   ["command", name, argType, retType, {allowOob, successResponse, allowPreconfig, gen, features, if}?]
 *        (the flags of command-flags.ts a wire view carries, those that differ from their default)
 *   ["event", name, argType, {features, if}?]
 *
 * Names are the schema's own (`q_obj_…` for implicit types), `if` conditions
 * and features are kept, so a version history can cut the decoded WireSchema
 * down to one release.
 */
import { decodeWireFlags, encodeWireFlags } from "./command-flags.js";
import type { WireCommand, WireEnumValue, WireEvent, WireMember, WireSchema, WireType, WireVariant } from "./schema.js";

/** A schema in wire form as a generated SDK ships it. */
export interface WireData {
  /** Human label of the schema (the generator's source label). */
  readonly label: string;
  /** QEMU version, when known. */
  readonly version?: string;
  /** One JSON text per entity, in the format described at the top of core/data.ts. */
  readonly entities: readonly string[];
}

type Extra = { features?: string[]; if?: string; [key: string]: unknown };

const noFeatures: readonly string[] = Object.freeze([]);

/** The optional facts of an entity or member as a trailing object, or nothing when there are none. */
function extra(features: readonly string[], ifcond: string | undefined, more: Record<string, unknown> = {}): Extra[] {
  const out: Extra = { ...more };
  if (features.length > 0) out.features = [...features];
  if (ifcond !== undefined) out.if = ifcond;
  return Object.keys(out).length > 0 ? [out] : [];
}

/** Encodes a wire schema: commands, then events, then types, each in the schema's order. */
export function encodeWireSchema(schema: WireSchema): WireData {
  const entities: string[] = [];
  const put = (entity: unknown[]) => entities.push(JSON.stringify(entity));
  for (const c of schema.commands.values()) {
    put(["command", c.name, c.argType, c.retType, ...extra(c.features, c.if, encodeWireFlags(c))]);
  }
  for (const e of schema.events.values()) put(["event", e.name, e.argType, ...extra(e.features, e.if)]);
  for (const t of schema.types.values()) {
    switch (t.meta) {
      case "builtin":
        put(["builtin", t.name, t.json, ...extra(t.features, t.if)]);
        break;
      case "enum":
        put([
          "enum",
          t.name,
          t.values.map((v) =>
            v.features.length > 0 || v.if !== undefined ? [v.name, ...extra(v.features, v.if)] : v.name,
          ),
          ...extra(t.features, t.if),
        ]);
        break;
      case "array":
        put(["array", t.name, t.element, ...extra(t.features, t.if)]);
        break;
      case "object": {
        const members = t.members.map((m) => {
          const more = extra(m.features, m.if);
          return more.length > 0
            ? [m.name, m.type, m.optional ? 1 : 0, ...more]
            : m.optional
              ? [m.name, m.type, 1]
              : [m.name, m.type];
        });
        const union =
          t.tag !== undefined
            ? {
                tag: t.tag,
                variants: t.variants.map((v) =>
                  v.if !== undefined ? [v.case, v.type, { if: v.if }] : [v.case, v.type],
                ),
              }
            : {};
        put(["object", t.name, members, ...extra(t.features, t.if, union)]);
        break;
      }
      case "alternate":
        put([
          "alternate",
          t.name,
          t.alternatives.map((a) => (a.if !== undefined ? [a.type, { if: a.if }] : a.type)),
          ...extra(t.features, t.if),
        ]);
        break;
    }
  }
  return { label: schema.label, ...(schema.version !== undefined ? { version: schema.version } : {}), entities };
}

/** Thrown for wire data that is not in the format above (a generator bug or a hand-edited file). */
export class WireDataError extends Error {
  override name = "WireDataError";
}

function facts(x: unknown): { features: readonly string[]; if?: string } {
  if (x === undefined) return { features: noFeatures };
  const e = x as Extra;
  return { features: e.features ?? noFeatures, ...(e.if !== undefined ? { if: e.if } : {}) };
}

/**
 * Decodes wire data into a WireSchema (origin `source`).
 * @throws WireDataError when an entity is not in the format
 */
export function decodeWireSchema(data: WireData): WireSchema {
  const commands = new Map<string, WireCommand>();
  const events = new Map<string, WireEvent>();
  const types = new Map<string, WireType>();
  const parsed = JSON.parse("[" + data.entities.join(",") + "]") as unknown[][];
  for (const e of parsed) {
    const name = e[1] as string;
    switch (e[0]) {
      case "command": {
        const x = (e[4] ?? {}) as Extra;
        commands.set(name, {
          name,
          argType: e[2] as string,
          retType: e[3] as string,
          ...decodeWireFlags(x),
          ...facts(x),
        });
        break;
      }
      case "event":
        events.set(name, { name, argType: e[2] as string, ...facts(e[3]) });
        break;
      case "builtin":
        types.set(name, { meta: "builtin", name, json: e[2] as string, ...facts(e[3]) });
        break;
      case "enum":
        types.set(name, {
          meta: "enum",
          name,
          values: (e[2] as (string | [string, Extra?])[]).map((v): WireEnumValue =>
            typeof v === "string" ? { name: v, features: noFeatures } : { name: v[0], ...facts(v[1]) },
          ),
          ...facts(e[3]),
        });
        break;
      case "array":
        types.set(name, { meta: "array", name, element: e[2] as string, ...facts(e[3]) });
        break;
      case "object": {
        const x = e[3] as (Extra & { tag?: string; variants?: [string, string, Extra?][] }) | undefined;
        types.set(name, {
          meta: "object",
          name,
          members: (e[2] as [string, string, number?, Extra?][]).map((m): WireMember => ({
            name: m[0],
            type: m[1],
            optional: m[2] === 1,
            ...facts(m[3]),
          })),
          ...(x?.tag !== undefined ? { tag: x.tag } : {}),
          variants: (x?.variants ?? []).map((v): WireVariant => ({
            case: v[0],
            type: v[1],
            ...(v[2]?.if !== undefined ? { if: v[2].if } : {}),
          })),
          ...facts(x),
        });
        break;
      }
      case "alternate":
        types.set(name, {
          meta: "alternate",
          name,
          alternatives: (e[2] as (string | [string, Extra])[]).map((a) =>
            typeof a === "string" ? { type: a } : { type: a[0], ...(a[1].if !== undefined ? { if: a[1].if } : {}) },
          ),
          ...facts(e[3]),
        });
        break;
      default:
        throw new WireDataError(`${data.label}: unknown wire entity ${JSON.stringify(e[0])} (${JSON.stringify(name)})`);
    }
  }
  return {
    origin: "source",
    label: data.label,
    ...(data.version !== undefined ? { version: data.version } : {}),
    commands,
    events,
    types,
  };
}

/**
 * A function returning the decoded schema, getting the data and decoding it
 * at its first call only. Generated SDKs pass a function that returns the
 * data literal: V8 only skims a function body it has not run, so the data
 * costs nothing at import.
 */
export function wireSchemaLoader(data: () => WireData): () => WireSchema {
  let schema: WireSchema | undefined;
  return () => (schema ??= decodeWireSchema(data()));
}
