/**
 * A source schema written as `query-qmp-schema` would report it, but with the
 * real type names instead of masked ones: the "reference" of an SDK. The
 * run-time probes (runtime/capabilities.ts) pair it with a server's masked
 * schema to answer questions by type name (`enumValue("BlockdevDriver", …)`)
 * and to report drift; `qapi-ts introspect --schema SRC` writes one.
 */
import type { Schema } from "../../generator/model/schema.js";
import type { IntrospectionFile, SchemaInfo } from "../../core/introspection-file.js";
import { type WireSchema } from "../../core/schema.js";
import { wireFromModel } from "../../generator/model/wire-from-model.js";

const withFeatures = (info: Record<string, unknown>, features: readonly string[]) =>
  features.length > 0 ? { ...info, features: [...features] } : info;

/** A wire schema as SchemaInfo entries (types first, as QEMU lists them after their users does not matter to readers). */
export function schemaInfoFromWire(wire: WireSchema): SchemaInfo[] {
  const out: SchemaInfo[] = [];
  for (const c of wire.commands.values()) {
    out.push(
      withFeatures(
        {
          name: c.name,
          "meta-type": "command",
          "arg-type": c.argType,
          "ret-type": c.retType,
          ...(c.allowOob ? { "allow-oob": true } : {}),
        },
        c.features,
      ) as SchemaInfo,
    );
  }
  for (const e of wire.events.values())
    out.push(withFeatures({ name: e.name, "meta-type": "event", "arg-type": e.argType }, e.features) as SchemaInfo);
  for (const t of wire.types.values()) {
    const base = { name: t.name, "meta-type": t.meta };
    switch (t.meta) {
      case "builtin":
        out.push({ ...base, "json-type": t.json });
        break;
      case "enum":
        out.push(
          withFeatures(
            {
              ...base,
              values: t.values.map((v) => v.name),
              members: t.values.map((v) => withFeatures({ name: v.name }, v.features)),
            },
            t.features,
          ) as SchemaInfo,
        );
        break;
      case "array":
        out.push({ ...base, "element-type": t.element });
        break;
      case "object":
        out.push(
          withFeatures(
            {
              ...base,
              members: t.members.map((m) =>
                withFeatures({ name: m.name, type: m.type, ...(m.optional ? { default: null } : {}) }, m.features),
              ),
              ...(t.tag !== undefined
                ? { tag: t.tag, variants: t.variants.map((v) => ({ case: v.case, type: v.type })) }
                : {}),
            },
            t.features,
          ) as SchemaInfo,
        );
        break;
      case "alternate":
        out.push(
          withFeatures({ ...base, members: t.alternatives.map((a) => ({ type: a.type })) }, t.features) as SchemaInfo,
        );
        break;
    }
  }
  return out;
}

/**
 * The reference of a source model: an introspection file with real type names.
 * @param version `major.minor.micro` of the QEMU the schema belongs to, when known
 */
export function referenceFromModel(schema: Schema, version?: string): IntrospectionFile {
  const [major = 0, minor = 0, micro = 0] = (version ?? "0.0.0").split(".").map(Number);
  return {
    version: { qemu: { major, minor, micro }, package: "qapi-ts reference" },
    schema: schemaInfoFromWire(wireFromModel(schema, schema.fname)),
  };
}
