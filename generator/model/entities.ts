/**
 * The resolved QAPI model: every entity, member, branch and feature class.
 *
 * generator/model/schema-builder.ts (from the checked expressions of stage 2)
 * and generator/introspection/model-from-wire.ts (from a wire view) create
 * these objects on a ModelBuilder (generator/model/construct.ts), which
 * resolves type references and fills in the derived fields (`type`, `base`,
 * `members`, implicit branches; under QEMU's rules through
 * generator/model/check-definitions.ts). After `freeze` everything is: the code
 * generators (generator/emitters/) and the dump read the model only, through
 * generator/model/visitor.ts or the `Schema` lookups.
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

/**
 * Strips `readonly` for the model's own construction and checking code.
 * Consumers never need it: generation must not mutate the model.
 * @internal
 */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** @internal Gives the model's builder write access to an entity under construction. */
export function writable<T>(value: T): Writable<T> {
  return value as Writable<T>;
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
  /** Entities in definition order (includes, then types/commands/events as they appear). */
  readonly entities: readonly Entity[] = [];

  constructor(name: string) {
    this.name = name;
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
  /** The module the entity belongs to (set once the schema is checked). */
  readonly module!: SchemaModule;

  constructor(info: SourceInfo | null) {
    this.info = info;
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
    for (const feature of features) writable(feature).definedIn = name;
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
    for (const member of members) writable(member).definedIn = name;
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
  /** The element type (resolved during checking; never an array). */
  readonly elementType!: AnyType;

  constructor(name: string, info: SourceInfo | null, elementTypeName: string) {
    super(name, info, null, IfCondition.none, []);
    this.elementTypeName = elementTypeName;
  }

  override get ifcond(): IfCondition {
    return this.elementType ? this.elementType.ifcond : IfCondition.none;
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
  /** The base type (resolved during checking). */
  readonly base: ObjectType | null = null;
  /** Members this type declares itself, in order (a union has none, but a simple union has its tag `type`). */
  readonly localMembers: readonly ObjectMember[];
  /** For a union: the discriminator and branches; null for a struct. */
  readonly branches: Branches | null;
  /** All non-variant members: the base's (recursively) followed by the local ones. */
  readonly members: readonly ObjectMember[] = [];

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
    for (const member of localMembers) writable(member).definedIn = name;
    if (branches) for (const variant of branches.variants) writable(variant).definedIn = name;
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
    for (const variant of alternatives.variants) writable(variant).definedIn = name;
    writable(alternatives.tagMember).definedIn = name;
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
  /** The arguments' type (implicit `q_obj_<name>-arg` for inline `data`); null without arguments. */
  readonly argType: ObjectType | null = null;
  readonly retTypeName: string | null;
  /** The return type; null when the command returns nothing declared. */
  readonly retType: AnyType | null = null;

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
    const own = writable<CommandFlags>(this);
    for (const flag of commandFlagNames) own[flag] = flags[flag];
  }
}

/** A QMP event. */
export class Event extends SchemaDefinition {
  readonly kind = "event";
  readonly meta = "event";
  readonly argTypeName: string | null;
  /** The data's type (implicit `q_obj_<NAME>-arg` for inline `data`); null without data. */
  readonly argType: ObjectType | null = null;
  readonly boxed: boolean;

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
  /** Name of the definition (or, for member features, the member) that declares it. */
  readonly definedIn: string = "";

  constructor(name: string, info: SourceInfo | null, ifcond: IfCondition) {
    this.name = name;
    this.info = info;
    this.ifcond = ifcond;
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
    for (const feature of features) writable(feature).definedIn = name;
  }
}

/** A member of an object type (struct, union base, command/event arguments). */
export class ObjectMember extends SchemaMember {
  readonly role: "member" | "branch" = "member";
  /** The member's type name as written (arrays already named `TList`). */
  readonly typeName: string;
  /** The member's type (resolved during checking). */
  readonly type!: AnyType;
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
    for (const feature of features) writable(feature).definedIn = name;
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
  /** The discriminator member (an alternate's is the implicit `type: QType`). */
  readonly tagMember!: ObjectMember;
  /** The cases; for unions this includes `q_empty` branches for uncovered tag values. */
  readonly variants: readonly Variant[];

  constructor(info: SourceInfo | null, variants: readonly Variant[]) {
    this.info = info;
    this.variants = variants;
  }
}

/** A union's branches, selected by the value of an enum member of the base. */
export class Branches extends Variants {
  /** The `discriminator` as written. */
  readonly tagName: string;

  constructor(info: SourceInfo | null, variants: readonly Variant[], tagName: string) {
    super(info, variants);
    this.tagName = tagName;
  }
}

/** An alternate's alternatives, selected by JSON type. */
export class Alternatives extends Variants {
  constructor(info: SourceInfo | null, variants: readonly Variant[], tagMember: ObjectMember) {
    super(info, variants);
    writable(this).tagMember = tagMember;
  }
}
