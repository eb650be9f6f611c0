/**
 * Stage 3 of the front end: from checked expressions to the resolved Schema.
 *
 * Input: stage 2's CheckedExpr list (generator/frontend/check-exprs.ts) and
 * the parser's doc comments. The builder defines the predefined entities, then
 * every definition with its implicit types (`q_obj_<name>-arg`,
 * `q_obj_<Union>-base`, `<T>List`, and for an older release's simple union
 * `q_obj_<T>-wrapper` and `<Union>Kind`), in QEMU's order; then checks each entity
 * and connects its doc (generator/model/check-definitions.ts), assigns
 * modules, checks the docs and the feature count, and freezes the result.
 * Output: a read-only Schema for the code generators and the dump.
 */
import { relative, resolve, dirname } from "node:path";
import type { CheckedBranch, CheckedExpr, CheckedFeature, CheckedMember, TypeRef } from "../frontend/check-exprs.js";
import type { QapiDoc } from "../frontend/doc.js";
import { QapiSemanticError } from "../frontend/errors.js";
import type { SourceInfo } from "../frontend/source-info.js";
import { builtinTypes, emptyObjectTypeName, qtypeEnumName, qtypeValues } from "./builtins.js";
import { connectDoc, DefinitionChecker } from "./check-definitions.js";
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
  type SchemaEntity,
  SchemaInclude,
  SchemaModule,
  Variant,
  WrapperType,
  writable,
} from "./entities.js";
import { type IfCond, IfCondition } from "./if-cond.js";
import { Schema } from "./schema.js";

/** QEMU's generated code has one bit per feature in a 64-bit mask. */
const maxFeatures = 64;

/**
 * Builds and checks the resolved schema.
 * @param fname the main schema file as given (module names are relative to its directory)
 * @param exprs stage 2's expressions, in source order
 * @param docs  every doc comment, in source order
 * @throws QapiSemanticError for the first semantic error, as QEMU reports it
 */
export function buildSchema(fname: string, exprs: readonly CheckedExpr[], docs: readonly QapiDoc[]): Schema {
  return new SchemaBuilder(fname, docs).build(exprs);
}

class SchemaBuilder {
  private readonly entities: SchemaEntity[] = [];
  private readonly definitions = new Map<string, Definition>();
  private readonly modules = new Map<string, SchemaModule>();
  // Values are the first use of each feature name; special features come first.
  private readonly features = new Map<string, Feature>();
  private readonly schemaDir: string;
  // File name as written in SourceInfo → its module; saves re-resolving paths per entity.
  private readonly moduleByFile = new Map<string, SchemaModule>();

  constructor(
    private readonly fname: string,
    private readonly docs: readonly QapiDoc[],
  ) {
    this.schemaDir = resolve(dirname(fname));
    for (const name of Feature.specialNames) this.features.set(name, new Feature(name, null, IfCondition.none));
  }

  build(exprs: readonly CheckedExpr[]): Schema {
    this.makeModule(SchemaModule.builtinName);
    this.makeModule(this.fname);
    this.definePredefineds();
    for (const expr of exprs) this.defineExpr(expr);
    this.check();
    const schema = new Schema({
      fname: this.fname,
      modules: Object.freeze([...this.modules.values()]),
      entities: Object.freeze(this.entities),
      docs: Object.freeze([...this.docs]),
      definitions: this.definitions,
      features: Object.freeze([...this.features.values()]),
    });
    freezeModel(this.entities, this.modules.values());
    return schema;
  }

  // -------------------------------------------------------------------------
  // Definitions

  private defineEntity(entity: SchemaEntity): void {
    this.entities.push(entity);
  }

  private define(defn: Definition): void {
    this.defineEntity(defn);
    const other = this.definitions.get(defn.name);
    if (other) {
      if (other.info) {
        const where = new QapiSemanticError(other.info, "the first definition is here").report();
        throw new QapiSemanticError(defn.info, `'${defn.name}' is defined a second time\n${where}`);
      }
      throw new QapiSemanticError(defn.info, `${other.describe()} exists already and cannot be redefined`);
    }
    this.definitions.set(defn.name, defn);
  }

