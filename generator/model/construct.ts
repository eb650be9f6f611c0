/**
 * Constructing a resolved model: the one API both builders use.
 *
 * Callers: generator/model/schema-builder.ts (from the front end's checked
 * expressions) and tools/introspection/model-from-wire.ts (from a wire
 * view: an introspection file, or a source cut down by restrict.ts). A
 * ModelBuilder starts with the predefined entities (built-in types and their
 * arrays, `q_empty`, `QType`, in QEMU's order, in `./builtin`), then takes
 * definitions (`define`, plus the implicit types `arrayOf` and
 * `implicitObject`), then resolves references in one of two ways:
 * `check` applies QEMU's rules as it resolves (a source schema), `link` only
 * resolves (a wire view, already flat and already valid). `freeze` places
 * every entity in its module and returns the read-only Schema for the
 * code generators and the dump.
 */
import type { QapiDoc } from "../frontend/doc.js";
import { QapiSemanticError } from "../frontend/errors.js";
import type { SourceInfo } from "../frontend/source-info.js";
import { builtinTypes, emptyObjectTypeName, qtypeEnumName, qtypeValues } from "./builtins.js";
import { connectDoc, DefinitionChecker } from "./check-definitions.js";
import {
  AlternateType,
  type AnyType,
  ArrayType,
  BuiltinType,
  type Definition,
  EnumMember,
  EnumType,
  Feature,
  type ObjectMember,
  ObjectType,
  type Entity,
  SchemaInclude,
  SchemaModule,
} from "./entities.js";
import { IfCondition } from "./if-cond.js";
import { Schema } from "./schema.js";

/** QEMU's generated code has one bit per feature in a 64-bit mask. */
const maxFeatures = 64;

/** How to build. */
export interface ConstructOptions {
  /** The main schema file as given; the Schema's `fname` and its main module. */
  readonly fname: string;
  /** The module name of a schema file; default: the name as given. */
  readonly moduleName?: (file: string) => string;
}

/** Builds one resolved model: predefineds, definitions, resolution, freeze. */
export class ModelBuilder {
  readonly fname: string;
  /** `./builtin`, home of the predefined entities. */
  readonly builtinModule: SchemaModule;
  /** The main schema file's module. */
  readonly mainModule: SchemaModule;
  private readonly entities: Entity[] = [];
  private readonly definitions = new Map<string, Definition>();
  private readonly modules = new Map<string, SchemaModule>();
  // Values are the first use of each feature name; special features come first.
  private readonly featureRegistry = new Map<string, Feature>();
  // Entities whose caller chose the module; the others go where their info says.
  private readonly placed = new Map<Entity, SchemaModule>();
  private readonly moduleName: (file: string) => string;
  // File name as written in SourceInfo → its module; saves re-resolving paths per entity.
  private readonly moduleByFile = new Map<string, SchemaModule>();

  constructor(options: ConstructOptions) {
    this.fname = options.fname;
    this.moduleName = options.moduleName ?? ((file) => file);
    for (const name of Feature.specialNames) this.featureRegistry.set(name, new Feature(name, null, IfCondition.none));
    this.builtinModule = this.module(SchemaModule.builtinName);
    this.mainModule = this.module(this.fname);
    this.definePredefineds();
  }

  // -------------------------------------------------------------------------
  // Modules and definitions

  /** The module of schema file `file`, made on first use (modules keep the order they are first met in). */
  module(file: string): SchemaModule {
    const name = this.moduleName(file);
    let module = this.modules.get(name);
    if (!module) {
      module = new SchemaModule(name);
      this.modules.set(name, module);
    }
    return module;
  }

  /** Records an `include` of `file` where `info` says. */
  include(file: string, info: SourceInfo): void {
    this.entities.push(new SchemaInclude(this.module(file), info));
  }

