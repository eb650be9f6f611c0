/**
 * Emits `types.ts` of a generated SDK: one declaration per schema type.
 *
 * Enums become string-literal unions plus a value list; structs become
 * interfaces keeping wire member names verbatim (`"node-name"?: string`);
 * unions become discriminated unions of `Base & { tag: "value" } & Branch`;
 * alternates become unions of their branches. Implicit types get human names
 * (context.ts). commands.ts, events.ts and validators.ts refer to these types
 * by ImportSymbol.
 */
import { GeneratedFile, type Printable } from "../printer/generated-file.js";
import { stringLiteral, typeKey } from "../printer/names.js";
import type { AlternateType, AnyType, Definition, EnumType, ObjectMember, ObjectType } from "../model/entities.js";
import { type GenContext, typeName } from "./context.js";
import { definitionDoc, memberDoc } from "./doc-facts.js";
import { fileHeader } from "./header.js";
import { tsType } from "./ts-type.js";

/** Builds types.ts. */
export function emitTypes(ctx: GenContext): GeneratedFile {
  const f = new GeneratedFile("types.ts", fileHeader(ctx, "The schema's types: enums, structs, unions and alternates."));
  for (const t of ctx.types) {
    f.declare(typeName(ctx, t), true);
    if (t.kind === "enum") f.declare(ctx.enumValueNames.get(t.name)!, false);
  }
  for (const t of ctx.types) {
    f.print();
    switch (t.kind) {
      case "enum":
        emitEnum(ctx, f, t);
        break;
      case "object":
        if (t.branches) emitUnion(ctx, f, t);
        else emitStruct(ctx, f, t);
        break;
      case "alternate":
        emitAlternate(ctx, f, t);
        break;
    }
  }
  return f;
}

function docOwner(ctx: GenContext, t: AnyType): Definition {
  return ctx.implicitOwner.get(t.name) ?? t;
}

function emitEnum(ctx: GenContext, f: GeneratedFile, t: EnumType): void {
  const name = typeName(ctx, t);
  f.print(definitionDoc(ctx, t));
  if (t.members.length === 0) {
    f.print(`export type ${name} = never;`);
  } else {
    f.print(`export type ${name} =`);
    for (const m of t.members) {
      const doc = memberDoc(ctx, t, m);
      if (doc) f.print(doc);
      f.print("  | ", stringLiteral(m.name));
    }
    f.print(";");
  }
  f.print(`/** Every value of {@link ${name}}, in schema order. */`);
  f.print(`export const ${ctx.enumValueNames.get(t.name)!}: readonly ${name}[] = [`);
  for (const m of t.members) f.print("  ", stringLiteral(m.name), ",");
  f.print("];");
}

function memberLines(ctx: GenContext, owner: Definition, members: readonly ObjectMember[]): Printable[][] {
  return members.map((m) => {
    const doc = memberDoc(ctx, owner, m);
    return [doc ? doc + "\n" : "", typeKey(m.name), m.optional ? "?: " : ": ", tsType(ctx, m.type), ";"];
  });
}

function emitStruct(ctx: GenContext, f: GeneratedFile, t: ObjectType): void {
  const owner = docOwner(ctx, t);
  f.print(owner === t ? definitionDoc(ctx, t) : implicitDoc(ctx, t, owner));
  const base: Printable = t.base ? [" extends ", tsType(ctx, t.base)] : "";
  f.print(`export interface ${typeName(ctx, t)}`, base, " {");
  for (const line of memberLines(ctx, owner, t.localMembers)) f.print(...line);
  f.print("}");
}

function implicitDoc(ctx: GenContext, t: ObjectType, owner: Definition): string {
  const what = owner.kind === "command" ? "The arguments of command" : owner.kind === "event" ? "The data of event" : "The common members of union";
  const ref = owner.kind === "command" || owner.kind === "event" ? `\`${owner.name}\`` : `{@link ${typeName(ctx, owner)}}`;
  return ctx.options.docs === "none" ? "" : `/** ${what} ${ref.replace(/\*\//g, "*\\/")}. */`;
}

function emitUnion(ctx: GenContext, f: GeneratedFile, t: ObjectType): void {
  const branches = t.branches!;
  f.print(definitionDoc(ctx, t));
  f.print(`export type ${typeName(ctx, t)} =`);
  const base: Printable = t.base ? tsType(ctx, t.base) : "{}";
  const tagKey = typeKey(branches.tagMember.name);
  for (const v of branches.variants) {
    const branch: Printable = v.type.kind === "object" && v.type.name === "q_empty" ? "" : [" & ", tsType(ctx, v.type)];
    const doc = memberDoc(ctx, undefined, v);
    if (doc) f.print(doc);
    f.print("  | (", base, ` & { ${tagKey}: ${stringLiteral(v.name)} }`, branch, ")");
  }
  if (branches.variants.length === 0) f.print("  never");
  f.print(";");
}

function emitAlternate(ctx: GenContext, f: GeneratedFile, t: AlternateType): void {
  f.print(definitionDoc(ctx, t));
  f.print(`export type ${typeName(ctx, t)} =`);
  for (const v of t.alternatives.variants) {
    // An alternate's doc describes its alternatives like members.
    const doc = memberDoc(ctx, t, v);
    if (doc) f.print(doc);
    f.print("  | ", tsType(ctx, v.type));
  }
  f.print(";");
}
