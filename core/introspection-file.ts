/**
 * Introspection files: `{ "version": <query-version>, "schema": <query-qmp-schema> }`
 * as `qapi-ts introspect` writes them (tools/introspection/introspect.ts).
 * This module recognises one and brings it into wire form (schema.ts) for the
 * diff, the capability probes, the version index and the generator's
 * introspection model. Reading files is the generator's job
 * (tools/introspection/read-file.ts).
 */
import { checkIntrospectionFile } from "./introspection-check.js";
import { introspectedFlags } from "./command-flags.js";
import type { WireCommand, WireEvent, WireSchema, WireType } from "./schema.js";

/** One SchemaInfo entry of `query-qmp-schema`, loosely typed as it comes off the wire. */
export type SchemaInfo = { readonly name: string; readonly "meta-type": string; readonly [key: string]: unknown };

/** The content of an introspection file. */
export interface IntrospectionFile {
  /** The `query-version` reply: `{ qemu: { major, minor, micro }, package }`. */
  readonly version: {
    readonly qemu: { readonly major: number; readonly minor: number; readonly micro: number };
    readonly package: string;
  };
  readonly schema: readonly SchemaInfo[];
}

/** `major.minor.micro` of an introspection file. */
export function introspectionVersion(file: IntrospectionFile): string {
  const q = file.version.qemu;
  return `${q.major}.${q.minor}.${q.micro}`;
}

/** True when parsed JSON looks like an introspection file (used to tell files from source schemas). */
export function isIntrospectionFile(value: unknown): value is IntrospectionFile {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v["schema"]) && typeof v["version"] === "object" && v["version"] !== null;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/**
 * Brings introspection output into wire form.
 * Each entry's shape is checked here (the callers include the runtime's partial
 * schemas); the generator's file readers check references as well, first.
 * @throws IntrospectionFileError (introspection-check.ts) when an entry is malformed; the message starts with `label`
 */
export function wireFromIntrospection(file: IntrospectionFile, label: string): WireSchema {
  checkIntrospectionFile(file, label, { references: false });
  const commands = new Map<string, WireCommand>();
  const events = new Map<string, WireEvent>();
  const types = new Map<string, WireType>();
  for (const info of file.schema) {
    const base = { name: info.name, features: strings(info["features"]) };
    switch (info["meta-type"]) {
      case "command":
        commands.set(info.name, {
          ...base,
          argType: String(info["arg-type"]),
          retType: String(info["ret-type"]),
          ...introspectedFlags((key) => info[key]),
        });
        break;
      case "event":
        events.set(info.name, { ...base, argType: String(info["arg-type"]) });
        break;
      case "builtin":
        types.set(info.name, { ...base, meta: "builtin", json: String(info["json-type"]) });
        break;
      case "enum": {
        // "members" (with features) exists since QEMU 6.0; older output has only "values".
        const members = Array.isArray(info["members"])
          ? (info["members"] as { name: string; features?: unknown }[]).map((m) => ({
              name: m.name,
              features: strings(m.features),
            }))
          : strings(info["values"]).map((name) => ({ name, features: [] }));
        types.set(info.name, { ...base, meta: "enum", values: members });
        break;
      }
      case "array":
        types.set(info.name, { ...base, meta: "array", element: String(info["element-type"]) });
        break;
      case "object": {
        const members = (
          (info["members"] ?? []) as { name: string; type: string; default?: unknown; features?: unknown }[]
        ).map((m) => ({
          name: m.name,
          type: m.type,
          // Introspection marks optional members with "default": null.
          optional: "default" in m,
          features: strings(m.features),
        }));
        const variants = ((info["variants"] ?? []) as { case: string; type: string }[]).map((v) => ({
          case: v.case,
          type: v.type,
        }));
        const tag = typeof info["tag"] === "string" ? { tag: info["tag"] } : {};
        types.set(info.name, { ...base, meta: "object", members, ...tag, variants });
        break;
      }
      case "alternate":
        types.set(info.name, {
          ...base,
          meta: "alternate",
          alternatives: ((info["members"] ?? []) as { type: string }[]).map((m) => ({ type: m.type })),
        });
        break;
    }
  }
  return { origin: "introspection", label, version: introspectionVersion(file), commands, events, types };
}