  /**
   * Adds a definition, in `module` if given, else in the module its info
   * (for arrays: its element type's info) names.
   * @throws QapiSemanticError when the name is taken
   */
  define<T extends Definition>(defn: T, module?: SchemaModule): T {
    const other = this.definitions.get(defn.name);
    if (other) {
      if (other.info) {
        const where = new QapiSemanticError(other.info, "the first definition is here").report();
        throw new QapiSemanticError(defn.info, `'${defn.name}' is defined a second time\n${where}`);
      }
      throw new QapiSemanticError(defn.info, `${other.describe()} exists already and cannot be redefined`);
    }
    this.entities.push(defn);
    this.definitions.set(defn.name, defn);
    if (module) this.placed.set(defn, module);
    return defn;
  }

  /** True when something is called `name`. */
  has(name: string): boolean {
    return this.definitions.has(name);
  }

  /** The definition called `name`, if any. */
  lookup(name: string): Definition | undefined {
    return this.definitions.get(name);
  }

  /** The type called `name`, if there is one (commands and events are not types). */
  lookupType(name: string): AnyType | undefined {
    const defn = this.definitions.get(name);
    return defn && defn.kind !== "command" && defn.kind !== "event" ? defn : undefined;
  }

  /** A feature use; the schema's feature list keeps the first use of each name. */
  feature(name: string, info: SourceInfo | null, ifcond: IfCondition = IfCondition.none): Feature {
    const feature = new Feature(name, info, ifcond);
    if (!this.featureRegistry.has(name)) this.featureRegistry.set(name, feature);
    return feature;
  }

  /** Defines the implicit `<element>List` unless it exists; returns its name. */
  arrayOf(elementType: string, info: SourceInfo | null): string {
    const name = `${elementType}List`;
    if (!this.lookupType(name)) this.define(new ArrayType(name, info, elementType));
    return name;
  }

  /**
   * Defines the implicit `q_obj_<owner>-<role>` holding inline members and
   * returns its name; none when there are no members.
   */
  implicitObject(
    owner: string,
    role: string,
    info: SourceInfo,
    ifcond: IfCondition,
    members: ObjectMember[],
  ): string | null {
    if (members.length === 0) return null;
    const typeName = `q_obj_${owner}-${role}`;
    // An existing one means a duplicate definition, which define() reports for the owner.
    if (!this.definitions.has(typeName)) {
      this.define(new ObjectType(typeName, info, null, ifcond, [], null, members, null));
    }
    return typeName;
  }

  private definePredefineds(): void {
    for (const [name, json] of builtinTypes) {
      this.define(new BuiltinType(name, json));
      // Arrays of all built-ins exist whether used or not, as in QEMU.
      this.arrayOf(name, null);
    }
    this.define(new ObjectType(emptyObjectTypeName, null, null, IfCondition.none, [], null, [], null));
    const values = qtypeValues.map((name) => new EnumMember(name, null, IfCondition.none, []));
    this.define(new EnumType(qtypeEnumName, null, null, IfCondition.none, [], values, null));
  }

  // -------------------------------------------------------------------------
  // Resolution

  /**
   * Resolves every reference under QEMU's rules (generator/model/check-definitions.ts),
   * in definition order so the first error is QEMU's; connects each doc
   * comment, then checks the docs and the number of features.
   * @throws QapiSemanticError for the first semantic error
   */
  check(docs: readonly QapiDoc[]): void {
    const checker = new DefinitionChecker({ lookupType: (name) => this.lookupType(name) });
    for (const entity of this.entities) {
      checker.checkEntity(entity);
      connectDoc(entity);
    }
    for (const doc of docs) doc.check();
    const features = [...this.featureRegistry.values()];
    if (features.length > maxFeatures) {
      throw new QapiSemanticError(
        features[maxFeatures]!.info,
        `a schema can use no more than ${maxFeatures} distinct features`,
      );
    }
  }

