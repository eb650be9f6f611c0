/**
 * The checked, resolved schema: what the code generators and the dump consume.
 *
 * A ModelBuilder (generator/model/construct.ts) returns it from `freeze`,
 * for schema-builder.ts (a source schema) and model-from-wire.ts (a wire
 * view); generator/load-schema.ts `loadSchema` is the public way to get one. Consumers look entities up by name or walk
 * them with generator/model/visitor.ts; nothing here may be mutated.
 */
import type { QapiDoc } from "../frontend/doc.js";
import type { AnyType, Definition, Entity, Feature, SchemaModule } from "./entities.js";
import { type SchemaVisitor, visitSchema } from "./visitor.js";

/** A resolved QAPI schema. */
export class Schema {
  /** The main schema file as it was given. */
  readonly fname: string;
  /** Modules in the order QEMU visits them: `./builtin`, the main file, then includes as first met. */
  readonly modules: readonly SchemaModule[];
  /** Every entity (includes and definitions) in definition order. */
  readonly entities: readonly Entity[];
  /** Every doc comment, including free-form ones, in source order. */
  readonly docs: readonly QapiDoc[];
  private readonly definitions: ReadonlyMap<string, Definition>;
  private readonly featureList: readonly Feature[];

  /** @internal Built by generator/model/construct.ts only. */
  constructor(parts: {
    fname: string;
    modules: readonly SchemaModule[];
    entities: readonly Entity[];
    docs: readonly QapiDoc[];
    definitions: ReadonlyMap<string, Definition>;
    features: readonly Feature[];
  }) {
    this.fname = parts.fname;
    this.modules = parts.modules;
    this.entities = parts.entities;
    this.docs = parts.docs;
    this.definitions = parts.definitions;
    this.featureList = parts.features;
  }

  /** The definition (type, command or event) called `name`, if any. */
  lookupEntity(name: string): Definition | undefined {
    return this.definitions.get(name);
  }

  /** The type called `name`, if there is one (commands and events are not types). */
  lookupType(name: string): AnyType | undefined {
    const defn = this.definitions.get(name);
    return defn && defn.kind !== "command" && defn.kind !== "event" ? defn : undefined;
  }

  /** All definitions in definition order (built-ins first). */
  allDefinitions(): IterableIterator<Definition> {
    return this.definitions.values();
  }

  /**
   * Every feature name the schema uses, once each, the special ones
   * (`deprecated`, `unstable`) first; each entry is the first use.
   */
  features(): readonly Feature[] {
    return this.featureList;
  }

  /** Walks the schema with `visitor` (see generator/model/visitor.ts). */
  visit(visitor: SchemaVisitor): void {
    visitSchema(this, visitor);
  }
}
