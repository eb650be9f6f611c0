/**
 * Builds the resolved model (generator/model/) from a schema in wire form
 * (core/schema.ts), so the code generators can run on what a QEMU
 * binary reports rather than on source files. It defines the wire view's
 * entities on a ModelBuilder (generator/model/construct.ts), which brings
 * the predefined types, feature registry, linking and freezing that a
 * source-built model has too.
 *
 * Two callers: model.ts (an introspection file, with readable
 * names made up for masked types) and restrict.ts (a source model cut down to
 * what a binary has, keeping the source's docs, locations, conditions and
 * flags). Objects come out flat (members of a base are the type's own), which
 * is all the wire form knows, and a union's members form its implicit base
 * (`q_obj_<name>-base`); everything else matches a source-built model.
 */
import { SourceInfo } from "../../generator/frontend/source-info.js";
import { UserFacingError } from "../../generator/errors.js";
import { quoteWireName } from "../../core/introspection-check.js";
import { emptyObjectTypeName, qtypeEnumName } from "../../generator/model/builtins.js";
import { ModelBuilder } from "../../generator/model/construct.js";
import {
  Alternatives,
  AlternateType,
  ArrayType,
  Branches,
  Command,
  type Definition,
  EnumMember,
  EnumType,
  Event,
  type Feature,
  ObjectMember,
  ObjectType,
  type SchemaModule,
  Variant,
} from "../../generator/model/entities.js";
import { IfCondition, ifCondFromText } from "../../generator/model/if-cond.js";
import type { Schema } from "../../generator/model/schema.js";
import type { WireSchema, WireType } from "../../core/schema.js";
import { flagsFromWire } from "../../core/command-flags.js";

/** How to build. */
export interface ModelFromWireOptions {
  /** File name the model's module and locations carry (an introspection file, a source schema). */
  readonly fname: string;
  /** The model name of a wire type that is neither built-in nor an array. */
  nameOf(wireName: string): string;
  /** Where to take docs, locations, `if` conditions and command flags from, by name. */
  readonly source?: Schema;
}

const noIf = IfCondition.none;

/** JSON type names of introspection built-ins → the model's built-in of that JSON type. */
const builtinByJson: Record<string, string> = {
  string: "str",
  int: "int",
  number: "number",
  boolean: "bool",
  value: "any",
  null: "null",
};

/**
 * Builds a resolved, read-only Schema from wire form.
 * @throws Error when the wire schema refers to a type it does not define
 */
