/**
 * The resolved QAPI model: every entity, member, branch and feature class.
 *
 * generator/model/schema-builder.ts (from the checked expressions of stage 2)
 * and tools/introspection/model-from-wire.ts (from a wire view) create
 * these objects on a ModelBuilder (generator/model/construct.ts), which
 * resolves type references and fills in the derived fields (`type`, `base`,
 * `members`, implicit branches; under QEMU's rules through
 * generator/model/check-definitions.ts). After `freeze` everything is: the code
 * generators (generator/emitters/) and the dump read the model only, through
 * generator/model/visitor.ts or the `Schema` lookups.
 *
 * What a definition says is set by its constructor; what resolution derives
 * (a member's type, an object's base and members, …) cannot be known then,
 * because types refer to each other in cycles. Each derived field is filled
 * exactly once, all of an entity's together, by its `resolve` method (or
 * `adopt` / `place` / `fill` for the owner and module); reading one earlier,
 * or resolving twice, is a builder bug and throws instead of yielding a
 * default.
 *
 * The shape mirrors QEMU's own resolved model so that messages and the dump
 * match QEMU's, but the visitor hands over whole objects instead of long
 * argument lists.
 */
import type { QapiDoc } from "../frontend/doc.js";
import type { SourceInfo } from "../frontend/source-info.js";
import { type CommandFlags, commandFlagNames } from "../../core/command-flags.js";
import { IfCondition } from "./if-cond.js";

/** The JSON type a QAPI type travels as on the wire ("value" is anything). */
export type JsonType = "string" | "number" | "int" | "boolean" | "null" | "value" | "array" | "object";

/** Discriminates the concrete entity classes for `switch` statements. */
export type EntityKind = "include" | "builtin" | "enum" | "array" | "object" | "alternate" | "command" | "event";

/** The value of a derived field, or an error naming it when it is not filled yet. */
function filled<T>(value: T | undefined, owner: object, field: string): T {
  if (value === undefined) throw new Error(`internal: ${ownerName(owner)}.${field} read before it was resolved`);
  return value;
}

/** Guards a derived field that is filled once. */
function fillOnce(current: unknown, owner: object, field: string): void {
  if (current !== undefined) throw new Error(`internal: ${ownerName(owner)}.${field} resolved twice`);
}

function ownerName(owner: object): string {
  const name = (owner as { name?: unknown }).name;
  return `${owner.constructor.name} '${typeof name === "string" ? name : "?"}'`;
}

/**
 * The C-name form QEMU uses to detect clashes: '.' and '-' become '_'.
 * Two members clash when these forms are equal (their generated C would collide).
 */
export function clashKey(name: string): string {
  return name.includes("-") || name.includes(".") ? name.replace(/[.-]/g, "_") : name;
}

// ---------------------------------------------------------------------------
// Modules and top-level entities

/** One schema file (or the built-in pseudo module `./builtin`) and the entities it defines, in order. */
export class SchemaModule {
  /** Name of the built-in pseudo module holding built-in types, `q_empty` and `QType`. */
  static readonly builtinName = "./builtin";

  /** Path relative to the main schema file's directory, or `./builtin`. */
  readonly name: string;
  #entities: readonly Entity[] | undefined;

  constructor(name: string) {
    this.name = name;
  }

