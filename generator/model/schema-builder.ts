/**
 * Stage 3 of the front end: from checked expressions to the resolved Schema.
 *
 * Input: stage 2's CheckedExpr list (generator/frontend/check-exprs.ts) and
 * the parser's doc comments. On a ModelBuilder (generator/model/construct.ts,
 * which has already defined the predefined entities) this defines every
 * definition with its implicit types (`q_obj_<name>-arg`,
 * `q_obj_<Union>-base`, `<T>List`, and for an older release's simple union
 * `q_obj_<T>-wrapper` and `<Union>Kind`), in QEMU's order; then the builder
 * checks each entity under QEMU's rules and connects its doc
 * (generator/model/check-definitions.ts), checks the docs and the feature
 * count, assigns modules and freezes the result.
 * Output: a read-only Schema for the code generators and the dump.
 */
import { relative, resolve, dirname } from "node:path";
import type { CheckedBranch, CheckedExpr, CheckedFeature, CheckedMember, TypeRef } from "../frontend/check-exprs.js";
import type { QapiDoc } from "../frontend/doc.js";
import type { SourceInfo } from "../frontend/source-info.js";
import { qtypeEnumName } from "./builtins.js";
import { ModelBuilder } from "./construct.js";
import {
  Alternatives,
  AlternateType,
  Branches,
  Command,
  EnumMember,
  EnumType,
  Event,
  type Feature,
  ObjectMember,
  ObjectType,
  Variant,
  WrapperType,
} from "./entities.js";
import { type IfCond, IfCondition } from "./if-cond.js";
import type { Schema } from "./schema.js";

/**
 * Builds and checks the resolved schema.
 * @param fname the main schema file as given (module names are relative to its directory)
 * @param exprs stage 2's expressions, in source order
 * @param docs  every doc comment, in source order
 * @throws QapiSemanticError for the first semantic error, as QEMU reports it
 */
export function buildSchema(fname: string, exprs: readonly CheckedExpr[], docs: readonly QapiDoc[]): Schema {
  return new SchemaBuilder(fname).build(exprs, docs);
}

class SchemaBuilder {
  private readonly model: ModelBuilder;

  constructor(fname: string) {
    const schemaDir = resolve(dirname(fname));
    const moduleName = (file: string) => (file.startsWith("./") ? file : relative(schemaDir, resolve(file)));
    this.model = new ModelBuilder({ fname, moduleName });
  }

  build(exprs: readonly CheckedExpr[], docs: readonly QapiDoc[]): Schema {
    for (const expr of exprs) this.defineExpr(expr);
    this.model.check(docs);
    return this.model.freeze(docs);
  }

  private makeFeatures(features: readonly CheckedFeature[], info: SourceInfo | null): Feature[] {
    return features.map((f) => this.model.feature(f.name, info, condition(f.ifcond)));
  }

  private typeName(type: TypeRef, info: SourceInfo): string {
    return typeof type === "string" ? type : this.model.arrayOf(type[0], info);
  }

  private makeMembers(members: readonly CheckedMember[], info: SourceInfo): ObjectMember[] {
    return members.map(
      (m) =>
        new ObjectMember(
          m.name,
          info,
          this.typeName(m.type, info),
          m.optional,
          condition(m.ifcond),
          this.makeFeatures(m.features, info),
        ),
    );
  }

  private defineExpr(expr: CheckedExpr): void {
    if (expr.meta === "include") {
      this.model.include(expr.include, expr.info);
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
        this.model.define(new EnumType(name, info, doc, ifcond, features, values, expr.prefix));
        break;
      }
      case "struct":
        this.model.define(
          new ObjectType(name, info, doc, ifcond, features, expr.base, this.makeMembers(expr.members, info), null),
        );
        break;
      case "union": {
        const base =
          typeof expr.base === "string"
            ? expr.base
            : this.model.implicitObject(name, "base", info, ifcond, this.makeMembers(expr.base, info));
        const variants = expr.branches.map(
          (b) => new Variant(b.name, info, this.typeName(b.type, info), condition(b.ifcond)),
        );
        this.model.define(
          new ObjectType(name, info, doc, ifcond, features, base, [], new Branches(info, variants, expr.discriminator)),
        );
        break;
      }
      case "simple-union":
        this.defineSimpleUnion(name, info, doc, ifcond, features, expr.branches);
        break;
      case "alternate": {
        const variants = expr.branches.map(
          (b) => new Variant(b.name, info, this.typeName(b.type, info), condition(b.ifcond)),
        );
        const tagMember = new ObjectMember("type", info, qtypeEnumName, false, IfCondition.none, []);
        this.model.define(
          new AlternateType(name, info, doc, ifcond, features, new Alternatives(info, variants, tagMember)),
        );
        break;
      }
      case "command": {
        const argTypeName =
          typeof expr.data === "string" || expr.data === null
            ? expr.data
            : this.model.implicitObject(name, "arg", info, ifcond, this.makeMembers(expr.data, info));
        const retTypeName = expr.returns === null ? null : this.typeName(expr.returns, info);
        this.model.define(new Command(name, info, doc, ifcond, features, argTypeName, retTypeName, expr.flags));
        break;
      }
      case "event": {
        const argTypeName =
          typeof expr.data === "string" || expr.data === null
            ? expr.data
            : this.model.implicitObject(name, "arg", info, ifcond, this.makeMembers(expr.data, info));
        this.model.define(new Event(name, info, doc, ifcond, features, argTypeName, expr.boxed));
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
    const variants = branches.map(
      (b) => new Variant(b.name, info, this.makeWrapperType(this.typeName(b.type, info), info), condition(b.ifcond)),
    );
    const values = variants.map((v) => new EnumMember(v.name, info, v.ifcond, []));
    const kindName = `${name}Kind`;
    this.model.define(new EnumType(kindName, info, null, ifcond, [], values, null, name));
    const tag = new ObjectMember("type", info, kindName, false, IfCondition.none, []);
    this.model.define(
      new ObjectType(name, info, doc, ifcond, features, null, [tag], new Branches(info, variants, "type")),
    );
  }

  /** Defines `q_obj_<T>-wrapper` unless an earlier simple union did; returns its name. */
  private makeWrapperType(wrapped: string, info: SourceInfo): string {
    const typeName = `q_obj_${wrapped}-wrapper`;
    if (!this.model.has(typeName)) {
      const data = new ObjectMember("data", info, wrapped, false, IfCondition.none, []);
      this.model.define(new WrapperType(typeName, info, this.model.lookupType(wrapped) ?? null, data));
    }
    return typeName;
  }
}

function condition(cond: IfCond | undefined): IfCondition {
  return cond === undefined ? IfCondition.none : new IfCondition(cond);
}