  /**
   * Resolves every reference of a model whose objects already list all their
   * members and branches (a wire view), without QEMU's rules: a QEMU binary's
   * schema is what it is.
   * @throws Error for a reference to a type that is not defined
   */
  link(): void {
    const linked = new Set<ObjectType>();
    const type = (name: string): AnyType => {
      const t = this.lookupType(name);
      if (!t) throw new Error(`${this.fname}: no type '${name}'`);
      return t;
    };
    const objectType = (name: string): ObjectType => {
      const t = type(name);
      if (t.kind !== "object") throw new Error(`${this.fname}: '${name}' is not an object type`);
      return t;
    };
    const linkObject = (object: ObjectType): void => {
      if (linked.has(object)) return;
      linked.add(object);
      const base = object.baseName === null ? null : objectType(object.baseName);
      if (base) linkObject(base);
      for (const m of object.localMembers) m.resolve(type(m.typeName));
      const members = [...(base?.members ?? []), ...object.localMembers];
      object.resolve(base, members);
      const branches = object.branches;
      if (branches) {
        const tag = members.find((m) => m.name === branches.tagName);
        if (!tag) throw new Error(`${this.fname}: union '${object.name}' has no member '${branches.tagName}'`);
        // A wire view lists every branch already.
        branches.resolve(tag, []);
        for (const v of branches.variants) v.resolve(type(v.typeName));
      }
    };
    for (const entity of this.entities) {
      switch (entity.kind) {
        case "array":
          entity.resolve(type(entity.elementTypeName));
          break;
        case "object":
          linkObject(entity);
          break;
        case "alternate":
          entity.alternatives.tagMember.resolve(type(entity.alternatives.tagMember.typeName));
          for (const v of entity.alternatives.variants) v.resolve(type(v.typeName));
          break;
        case "command":
          entity.resolve(
            entity.argTypeName === null ? null : objectType(entity.argTypeName),
            entity.retTypeName === null ? null : type(entity.retTypeName),
          );
          break;
        case "event":
          entity.resolve(entity.argTypeName === null ? null : objectType(entity.argTypeName));
          break;
      }
    }
  }

  // -------------------------------------------------------------------------
  // Freezing

  /**
   * Places every entity in its module, freezes the model and returns it.
   * Call once, after `check` or `link`.
   * @param docs every doc comment, in source order (none for a wire view)
   */
  freeze(docs: readonly QapiDoc[] = []): Schema {
    const byModule = new Map<SchemaModule, Entity[]>([...this.modules.values()].map((m) => [m, []]));
    for (const entity of this.entities) {
      const module = this.placed.get(entity) ?? this.moduleOf(entity);
      entity.place(module);
      byModule.get(module)!.push(entity);
    }
    for (const [module, entities] of byModule) module.fill(entities);
    const schema = new Schema({
      fname: this.fname,
      modules: Object.freeze([...this.modules.values()]),
      entities: Object.freeze(this.entities),
      docs: Object.freeze([...docs]),
      definitions: this.definitions,
      features: Object.freeze([...this.featureRegistry.values()]),
    });
    freezeModel(this.entities, this.modules.values());
    return schema;
  }

  private moduleOf(entity: Entity): SchemaModule {
    // An array belongs with its element type; everything else with where it is defined.
    const info = entity instanceof ArrayType ? entity.elementType.info : entity.info;
    const file = info ? info.file : SchemaModule.builtinName;
    let module = this.moduleByFile.get(file);
    if (!module) {
      module = this.modules.get(this.moduleName(file))!;
      this.moduleByFile.set(file, module);
    }
    return module;
  }
}

/** Freezes every entity, member, branch and feature so consumers cannot change the model. */
function freezeModel(entities: readonly Entity[], modules: Iterable<SchemaModule>): void {
  const freezeAll = (values: readonly object[]): void => {
    for (const value of values) Object.freeze(value);
    Object.freeze(values);
  };
  for (const module of modules) {
    Object.freeze(module.entities);
    Object.freeze(module);
  }
  for (const entity of entities) {
    if (entity instanceof EnumType) {
      for (const value of entity.members) freezeAll(value.features);
      freezeAll(entity.members);
    } else if (entity instanceof ObjectType) {
      for (const member of entity.localMembers) freezeAll(member.features);
      freezeAll(entity.localMembers);
      Object.freeze(entity.members);
      if (entity.branches) {
        freezeAll(entity.branches.variants);
        Object.freeze(entity.branches);
      }
    } else if (entity instanceof AlternateType) {
      freezeAll(entity.alternatives.variants);
      Object.freeze(entity.alternatives.tagMember);
      Object.freeze(entity.alternatives);
    }
    if (entity.kind !== "include") freezeAll(entity.features);
    Object.freeze(entity);
  }
}
