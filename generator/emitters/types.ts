/**
 * Emits `types.ts` of a generated SDK: one declaration per schema type.
 *
 * Enums become string-literal unions plus a value list; structs become
 * interfaces keeping wire member names verbatim (`"node-name"?: string`);
 * unions become discriminated unions of `Base & { tag: "value" } & Branch`;
 * alternates become unions of their branches. Implicit types get human names
 * (context.ts). commands.ts and events.ts refer to these types
 * by ImportSymbol.
 */
import { GeneratedFile, type Printable, laidOut } from "../printer/generated-file.js";
import { stringLiteral, typeKey } from "../printer/names.js";
import { commentLine } from "../printer/escape.js";
import { jsDoc } from "../printer/jsdoc.js";
import { type UnionMember, bracketList, fits, indentLines, unionAlias } from "../printer/layout.js";
import type { AlternateType, AnyType, Definition, EnumType, ObjectMember, ObjectType } from "../model/entities.js";
import { type GenContext, typeName } from "./context.js";
import { definitionDoc, memberDoc } from "./doc-facts.js";
import { fileHeader } from "./header.js";
import { tsType } from "./ts-type.js";

/** Builds types.ts. */
export function emitTypes(ctx: GenContext): GeneratedFile {
  const f = new GeneratedFile(
    "types.ts",
    fileHeader(ctx, "The schema's types: enums, structs, unions and alternates."),
  );
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
  const members: UnionMember[] = t.members.map((m) => ({ doc: memberDoc(ctx, t, m, t), type: stringLiteral(m.name) }));
  f.print(unionAlias(`export type ${name}`, members));
  f.print(`/** Every value of {@link ${name}}, in schema order. */`);
  const values = t.members.map((m) => stringLiteral(m.name));
  f.print(
    bracketList(`export const ${ctx.enumValueNames.get(t.name)!}: readonly ${name}[] = `, "[", values, "]", ";", {
      assignment: true,
    }),
  );
}

function memberLines(
  ctx: GenContext,
  owner: Definition,
  container: ObjectType,
  members: readonly ObjectMember[],
): Printable[][] {
  return members.map((m) => {
    const doc = memberDoc(ctx, owner, m, container);
    return [
      doc ? indentLines(doc, 1) + "\n" : "",
      "  ",
      typeKey(m.name),
      m.optional ? "?: " : ": ",
      tsType(ctx, m.type),
      ";",
    ];
  });
}

function emitStruct(ctx: GenContext, f: GeneratedFile, t: ObjectType): void {
  const owner = docOwner(ctx, t);
  f.print(owner === t ? definitionDoc(ctx, t) : implicitDoc(ctx, owner));
  const base: Printable = t.base ? [" extends ", tsType(ctx, t.base)] : "";
  if (t.localMembers.length === 0) {
    f.print(`export interface ${typeName(ctx, t)}`, base, " {}");
    return;
  }
  f.print(`export interface ${typeName(ctx, t)}`, base, " {");
  for (const line of memberLines(ctx, owner, t, t.localMembers)) f.print(...line);
  f.print("}");
}

function implicitDoc(ctx: GenContext, owner: Definition): string {
  const what =
    owner.kind === "command"
      ? "The arguments of command"
      : owner.kind === "event"
        ? "The data of event"
        : "The common members of union";
  const ref =
    owner.kind === "command" || owner.kind === "event" ? `\`${owner.name}\`` : `{@link ${typeName(ctx, owner)}}`;
  return ctx.options.docs === "none" ? "" : jsDoc([commentLine(`${what} ${ref}.`)]);
}

function emitUnion(ctx: GenContext, f: GeneratedFile, t: ObjectType): void {
  const branches = t.branches!;
  f.print(definitionDoc(ctx, t));
  const base: Printable = t.base ? tsType(ctx, t.base) : "{}";
  const tagKey = typeKey(branches.tagMember.name);
  const members: UnionMember[] = branches.variants.map((v) => {
    const branch: Printable = v.type.kind === "object" && v.type.name === "q_empty" ? "" : [" & ", tsType(ctx, v.type)];
    const tag = `${tagKey}: ${stringLiteral(v.name)}`;
    return {
      doc: memberDoc(ctx, undefined, v, t),
      type: ["(", base, ` & { ${tag} }`, branch, ")"],
      // Too long for its line: prettier breaks the type literal, aligned under the `| `.
      broken: ["(", base, ` & {\n      ${tag};\n    }`, branch, ")"],
    };
  });
  const only = branches.variants[0];
  if (branches.variants.length === 1 && members[0]!.doc === "") {
    // One branch: an intersection, no parentheses; too long, prettier breaks inside its type literal.
    const branch: Printable =
      only!.type.kind === "object" && only!.type.name === "q_empty" ? "" : tsType(ctx, only!.type);
    const head = `export type ${typeName(ctx, t)} = `;
    const tag = `${tagKey}: ${stringLiteral(only!.name)}`;
    f.print(
      laidOut([base, branch], ([b, br]) => {
        const rest = br === "" ? ";" : ` & ${br};`;
        const flat = `${head}${b} & { ${tag} }${rest}`;
        return fits(flat, 0) ? flat : `${head}${b} & {\n  ${tag};\n}${rest}`;
      }),
    );
    return;
  }
  f.print(unionAlias(`export type ${typeName(ctx, t)}`, members));
}

function emitAlternate(ctx: GenContext, f: GeneratedFile, t: AlternateType): void {
  f.print(definitionDoc(ctx, t));
  // An alternate's doc describes its alternatives like members.
  const members: UnionMember[] = t.alternatives.variants.map((v) => ({
    doc: memberDoc(ctx, t, v, t),
    type: tsType(ctx, v.type),
  }));
  f.print(unionAlias(`export type ${typeName(ctx, t)}`, members));
}