  private lookupType(name: string): AnyType | undefined {
    const defn = this.definitions.get(name);
    return defn && defn.kind !== "command" && defn.kind !== "event" ? defn : undefined;
  }

  private moduleName(fname: string): string {
    if (fname.startsWith("./")) return fname;
    return relative(this.schemaDir, resolve(fname));
  }

  private makeModule(fname: string): SchemaModule {
    const name = this.moduleName(fname);
    let module = this.modules.get(name);
    if (!module) {
      module = new SchemaModule(name);
      this.modules.set(name, module);
    }
    return module;
  }

  private definePredefineds(): void {
    for (const [name, json] of builtinTypes) {
      this.define(new BuiltinType(name, json));
      // Arrays of all built-ins exist whether used or not, as in QEMU.
      this.makeArrayType(name, null);
    }
    this.define(new ObjectType(emptyObjectTypeName, null, null, IfCondition.none, [], null, [], null));
    const values = qtypeValues.map((name) => new EnumMember(name, null, IfCondition.none, []));
    this.define(new EnumType(qtypeEnumName, null, null, IfCondition.none, [], values, null));
  }

  private makeFeatures(features: readonly CheckedFeature[], info: SourceInfo | null): Feature[] {
    return features.map((f) => {
      const feature = new Feature(f.name, info, condition(f.ifcond));
      if (!this.features.has(f.name)) this.features.set(f.name, feature);
      return feature;
    });
  }

  /** Defines `<element>List` unless it exists; returns its name. */
  private makeArrayType(elementType: string, info: SourceInfo | null): string {
    const name = `${elementType}List`;
    if (!this.lookupType(name)) this.define(new ArrayType(name, info, elementType));
    return name;
  }

  private typeName(type: TypeRef, info: SourceInfo): string {
    return typeof type === "string" ? type : this.makeArrayType(type[0], info);
  }

  private makeMembers(members: readonly CheckedMember[], info: SourceInfo): ObjectMember[] {
    return members.map(
      (m) =>
        new ObjectMember(m.name, info, this.typeName(m.type, info), m.optional, condition(m.ifcond), this.makeFeatures(m.features, info)),
    );
  }

  /** Defines `q_obj_<name>-<role>` for inline members (none when there are no members). */
  private makeImplicitObjectType(name: string, info: SourceInfo, ifcond: IfCondition, role: string, members: ObjectMember[]): string | null {
    if (members.length === 0) return null;
    const typeName = `q_obj_${name}-${role}`;
    // An existing one means a duplicate definition, which define() reports later.
    if (!this.definitions.has(typeName)) {
      this.define(new ObjectType(typeName, info, null, ifcond, [], null, members, null));
    }
    return typeName;
  }

  private defineExpr(expr: CheckedExpr): void {
    if (expr.meta === "include") {
      this.defineEntity(new SchemaInclude(this.makeModule(expr.include), expr.info));
      return;
    }
    const { name, info, doc } = expr;
    const ifcond = condition(expr.ifcond);
    const features = this.makeFeatures(expr.features, info);
    switch (expr.meta) {
      case "enum": {
        const values = expr.values.map(
          (v) => new EnumMember(v.name, info, condition(v.ifcond), this.makeFeatures(v.features, info)),
        );
        this.define(new EnumType(name, info, doc, ifcond, features, values, expr.prefix));
        break;
      }
      case "struct":
        this.define(new ObjectType(name, info, doc, ifcond, features, expr.base, this.makeMembers(expr.members, info), null));
        break;
      case "union": {
        const base =
          typeof expr.base === "string"
            ? expr.base
            : this.makeImplicitObjectType(name, info, ifcond, "base", this.makeMembers(expr.base, info));
        const variants = expr.branches.map((b) => new Variant(b.name, info, this.typeName(b.type, info), condition(b.ifcond)));
        this.define(new ObjectType(name, info, doc, ifcond, features, base, [], new Branches(info, variants, expr.discriminator)));
        break;
      }
      case "simple-union":
        this.defineSimpleUnion(name, info, doc, ifcond, features, expr.branches);
        break;
      case "alternate": {
        const variants = expr.branches.map((b) => new Variant(b.name, info, this.typeName(b.type, info), condition(b.ifcond)));
        const tagMember = new ObjectMember("type", info, qtypeEnumName, false, IfCondition.none, []);
        this.define(new AlternateType(name, info, doc, ifcond, features, new Alternatives(info, variants, tagMember)));
        break;
      }
      case "command": {
        const argTypeName =
          typeof expr.data === "string" || expr.data === null
            ? expr.data
            : this.makeImplicitObjectType(name, info, ifcond, "arg", this.makeMembers(expr.data, info));
        const retTypeName = expr.returns === null ? null : this.typeName(expr.returns, info);
        this.define(new Command(name, info, doc, ifcond, features, argTypeName, retTypeName, expr.flags));
        break;
      }
      case "event": {
        const argTypeName =
          typeof expr.data === "string" || expr.data === null
            ? expr.data
            : this.makeImplicitObjectType(name, info, ifcond, "arg", this.makeMembers(expr.data, info));
        this.define(new Event(name, info, doc, ifcond, features, argTypeName, expr.boxed));
        break;
      }
    }
  }