  /** Entities in definition order (includes, then types/commands/events as they appear). */
  get entities(): readonly Entity[] {
    return filled(this.#entities, this, "entities");
  }

  /** Sets the module's entities, once, when the model is frozen. */
  fill(entities: readonly Entity[]): void {
    fillOnce(this.#entities, this, "entities");
    this.#entities = entities;
  }

  /** True for internally defined modules (names start with `./`). */
  isSystem(): boolean {
    return this.name.startsWith("./");
  }

  /** True for modules defined by a schema file. */
  isUser(): boolean {
    return !this.isSystem();
  }

  /** True for the module holding the built-in types. */
  isBuiltin(): boolean {
    return this.name === SchemaModule.builtinName;
  }
}

/** Anything the schema defines or directs: an include or a definition. */
export abstract class SchemaEntity {
  abstract readonly kind: EntityKind;
  /**
   * Where the entity is defined. Null for built-ins (and their arrays); for
   * implicit types, the definition that caused them.
   */
  readonly info: SourceInfo | null;
  #module: SchemaModule | undefined;

  constructor(info: SourceInfo | null) {
    this.info = info;
  }

  /** The module the entity belongs to (placed when the model is frozen). */
  get module(): SchemaModule {
    return filled(this.#module, this, "module");
  }

  /** Places the entity in its module, once. */
  place(module: SchemaModule): void {
    fillOnce(this.#module, this, "module");
    this.#module = module;
  }
}

/** An `{ 'include': FILE }` directive, kept so outputs can mirror the module structure. */
export class SchemaInclude extends SchemaEntity {
  readonly kind = "include";
  /** The included module. */
  readonly subModule: SchemaModule;

  constructor(subModule: SchemaModule, info: SourceInfo) {
    super(info);
    this.subModule = subModule;
  }
}

/** A named definition: type, command or event. */
export abstract class SchemaDefinition extends SchemaEntity {
  /** QAPI meta-type word used in messages: `struct`, `union`, `enum`, `command`, `built-in`, … */
  abstract readonly meta: string;
  readonly name: string;
  /** The definition's documentation comment, if any. */
  readonly doc: QapiDoc | null;
  /** The `if` condition as written; see `ifcond`. */
  protected readonly ownIfcond: IfCondition;
  readonly features: readonly Feature[];

  constructor(
    name: string,
    info: SourceInfo | null,
    doc: QapiDoc | null,
    ifcond: IfCondition,
    features: readonly Feature[],
  ) {
    super(info);
    this.name = name;
    this.doc = doc;
    this.ownIfcond = ifcond;
    this.features = features;
    for (const feature of features) feature.adopt(name);
  }

  /** The definition's `if` condition (arrays inherit their element's). */
  get ifcond(): IfCondition {
    return this.ownIfcond;
  }

  /** True for entities the schema did not spell out (built-ins, arrays, `q_*` types, `QType`). */
  isImplicit(): boolean {
    return this.info === null;
  }

  /** Human description for messages, e.g. `command 'query-status'`. */
  describe(): string {
    return `${this.meta} '${this.name}'`;
  }

  /** True when the definition carries the special feature `deprecated`. */
  isDeprecated(): boolean {
    return this.features.some((f) => f.name === "deprecated");
  }

  /** True when the definition carries the special feature `unstable`. */
  isUnstable(): boolean {
    return this.features.some((f) => f.name === "unstable");
  }
}

// ---------------------------------------------------------------------------
// Types

/** Any type: built-in, enum, array, object (struct/union) or alternate. */
export abstract class SchemaType extends SchemaDefinition {
  /** The JSON type of this type's values. */
  abstract jsonType(): JsonType;

  /** The type name as documentation shows it; null for implicit types. */
  docType(): string | null {
    return this.isImplicit() ? null : this.name;
  }

  override describe(): string {
    return `${this.meta} type '${this.name}'`;
  }
}

/** A built-in type such as `str`, `int8` or `any`. */
export class BuiltinType extends SchemaType {
  readonly kind = "builtin";
  readonly meta = "built-in";
  private readonly json: JsonType;

  constructor(name: string, json: JsonType) {
    super(name, null, null, IfCondition.none, []);
    this.json = json;
  }

  jsonType(): JsonType {
    return this.json;
  }

  override docType(): string {
    return this.json;
  }
}

/** An enumeration; `QType` and a simple union's `<Name>Kind` are implicit. */
export class EnumType extends SchemaType {
  readonly kind = "enum";
  readonly meta = "enum";
  readonly members: readonly EnumMember[];
  /** The `prefix` override for generated constant names, if any. */
  readonly prefix: string | null;

  constructor(
    name: string,
    info: SourceInfo | null,
    doc: QapiDoc | null,
    ifcond: IfCondition,
    features: readonly Feature[],
    members: readonly EnumMember[],
    prefix: string | null,
    /** The union whose branch names this enum lists (a simple union's `<Name>Kind`), if any. */
    readonly tagOf: string | null = null,
  ) {
    super(name, info, doc, ifcond, features);
    this.members = members;
    this.prefix = prefix;
    for (const member of members) member.adopt(name);
  }

  override isImplicit(): boolean {
    return this.name === "QType" || this.tagOf !== null;
  }

  /** The values' names in order. */
  memberNames(): string[] {
    return this.members.map((m) => m.name);
  }

  jsonType(): JsonType {
    return "string";
  }
}

/** `['T']`: an array of T, named `TList`; always implicit. */
export class ArrayType extends SchemaType {
  readonly kind = "array";
  readonly meta = "array";
  /** The element type's name as written. */
  readonly elementTypeName: string;
  #elementType: AnyType | undefined;

  constructor(name: string, info: SourceInfo | null, elementTypeName: string) {
    super(name, info, null, IfCondition.none, []);
    this.elementTypeName = elementTypeName;
  }

  /** The element type (never an array). */
  get elementType(): AnyType {
    return filled(this.#elementType, this, "elementType");
  }

  /** Sets the element type, once. */
  resolve(elementType: AnyType): void {
    fillOnce(this.#elementType, this, "elementType");
    this.#elementType = elementType;
  }

  // Conditions are read while definitions are still being made (implicit types take their owner's).
  override get ifcond(): IfCondition {
    return this.#elementType ? this.#elementType.ifcond : IfCondition.none;
  }

  override isImplicit(): boolean {
    return true;
  }

  jsonType(): JsonType {
    return "array";
  }

  override docType(): string | null {
    const element = this.elementType.docType();
    return element === null ? null : `array of ${element}`;
  }

  override describe(): string {
    return `${this.meta} type ['${this.elementTypeName}']`;
  }
}

/**
 * A struct or union (an object with branches). Implicit object types are
 * `q_empty`, `q_obj_<command-or-event>-arg`, `q_obj_<Union>-base` and, for
 * simple unions of older releases, `q_obj_<T>-wrapper` (WrapperType).
 */
export class ObjectType extends SchemaType {
  readonly kind = "object";
  /** `union` when the type has branches, else `struct`. */
  readonly meta: "struct" | "union";
  /** The base type's name as written, if any. */
  readonly baseName: string | null;
  /** Members this type declares itself, in order (a union has none, but a simple union has its tag `type`). */
  readonly localMembers: readonly ObjectMember[];
  /** For a union: the discriminator and branches; null for a struct. */
  readonly branches: Branches | null;
  #resolved: { readonly base: ObjectType | null; readonly members: readonly ObjectMember[] } | undefined;

  constructor(
    name: string,
    info: SourceInfo | null,
    doc: QapiDoc | null,
    ifcond: IfCondition,
    features: readonly Feature[],
    baseName: string | null,
    localMembers: readonly ObjectMember[],
    branches: Branches | null,
  ) {
    super(name, info, doc, ifcond, features);
    this.meta = branches ? "union" : "struct";
    this.baseName = baseName;
    this.localMembers = localMembers;
    this.branches = branches;
    for (const member of localMembers) member.adopt(name);
    if (branches) for (const variant of branches.declaredVariants) variant.adopt(name);
  }

  /** The base type. */
  get base(): ObjectType | null {
    return filled(this.#resolved, this, "base").base;
  }

  /** All non-variant members: the base's (recursively) followed by the local ones. */
  get members(): readonly ObjectMember[] {
    return filled(this.#resolved, this, "members").members;
  }

  /** Sets the base and the members, once (the branches resolve on their own). */
  resolve(base: ObjectType | null, members: readonly ObjectMember[]): void {
    fillOnce(this.#resolved, this, "members");
    this.#resolved = { base, members };
  }

  override isImplicit(): boolean {
    return this.name.startsWith("q_");
  }

  /** True when the type has no members and no branches (e.g. `q_empty`). */
  isEmpty(): boolean {
    return this.members.length === 0 && this.branches === null;
  }

  /** True when some member (incl. inherited ones) has an `if` condition. */
  hasConditionalMembers(): boolean {
    return this.members.some((m) => m.ifcond.isPresent());
  }

  jsonType(): JsonType {
    return "object";
  }
}

/**
 * The branch object of a simple union (QEMU before 6.2): `q_obj_<T>-wrapper`,
 * one member `data` of type T, shared by every simple union with a branch of
 * type T. Its condition is T's, as QEMU had it, when T was defined before the
 * first union that wraps it (QEMU looked T up right then), and none otherwise.
 */
export class WrapperType extends ObjectType {
  /** The wrapped type when it was already defined, whose condition this type takes. */
  private readonly conditionFrom: SchemaType | null;

  constructor(name: string, info: SourceInfo, wrapped: SchemaType | null, member: ObjectMember) {
    super(name, info, null, IfCondition.none, [], null, [member], null);
    this.conditionFrom = wrapped;
  }

  override get ifcond(): IfCondition {
    return this.conditionFrom ? this.conditionFrom.ifcond : IfCondition.none;
  }
}

/** An alternate: a value that may be one of several types, told apart by JSON type. */
export class AlternateType extends SchemaType {
  readonly kind = "alternate";
  readonly meta = "alternate";
  readonly alternatives: Alternatives;

  constructor(
    name: string,
    info: SourceInfo,
    doc: QapiDoc | null,
    ifcond: IfCondition,
    features: readonly Feature[],
    alternatives: Alternatives,
  ) {
    super(name, info, doc, ifcond, features);
    this.alternatives = alternatives;
    for (const variant of alternatives.variants) variant.adopt(name);
    alternatives.tagMember.adopt(name);
  }

  jsonType(): JsonType {
    return "value";
  }
}

// ---------------------------------------------------------------------------
// Commands and events

/** A QMP command; its flags (`allowOob`, `boxed`, …) are those of core/command-flags.ts. */
export interface Command extends CommandFlags {}

/** A QMP command. */
export class Command extends SchemaDefinition {
  readonly kind = "command";
  readonly meta = "command";
  readonly argTypeName: string | null;
  readonly retTypeName: string | null;
  #resolved: { readonly argType: ObjectType | null; readonly retType: AnyType | null } | undefined;

  constructor(
    name: string,
    info: SourceInfo,
    doc: QapiDoc | null,
    ifcond: IfCondition,
    features: readonly Feature[],
    argTypeName: string | null,
    retTypeName: string | null,
    flags: CommandFlags,
  ) {
    super(name, info, doc, ifcond, features);
    this.argTypeName = argTypeName;
    this.retTypeName = retTypeName;
    // Only the flags: `flags` may be a wider object (an expression, a wire command).
    Object.assign(this, Object.fromEntries(commandFlagNames.map((flag) => [flag, flags[flag]])));
  }

  /** The arguments' type (implicit `q_obj_<name>-arg` for inline `data`); null without arguments. */
  get argType(): ObjectType | null {
    return filled(this.#resolved, this, "argType").argType;
  }

  /** The return type; null when the command returns nothing declared. */
  get retType(): AnyType | null {
    return filled(this.#resolved, this, "retType").retType;
  }

  /** Sets the argument and return types, once. */
  resolve(argType: ObjectType | null, retType: AnyType | null): void {
    fillOnce(this.#resolved, this, "argType");
    this.#resolved = { argType, retType };
  }
}

/** A QMP event. */
export class Event extends SchemaDefinition {
  readonly kind = "event";
  readonly meta = "event";
  readonly argTypeName: string | null;
  readonly boxed: boolean;
  #resolved: { readonly argType: ObjectType | null } | undefined;

  constructor(
    name: string,
    info: SourceInfo,
    doc: QapiDoc | null,
    ifcond: IfCondition,
    features: readonly Feature[],
    argTypeName: string | null,
    boxed: boolean,
  ) {
    super(name, info, doc, ifcond, features);
    this.argTypeName = argTypeName;
    this.boxed = boxed;
  }

  /** The data's type (implicit `q_obj_<NAME>-arg` for inline `data`); null without data. */
  get argType(): ObjectType | null {
    return filled(this.#resolved, this, "argType").argType;
  }

  /** Sets the data's type, once. */
  resolve(argType: ObjectType | null): void {
    fillOnce(this.#resolved, this, "argType");
    this.#resolved = { argType };
  }
}

/** Every definition class. */
export type Definition = BuiltinType | EnumType | ArrayType | ObjectType | AlternateType | Command | Event;
/** Every entity class: what a module lists, discriminated by `kind`. */
export type Entity = SchemaInclude | Definition;
/** Every type class. */
export type AnyType = BuiltinType | EnumType | ArrayType | ObjectType | AlternateType;

// ---------------------------------------------------------------------------
// Members, branches, features

/** What a member is called in messages. */
export type MemberRole = "member" | "value" | "feature" | "branch";

/** An object member, enum value, branch or feature. */
export abstract class SchemaMember {
  abstract readonly role: MemberRole;
  readonly name: string;
  readonly info: SourceInfo | null;
  readonly ifcond: IfCondition;
  #definedIn: string | undefined;

  constructor(name: string, info: SourceInfo | null, ifcond: IfCondition) {
    this.name = name;
    this.info = info;
    this.ifcond = ifcond;
  }

  /** Name of the definition (or, for member features, the member) that declares it. */
  get definedIn(): string {
    return filled(this.#definedIn, this, "definedIn");
  }

  /** Records the declaring definition (or member), once; the owner's constructor calls this. */
  adopt(owner: string): void {
    fillOnce(this.#definedIn, this, "definedIn");
    this.#definedIn = owner;
  }

  /**
   * Human description for messages, relative to the definition `info` is in,
   * e.g. `member 'x'`, `parameter 'x' of command 'y'`, `base member 'k'`.
   */
  describe(info: SourceInfo | null): string {
    let role: string = this.role;
    let meta = "type";
    let definedIn = this.definedIn;
    if (definedIn.startsWith("q_obj_")) {
      // Reverse the implicit type's name into what the user wrote.
      definedIn = definedIn.slice(6);
      if (definedIn.endsWith("-arg")) {
        role = "parameter";
        meta = "command";
        definedIn = definedIn.slice(0, -4);
      } else if (definedIn.endsWith("-base")) {
        role = `base ${role}`;
        definedIn = definedIn.slice(0, -5);
      }
    }
    if (definedIn !== info?.defnName) return `${role} '${this.name}' of ${meta} '${definedIn}'`;
    return `${role} '${this.name}'`;
  }
}

/** A feature of a definition, member or enum value. */
export class Feature extends SchemaMember {
  /** Features with meaning to QEMU and to our SDK. */
  static readonly specialNames: readonly string[] = ["deprecated", "unstable"];
  readonly role = "feature";

  /** True for `deprecated` and `unstable`. */
  isSpecial(): boolean {
    return Feature.specialNames.includes(this.name);
  }
}

/** A value of an enum. */
export class EnumMember extends SchemaMember {
  readonly role = "value";
  readonly features: readonly Feature[];

  constructor(name: string, info: SourceInfo | null, ifcond: IfCondition, features: readonly Feature[]) {
    super(name, info, ifcond);
    this.features = features;
    for (const feature of features) feature.adopt(name);
  }
}

/** A member of an object type (struct, union base, command/event arguments). */
export class ObjectMember extends SchemaMember {
  readonly role: "member" | "branch" = "member";
  /** The member's type name as written (arrays already named `TList`). */
  readonly typeName: string;
  readonly optional: boolean;
  readonly features: readonly Feature[];

  constructor(
    name: string,
    info: SourceInfo | null,
    typeName: string,
    optional: boolean,
    ifcond: IfCondition,
    features: readonly Feature[],
  ) {
    super(name, info, ifcond);
    this.typeName = typeName;
    this.optional = optional;
    this.features = features;
    for (const feature of features) feature.adopt(name);
  }

  #type: AnyType | undefined;

  /** The member's type. */
  get type(): AnyType {
    return filled(this.#type, this, "type");
  }

  /** Sets the member's type, once. */
  resolve(type: AnyType): void {
    fillOnce(this.#type, this, "type");
    this.#type = type;
  }
}

/** A union branch or alternate alternative: a case name and its type. */
export class Variant extends ObjectMember {
  override readonly role = "branch";

  constructor(name: string, info: SourceInfo | null, typeName: string, ifcond: IfCondition) {
    super(name, info, typeName, false, ifcond, []);
  }
}

/** The variant part of a union or alternate. */
export abstract class Variants {
  readonly info: SourceInfo | null;

  constructor(info: SourceInfo | null) {
    this.info = info;
  }

  /** The discriminator member (an alternate's is the implicit `type: QType`). */
  abstract get tagMember(): ObjectMember;
  /** The cases; for unions this includes `q_empty` branches for uncovered tag values. */
  abstract get variants(): readonly Variant[];
}

/** A union's branches, selected by the value of an enum member of the base. */
export class Branches extends Variants {
  /** The `discriminator` as written. */
  readonly tagName: string;
  /** The branches the schema spells out. */
  readonly declaredVariants: readonly Variant[];
  #resolved: { readonly tagMember: ObjectMember; readonly variants: readonly Variant[] } | undefined;

  constructor(info: SourceInfo | null, variants: readonly Variant[], tagName: string) {
    super(info);
    this.declaredVariants = variants;
    this.tagName = tagName;
  }

  get tagMember(): ObjectMember {
    return filled(this.#resolved, this, "tagMember").tagMember;
  }

  get variants(): readonly Variant[] {
    return filled(this.#resolved, this, "variants").variants;
  }

  /**
   * Sets the discriminator member and the complete list of cases, once:
   * `implicit` are the empty branches for tag values the schema does not cover.
   */
  resolve(tagMember: ObjectMember, implicit: readonly Variant[]): void {
    fillOnce(this.#resolved, this, "tagMember");
    this.#resolved = { tagMember, variants: [...this.declaredVariants, ...implicit] };
  }
}

/** An alternate's alternatives, selected by JSON type. */
export class Alternatives extends Variants {
  readonly tagMember: ObjectMember;
  readonly variants: readonly Variant[];

  constructor(info: SourceInfo | null, variants: readonly Variant[], tagMember: ObjectMember) {
    super(info);
    this.variants = variants;
    this.tagMember = tagMember;
  }
}
