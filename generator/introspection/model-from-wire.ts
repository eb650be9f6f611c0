/**
 * Builds the front end's resolved model (generator/model/) from a schema in
 * wire form (wire-schema.ts), so the code generators can run on what a QEMU
 * binary reports rather than on source files.
 *
 * Two callers: introspection-model.ts (an introspection file, with readable
 * names made up for masked types) and restrict.ts (a source model cut down to
 * what a binary has, keeping the source's docs, locations, conditions and
 * flags). Objects come out flat (members of a base are the type's own), which
 * is all the wire form knows; everything else matches a source-built model.
 */
import { SourceInfo } from "../frontend/source-info.js";
import { builtinTypes, emptyObjectTypeName, qtypeEnumName, qtypeValues } from "../model/builtins.js";
import {
  Alternatives,
  AlternateType,
  type AnyType,
  ArrayType,
  Branches,
  BuiltinType,
  Command,
  type Definition,
  EnumMember,
  EnumType,
  Event,
  Feature,
  ObjectMember,
  ObjectType,
  SchemaModule,
  type SchemaEntity,
  Variant,
  writable,
} from "../model/entities.js";
import { IfCondition } from "../model/if-cond.js";
import { Schema } from "../model/schema.js";
import type { WireSchema, WireType } from "../../runtime/wire/schema.js";
import { flagsFromWire } from "../../runtime/wire/command-flags.js";

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
const builtinByJson: Record<string, string> = { string: "str", int: "int", number: "number", boolean: "bool", value: "any", null: "null" };

/**
 * Builds a resolved, read-only Schema from wire form.
 * @throws Error when the wire schema refers to a type it does not define
 */
