/**
 * The text dump of a resolved schema, in exactly the format of QEMU's
 * tests/qapi-schema/*.out files.
 *
 * `dumpSchema` walks the model with a visitor and then appends every doc
 * comment (via the parser engineer's dumpDoc). The `dump` command prints it;
 * the conformance test compares it with QEMU's expected output byte for byte.
 */
import { type CommandFlagDefinition, commandFlags, commandFlagsInQemuOrder } from "../../core/command-flags.js";
import { dumpDoc } from "../frontend/doc.js";
import type {
  AlternateType,
  ArrayType,
  Command,
  EnumType,
  Event,
  Feature,
  SchemaInclude,
  SchemaModule,
  ObjectType,
  Variants,
} from "./entities.js";
import type { IfCondition } from "./if-cond.js";
import type { Schema } from "./schema.js";
import { visitSchema, type SchemaVisitor } from "./visitor.js";

/** Python's str() of a bool, as the dump prints flags. */
function py(flag: boolean): string {
  return flag ? "True" : "False";
}

class DumpVisitor implements SchemaVisitor {
  readonly lines: string[] = [];

  private print(line: string): void {
    this.lines.push(line);
  }

  private printIf(ifcond: IfCondition, indent = 4): void {
    if (ifcond.isPresent()) this.print(`${" ".repeat(indent)}if ${ifcond.toString()}`);
  }

  private printFeatures(features: readonly Feature[], indent = 4): void {
    for (const feature of features) {
      this.print(`${" ".repeat(indent)}feature ${feature.name}`);
      this.printIf(feature.ifcond, indent + 4);
    }
  }

  private printVariants(variants: Variants | null): void {
    if (!variants) return;
    this.print(`    tag ${variants.tagMember.name}`);
    for (const variant of variants.variants) {
      this.print(`    case ${variant.name}: ${variant.type.name}`);
      this.printIf(variant.ifcond, 8);
    }
  }

  visitModule(module: SchemaModule): void {
    this.print(`module ${module.name}`);
  }

  visitInclude(include: SchemaInclude): void {
    this.print(`include ${include.subModule.name}`);
  }

  visitEnumType(type: EnumType): void {
    this.print(`enum ${type.name}`);
    if (type.prefix) this.print(`    prefix ${type.prefix}`);
    for (const member of type.members) {
      this.print(`    member ${member.name}`);
      this.printIf(member.ifcond, 8);
      this.printFeatures(member.features, 8);
    }
    this.printIf(type.ifcond);
    this.printFeatures(type.features);
  }

  visitArrayType(type: ArrayType): void {
    // Arrays of built-in types are not part of the dump.
    if (!type.info) return;
    this.print(`array ${type.name} ${type.elementType.name}`);
    this.printIf(type.ifcond);
  }

  visitObjectType(type: ObjectType): void {
    this.print(`object ${type.name}`);
    if (type.base) this.print(`    base ${type.base.name}`);
    for (const member of type.localMembers) {
      this.print(`    member ${member.name}: ${member.type.name} optional=${py(member.optional)}`);
      this.printIf(member.ifcond, 8);
      this.printFeatures(member.features, 8);
    }
    this.printVariants(type.branches);
    this.printIf(type.ifcond);
    this.printFeatures(type.features);
  }

  visitAlternateType(type: AlternateType): void {
    this.print(`alternate ${type.name}`);
    this.printVariants(type.alternatives);
    this.printIf(type.ifcond);
    this.printFeatures(type.features);
  }

  visitCommand(command: Command): void {
    this.print(`command ${command.name} ${command.argType?.name ?? "None"} -> ${command.retType?.name ?? "None"}`);
    const flags = commandFlagsInQemuOrder.map((f) => {
      const { dump }: CommandFlagDefinition = commandFlags[f];
      return dump.onlyWhenSet && !command[f] ? "" : ` ${dump.name}=${py(command[f])}`;
    });
    this.print(`   ${flags.join("")}`);
    this.printIf(command.ifcond);
    this.printFeatures(command.features);
  }

  visitEvent(event: Event): void {
    this.print(`event ${event.name} ${event.argType?.name ?? "None"}`);
    this.print(`    boxed=${py(event.boxed)}`);
    this.printIf(event.ifcond);
    this.printFeatures(event.features);
  }
}

/** The schema's dump: entities module by module, then every doc comment; ends with a newline. */
export function dumpSchema(schema: Schema): string {
  const visitor = new DumpVisitor();
  visitSchema(schema, visitor);
  let text = visitor.lines.length > 0 ? visitor.lines.join("\n") + "\n" : "";
  for (const doc of schema.docs) text += dumpDoc(doc);
  return text;
}