  /**
   * A simple union as QEMU up to 6.1 modelled it: each branch of type T
   * becomes an object `q_obj_<T>-wrapper` with the one member `data: T`; the
   * branch names become the implicit enum `<Name>Kind`, the type of the
   * union's own member `type`, which is the tag. Defined in QEMU's order:
   * wrappers, the enum, the union.
   */
  private defineSimpleUnion(
    name: string,
    info: SourceInfo,
    doc: QapiDoc | null,
    ifcond: IfCondition,
    features: Feature[],
    branches: readonly CheckedBranch[],
  ): void {
    const variants = branches.map((b) => new Variant(b.name, info, this.makeWrapperType(this.typeName(b.type, info), info), condition(b.ifcond)));
    const values = variants.map((v) => new EnumMember(v.name, info, v.ifcond, []));
    const kindName = `${name}Kind`;
    this.define(new EnumType(kindName, info, null, ifcond, [], values, null, name));
    const tag = new ObjectMember("type", info, kindName, false, IfCondition.none, []);
    this.define(new ObjectType(name, info, doc, ifcond, features, null, [tag], new Branches(info, variants, "type")));
  }

  /** Defines `q_obj_<T>-wrapper` unless an earlier simple union did; returns its name. */
  private makeWrapperType(wrapped: string, info: SourceInfo): string {
    const typeName = `q_obj_${wrapped}-wrapper`;
    if (!this.definitions.has(typeName)) {
      const data = new ObjectMember("data", info, wrapped, false, IfCondition.none, []);
      this.define(new WrapperType(typeName, info, this.lookupType(wrapped) ?? null, data));
    }
    return typeName;
  }

  // -------------------------------------------------------------------------
  // Checking

  private check(): void {
    const checker = new DefinitionChecker({ lookupType: (name) => this.lookupType(name) });
    for (const entity of this.entities) {
      checker.checkEntity(entity);
      connectDoc(entity);
    }
    for (const entity of this.entities) this.setModule(entity);
    for (const doc of this.docs) doc.check();
    const features = [...this.features.values()];
    if (features.length > maxFeatures) {
      throw new QapiSemanticError(features[maxFeatures]!.info, `a schema can use no more than ${maxFeatures} distinct features`);
    }
  }

  private setModule(entity: SchemaEntity): void {
    // An array belongs with its element type; everything else with where it is defined.
    const info = entity instanceof ArrayType ? entity.elementType.info : entity.info;
    const file = info ? info.file : SchemaModule.builtinName;
    let module = this.moduleByFile.get(file);
    if (!module) {
      module = this.modules.get(this.moduleName(file))!;
      this.moduleByFile.set(file, module);
    }
    writable(entity).module = module;
    (module.entities as SchemaEntity[]).push(entity);
  }
}

function condition(cond: IfCond | undefined): IfCondition {
  return cond === undefined ? IfCondition.none : new IfCondition(cond);
}

/** Freezes every entity, member, branch and feature so consumers cannot change the model. */
function freezeModel(entities: readonly SchemaEntity[], modules: Iterable<SchemaModule>): void {
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
    if (entity.kind !== "include") freezeAll((entity as Definition).features);
    Object.freeze(entity);
  }
}