export function modelFromWire(wire: WireSchema, options: ModelFromWireOptions): Schema {
  // The predefined entities come with the builder; everything the wire view defines goes in one module.
  const model = new ModelBuilder({ fname: options.fname });
  const mainModule = model.mainModule;
  const source = options.source;

  let line = 0;
  function infoFor(meta: string, name: string): SourceInfo {
    const original = source?.lookupEntity(name)?.info;
    if (original) return original;
    // One location per definition, in the order of the wire schema, so messages can point somewhere.
    const info = new SourceInfo(options.fname, null);
    info.line = ++line;
    info.defnMeta = meta;
    info.defnName = name;
    return info;
  }
  const featureList = (names: readonly string[]): Feature[] => names.map((n) => model.feature(n, null));
  /**
   * Defines `defn`. Introspection keeps commands, events and types apart, the model does not (and
   * predefines str, QType, q_empty …): a clash is the input's fault, said in one line about the input.
   */
  function add<T extends Definition>(defn: T, module: SchemaModule): T {
    const taken = model.lookup(defn.name);
    if (taken) {
      throw new UserFacingError(
        `${options.fname}: ${defn.kind} ${quoteWireName(defn.name)}: the name is already taken by ${taken.info === null ? "a built-in " : "the "}${taken.kind} of that name`,
      );
    }
    return model.define(defn, module);
  }
  /** The source's condition when there is one; else the wire's text read back (a history's release view has it). */
  const ifOf = (text: string | undefined, original: IfCondition | undefined): IfCondition => {
    if (text === undefined) return noIf;
    if (original) return original;
    return new IfCondition(ifCondFromText(text) ?? text);
  };

  /** The model name of a wire type reference. */
  const modelNames = new Map<string, string>();
  function modelName(wireName: string): string {
    const known = modelNames.get(wireName);
    if (known !== undefined) return known;
    const type = wire.types.get(wireName);
    if (!type) throw new Error(`${options.fname}: type '${wireName}' is used but not defined`);
    let name: string;
    if (type.meta === "builtin") name = model.has(wireName) ? wireName : (builtinByJson[type.json] ?? "any");
    else if (type.meta === "array") name = `${modelName(type.element)}List`;
    else name = options.nameOf(wireName);
    modelNames.set(wireName, name);
    return name;
  }

  function define(wireName: string, type: WireType): void {
    const name = modelName(wireName);
    const existing = model.lookup(name);
    // The same array type reached twice, or the wire form of the model's own empty object or QType; any
    // other name the model has (str, another definition) is a clash, which define() reports.
    if (
      existing &&
      (existing.kind === "array" ||
        (name === emptyObjectTypeName && type.meta === "object") ||
        (name === qtypeEnumName && type.meta === "enum"))
    )
      return;
    const original = source?.lookupType(name);
    const feats = featureList(type.features);
    switch (type.meta) {
      case "builtin":
        return;
      case "array": {
        const element = modelName(type.element);
        const array = new ArrayType(name, null, element);
        add(array, model.lookup(element)?.kind === "builtin" ? model.builtinModule : mainModule);
        return;
      }
      case "enum": {
        const originalValues = original?.kind === "enum" ? original.members : [];
        const members = type.values.map(
          (v) =>
            new EnumMember(
              v.name,
              null,
              ifOf(v.if, originalValues.find((m) => m.name === v.name)?.ifcond),
              featureList(v.features),
            ),
        );
        const prefix = original?.kind === "enum" ? original.prefix : null;
        add(
          new EnumType(
            name,
            infoFor("enum", name),
            original?.doc ?? null,
            ifOf(type.if, original?.ifcond),
            feats,
            members,
            prefix,
          ),
          mainModule,
        );
        return;
      }
      case "object": {
        const originalMembers = original?.kind === "object" ? original.members : [];
        const members = type.members.map((m) => {
          const om = originalMembers.find((x) => x.name === m.name);
          return new ObjectMember(
            m.name,
            null,
            modelName(m.type),
            m.optional,
            ifOf(m.if, om?.ifcond),
            featureList(m.features),
          );
        });
        const originalVariants = original?.kind === "object" ? (original.branches?.variants ?? []) : [];
        const branches =
          type.tag !== undefined
            ? new Branches(
                null,
                type.variants.map(
                  (v) =>
                    new Variant(
                      v.case,
                      null,
                      modelName(v.type),
                      ifOf(v.if, originalVariants.find((x) => x.name === v.case)?.ifcond),
                    ),
                ),
                type.tag,
              )
            : null;
        const info = name.startsWith("q_") ? (original?.info ?? null) : infoFor(branches ? "union" : "struct", name);
        // The wire form is flat. A struct keeps every member as its own; a union's members are its
        // base's, as in a source schema (`q_obj_<name>-base`), since the code generators type a union
        // as base & tag & branch.
        const baseName = branches && members.length > 0 ? `q_obj_${name}-base` : null;
        if (baseName !== null) add(new ObjectType(baseName, null, null, noIf, [], null, members, null), mainModule);
        add(
          new ObjectType(
            name,
            info,
            original?.doc ?? null,
            ifOf(type.if, original?.ifcond),
            feats,
            baseName,
            baseName !== null ? [] : members,
            branches,
          ),
          mainModule,
        );
        return;
      }
      case "alternate": {
        const variants = type.alternatives.map((a) => {
          const typeName = modelName(a.type);
          const json = wire.types.get(a.type);
          const label = json?.meta === "builtin" ? json.json : (json?.meta ?? "value");
          return new Variant(label, null, typeName, noIf);
        });
        const info = infoFor("alternate", name);
        const tag = new ObjectMember("type", info, qtypeEnumName, false, noIf, []);
        const alternatives = new Alternatives(info, variants, tag);
        add(
          new AlternateType(name, info, original?.doc ?? null, ifOf(type.if, original?.ifcond), feats, alternatives),
          mainModule,
        );
        return;
      }
    }
  }
  /** An argument or return type: none when it is the empty object, which is how introspection says "nothing". */
  function optionalObject(wireName: string): string | null {
    const t = wire.types.get(wireName);
    if (t?.meta === "object" && t.members.length === 0 && t.variants.length === 0) return null;
    return modelName(wireName);
  }

  // Types first (definition order of the wire schema), then commands and events.
  for (const [wireName, type] of wire.types) {
    if (type.meta !== "builtin") define(wireName, type);
  }
  for (const [name, c] of wire.commands) {
    const original = source?.lookupEntity(name);
    const originalCommand = original?.kind === "command" ? original : undefined;
    const argTypeName = optionalObject(c.argType);
    const retTypeName = originalCommand && originalCommand.retTypeName === null ? null : optionalObject(c.retType);
    const info = infoFor("command", name);
    const features = featureList(c.features);
    const flags = flagsFromWire(c, originalCommand);
    const command = new Command(
      name,
      info,
      original?.doc ?? null,
      ifOf(c.if, original?.ifcond),
      features,
      argTypeName,
      retTypeName,
      flags,
    );
    add(command, mainModule);
  }
  for (const [name, e] of wire.events) {
    const original = source?.lookupEntity(name);
    const argTypeName = optionalObject(e.argType);
    const boxed = original?.kind === "event" ? original.boxed : false;
    add(
      new Event(
        name,
        infoFor("event", name),
        original?.doc ?? null,
        ifOf(e.if, original?.ifcond),
        featureList(e.features),
        argTypeName,
        boxed,
      ),
      mainModule,
    );
  }
  model.link();
  return model.freeze();
}