export function modelFromWire(wire: WireSchema, options: ModelFromWireOptions): Schema {
  const builtinModule = new SchemaModule(SchemaModule.builtinName);
  const mainModule = new SchemaModule(options.fname);
  const definitions = new Map<string, Definition>();
  const entities: SchemaEntity[] = [];
  const features = new Map<string, Feature>();
  for (const name of Feature.specialNames) features.set(name, new Feature(name, null, noIf));
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
  function add(defn: Definition, module: SchemaModule): void {
    writable(defn).module = module;
    (module.entities as SchemaEntity[]).push(defn);
    entities.push(defn);
    definitions.set(defn.name, defn);
  }
  function featureList(names: readonly string[]): Feature[] {
    return names.map((n) => {
      const f = new Feature(n, null, noIf);
      if (!features.has(n)) features.set(n, f);
      return f;
    });
  }
  const ifOf = (text: string | undefined, original: IfCondition | undefined) => (text !== undefined && original ? original : noIf);

  // Predefined entities, as the front end defines them.
  for (const [name, json] of builtinTypes) add(new BuiltinType(name, json), builtinModule);
  add(new EnumType(qtypeEnumName, null, null, noIf, [], qtypeValues.map((v) => new EnumMember(v, null, noIf, [])), "QTYPE"), builtinModule);
  const empty = new ObjectType(emptyObjectTypeName, null, null, noIf, [], null, [], null);
  add(empty, builtinModule);

  /** The model name of a wire type reference. */
  const modelNames = new Map<string, string>();
  function modelName(wireName: string): string {
    const known = modelNames.get(wireName);
    if (known !== undefined) return known;
    const type = wire.types.get(wireName);
    if (!type) throw new Error(`${options.fname}: type '${wireName}' is used but not defined`);
    let name: string;
    if (type.meta === "builtin") name = definitions.has(wireName) ? wireName : (builtinByJson[type.json] ?? "any");
    else if (type.meta === "array") name = `${modelName(type.element)}List`;
    else name = options.nameOf(wireName);
    modelNames.set(wireName, name);
    return name;
  }

  const pendingResolve: Array<() => void> = [];
  function define(wireName: string, type: WireType): void {
    const name = modelName(wireName);
    if (definitions.has(name)) return;
    const original = source?.lookupType(name);
    const feats = featureList(type.features);
    switch (type.meta) {
      case "builtin":
        return;
      case "array": {
        const element = modelName(type.element);
        const array = new ArrayType(name, null, element);
        add(array, definitions.get(element)?.kind === "builtin" ? builtinModule : mainModule);
        pendingResolve.push(() => (writable(array).elementType = lookup(element)));
        return;
      }
      case "enum": {
        const originalValues = original?.kind === "enum" ? original.members : [];
        const members = type.values.map(
          (v) => new EnumMember(v.name, null, ifOf(v.if, originalValues.find((m) => m.name === v.name)?.ifcond), featureList(v.features)),
        );
        const prefix = original?.kind === "enum" ? original.prefix : null;
        add(new EnumType(name, infoFor("enum", name), original?.doc ?? null, ifOf(type.if, original?.ifcond), feats, members, prefix), mainModule);
        return;
      }
      case "object": {
        const originalMembers = original?.kind === "object" ? original.members : [];
        const members = type.members.map((m) => {
          const om = originalMembers.find((x) => x.name === m.name);
          return new ObjectMember(m.name, null, modelName(m.type), m.optional, ifOf(m.if, om?.ifcond), featureList(m.features));
        });
        const originalVariants = original?.kind === "object" ? (original.branches?.variants ?? []) : [];
        const branches =
          type.tag !== undefined
            ? new Branches(
                null,
                type.variants.map((v) => new Variant(v.case, null, modelName(v.type), ifOf(v.if, originalVariants.find((x) => x.name === v.case)?.ifcond))),
                type.tag,
              )
            : null;
        const info = name.startsWith("q_") ? (original?.info ?? null) : infoFor(branches ? "union" : "struct", name);
        const object = new ObjectType(name, info, original?.doc ?? null, ifOf(type.if, original?.ifcond), feats, null, members, branches);
        add(object, mainModule);
        pendingResolve.push(() => {
          writable(object).members = members;
          for (const m of members) writable(m).type = lookup(m.typeName);
          if (branches) {
            writable(branches).tagMember = members.find((m) => m.name === branches.tagName)!;
            for (const v of branches.variants) writable(v).type = lookup(v.typeName);
          }
        });
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
        const alternate = new AlternateType(name, info, original?.doc ?? null, ifOf(type.if, original?.ifcond), feats, new Alternatives(info, variants, tag));
        add(alternate, mainModule);
        pendingResolve.push(() => {
          writable(tag).type = lookup(qtypeEnumName);
          for (const v of variants) writable(v).type = lookup(v.typeName);
        });
        return;
      }
    }
  }
  function lookup(name: string): AnyType {
    const t = definitions.get(name);
    if (!t || t.kind === "command" || t.kind === "event") throw new Error(`${options.fname}: no type '${name}'`);
    return t;
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
    const flags = original?.kind === "command" ? original : undefined;
    const argTypeName = optionalObject(c.argType);
    const retTypeName = flags && flags.retTypeName === null ? null : optionalObject(c.retType);
    const command = new Command(
      name,
      infoFor("command", name),
      original?.doc ?? null,
      ifOf(c.if, original?.ifcond),
      featureList(c.features),
      argTypeName,
      retTypeName,
      flagsFromWire(c, flags),
    );
    add(command, mainModule);
    pendingResolve.push(() => {
      if (argTypeName !== null) writable(command).argType = lookup(argTypeName) as ObjectType;
      if (retTypeName !== null) writable(command).retType = lookup(retTypeName);
    });
  }
  for (const [name, e] of wire.events) {
    const original = source?.lookupEntity(name);
    const argTypeName = optionalObject(e.argType);
    const event = new Event(name, infoFor("event", name), original?.doc ?? null, ifOf(e.if, original?.ifcond), featureList(e.features), argTypeName, original?.kind === "event" ? original.boxed : false);
    add(event, mainModule);
    pendingResolve.push(() => {
      if (argTypeName !== null) writable(event).argType = lookup(argTypeName) as ObjectType;
    });
  }
  for (const resolveOne of pendingResolve) resolveOne();

  return new Schema({
    fname: options.fname,
    modules: [builtinModule, mainModule],
    entities,
    docs: [],
    definitions,
    features: [...features.values()],
  });
}
