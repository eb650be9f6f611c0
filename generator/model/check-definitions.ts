/**
 * Stage 3 checks of the resolved model: name resolution, base and branch
 * merging, clash checks, discriminator and alternate rules, and connecting
 * each definition's doc comment to its members and features.
 *
 * ModelBuilder.check (generator/model/construct.ts) runs `checkEntity` then
 * `connectDoc` on every entity in definition order (QEMU's order, so the
 * first error is the same one QEMU reports). Results are written into the entities (`type`,
 * `base`, `members`, implicit `q_empty` branches) before they are frozen.
 */
import type { QapiDoc } from "../frontend/doc.js";
import { QapiSemanticError } from "../frontend/errors.js";
import type { SourceInfo } from "../frontend/source-info.js";
import { alternateQType, emptyObjectTypeName } from "./builtins.js";
import {
  AlternateType,
  type AnyType,
  ArrayType,
  type Branches,
  clashKey,
  Command,
  EnumType,
  Event,
  type Feature,
  ObjectType,
  type ObjectMember,
  type SchemaDefinition,
  type SchemaEntity,
  type SchemaMember,
  SchemaType,
  Variant,
} from "./entities.js";

/** What the checks need from the schema under construction. */
export interface TypeLookup {
  /** The type called `name`, if any. */
  lookupType(name: string): AnyType | undefined;
}

/** Members seen so far, by clash key, in insertion order. */
type Seen = Map<string, SchemaMember>;

/**
 * Checks entities of one schema. Object types can be checked out of order
 * (as a base or branch of another type), so their progress is tracked here.
 */
export class DefinitionChecker {
  private readonly started = new Set<ObjectType>();
  private readonly completed = new Set<ObjectType>();

  constructor(private readonly schema: TypeLookup) {}

  /**
   * Resolves a type reference.
   * @throws QapiSemanticError "<what> refers to unknown type '<name>'"
   */
  resolveType(
    name: string,
    info: SourceInfo | null,
    what: string | ((info: SourceInfo | null) => string) | undefined,
  ): AnyType {
    const type = this.schema.lookupType(name);
    if (type) return type;
    const description = typeof what === "function" ? what(info) : what;
    throw new QapiSemanticError(info, `${description} refers to unknown type '${name}'`);
  }

  /**
   * Checks one entity (and, for objects, whatever its C layout contains).
   * @throws QapiSemanticError for the first problem found
   */
  checkEntity(entity: SchemaEntity): void {
    if (entity instanceof ObjectType) this.checkObject(entity);
    else if (entity instanceof EnumType) this.checkEnum(entity);
    else if (entity instanceof ArrayType) this.checkArray(entity);
    else if (entity instanceof AlternateType) this.checkAlternate(entity);
    else if (entity instanceof Command) this.checkCommand(entity);
    else if (entity instanceof Event) this.checkEvent(entity);
    else if (entity instanceof SchemaType) this.checkDefinition(entity);
  }

  private checkDefinition(defn: SchemaDefinition): void {
    checkClashes(defn.features, defn.info, new Map());
    if (defn instanceof SchemaType) {
      for (const feature of defn.features) {
        if (feature.isSpecial()) {
          throw new QapiSemanticError(defn.info, `types cannot have feature '${feature.name}'`);
        }
      }
    }
  }

  private checkEnum(type: EnumType): void {
    this.checkDefinition(type);
    checkClashes(type.members, type.info, new Map());
  }

  private checkArray(type: ArrayType): void {
    this.checkDefinition(type);
    const element = this.resolveType(type.elementTypeName, type.info, type.info?.defnMeta);
    // QEMU asserts this can't happen, but `['intList']` spells it; report it instead of crashing.
    if (element instanceof ArrayType) {
      throw new QapiSemanticError(
        type.info,
        `${type.describe()} has elements of ${element.describe()}; arrays of arrays are not supported`,
      );
    }
    type.resolve(element);
  }

  private checkMember(member: ObjectMember): void {
    member.resolve(this.resolveType(member.typeName, member.info, (info) => member.describe(info)));
    checkClashes(member.features, member.info, new Map());
  }

  /** Checks an object type once; re-entering while it is being checked means it contains itself. */
  private checkObject(type: ObjectType): void {
    if (this.completed.has(type)) return;
    if (this.started.has(type))
      throw new QapiSemanticError(type.info, `object ${type.name} includes itself through its base or branches`);
    this.started.add(type);
    this.checkDefinition(type);

    const seen: Seen = new Map();
    let base: ObjectType | null = null;
    if (type.baseName !== null) {
      const baseType = this.resolveType(type.baseName, type.info, "'base'");
      if (!(baseType instanceof ObjectType) || baseType.branches) {
        throw new QapiSemanticError(type.info, `'base' must name a struct type, but ${baseType.describe()} is not one`);
      }
      base = baseType;
      this.checkObject(base);
      objectCheckClash(base, type.info, seen);
    }
    for (const member of type.localMembers) {
      this.checkMember(member);
      checkClash(member, type.info, seen);
    }
    const members = [...seen.values()] as ObjectMember[];
    if (type.branches) {
      this.checkBranches(type.branches, seen);
      branchesCheckClash(type.branches, type.info, seen);
    }
    type.resolve(base, members);
    this.completed.add(type);
  }

  private checkBranches(branches: Branches, seen: Seen): void {
    const tagName = branches.tagName;
    const tagMember = seen.get(clashKey(tagName)) as ObjectMember | undefined;
    if (!tagMember || tagMember.name !== tagName) {
      throw new QapiSemanticError(branches.info, `discriminator '${tagName}' names no member of 'base'`);
    }
    const baseType = this.schema.lookupType(tagMember.definedIn);
    const base = baseType && !baseType.isImplicit() ? `base type '${tagMember.definedIn}'` : "'base'";
    const tagType = tagMember.type;
    if (!(tagType instanceof EnumType)) {
      throw new QapiSemanticError(branches.info, `discriminator member '${tagName}' of ${base} needs an enum type`);
    }
    if (tagMember.optional) {
      throw new QapiSemanticError(branches.info, `discriminator member '${tagName}' of ${base} cannot be optional`);
    }
    if (tagMember.ifcond.isPresent()) {
      throw new QapiSemanticError(branches.info, `discriminator member '${tagName}' of ${base} cannot be conditional`);
    }
    // Tag values without a branch get an empty one.
    const cases = new Set(branches.declaredVariants.map((v) => v.name));
    const implicit: Variant[] = [];
    for (const value of tagType.members) {
      if (cases.has(value.name)) continue;
      const variant = new Variant(value.name, branches.info, emptyObjectTypeName, value.ifcond);
      variant.adopt(tagMember.definedIn);
      implicit.push(variant);
    }
    branches.resolve(tagMember, implicit);
    const variants = branches.variants;
    if (variants.length === 0) throw new QapiSemanticError(branches.info, "this union has not a single branch");
    const values = new Set(tagType.members.map((m) => m.name));
    for (const variant of variants) {
      this.checkMember(variant);
      if (!values.has(variant.name)) {
        throw new QapiSemanticError(
          branches.info,
          `branch '${variant.name}' matches no value of ${tagType.describe()}`,
        );
      }
      if (!(variant.type instanceof ObjectType)) {
        throw new QapiSemanticError(
          branches.info,
          `${variant.describe(branches.info)} may not be of ${variant.type.describe()}`,
        );
      }
      this.checkObject(variant.type);
    }
  }

  private checkAlternate(type: AlternateType): void {
    this.checkDefinition(type);
    const alternatives = type.alternatives;
    this.checkMember(alternatives.tagMember);
    for (const variant of alternatives.variants) this.checkMember(variant);
    // Alternative names have no relation to the tag's values, so check their clashes here.
    const seen: Seen = new Map();
    const typesSeen = new Map<string, string>();
    for (const variant of alternatives.variants) {
      checkClash(variant, type.info, seen);
      const qtype = alternateQType(variant.type.jsonType());
      if (!qtype) {
        throw new QapiSemanticError(
          type.info,
          `${variant.describe(type.info)} may not be of ${variant.type.describe()}`,
        );
      }
      const conflicting = [qtype];
      if (qtype === "QTYPE_QSTRING") {
        if (variant.type instanceof EnumType) {
          // A string value that could also be read as a boolean or number is ambiguous.
          for (const value of variant.type.members) {
            if (value.name === "on" || value.name === "off") conflicting.push("QTYPE_QBOOL");
            if (/^[-+0-9.]/.test(value.name)) conflicting.push("QTYPE_QNUM");
          }
        } else {
          conflicting.push("QTYPE_QNUM", "QTYPE_QBOOL");
        }
      }
      for (const qt of conflicting) {
        const other = typesSeen.get(qt);
        if (other !== undefined) {
          throw new QapiSemanticError(
            type.info,
            `${variant.describe(type.info)} is ambiguous: a value could equally be '${other}'`,
          );
        }
      }
      for (const qt of conflicting) typesSeen.set(qt, variant.name);
    }
  }

  /** Checks and returns the arguments' (or event data's) type, null without one. */
  private checkArguments(defn: Command | Event, what: "command" | "event"): ObjectType | null {
    if (defn.argTypeName === null) return null;
    const argType = this.resolveType(defn.argTypeName, defn.info, `${what}'s 'data'`);
    if (!(argType instanceof ObjectType)) {
      throw new QapiSemanticError(defn.info, `${what}'s 'data' may not be ${argType.describe()}`);
    }
    if (argType.branches && !defn.boxed) {
      throw new QapiSemanticError(defn.info, `${what}'s 'data' may be ${argType.describe()} only with 'boxed': true`);
    }
    this.checkObject(argType);
    // Releases before 8.1 generated unboxed arguments with conditions (5.2's own suite has them).
    if (
      argType.hasConditionalMembers() &&
      !defn.boxed &&
      (defn.info?.pragma.rules.conditionalArgumentsNeedBoxed ?? true)
    ) {
      throw new QapiSemanticError(defn.info, `${what} arguments with conditions need 'boxed': true`);
    }
    return argType;
  }

  private checkCommand(command: Command): void {
    this.checkDefinition(command);
    const argType = this.checkArguments(command, "command");
    const retType =
      command.retTypeName === null ? null : this.resolveType(command.retTypeName, command.info, "command's 'returns'");
    command.resolve(argType, retType);
    if (retType === null) return;
    if (command.info?.pragma.commandReturnsExceptions.includes(command.name)) return;
    const returned = retType instanceof ArrayType ? retType.elementType : retType;
    if (!(returned instanceof ObjectType)) {
      throw new QapiSemanticError(command.info, `command's 'returns' may not be ${retType.describe()}`);
    }
  }

  private checkEvent(event: Event): void {
    this.checkDefinition(event);
    event.resolve(this.checkArguments(event, "event"));
  }
}

function checkClash(member: SchemaMember, info: SourceInfo | null, seen: Seen): void {
  const key = clashKey(member.name);
  const other = seen.get(key);
  if (other) throw new QapiSemanticError(info, `${member.describe(info)} clashes with ${other.describe(info)}`);
  seen.set(key, member);
}

function checkClashes(members: readonly SchemaMember[], info: SourceInfo | null, seen: Seen): void {
  for (const member of members) checkClash(member, info, seen);
}

/** Adds an object's (checked) members, and each branch's, to `seen`, reporting clashes on behalf of `info`. */
function objectCheckClash(type: ObjectType, info: SourceInfo | null, seen: Seen): void {
  checkClashes(type.members, info, seen);
  if (type.branches) branchesCheckClash(type.branches, info, seen);
}

function branchesCheckClash(branches: Branches, info: SourceInfo | null, seen: Seen): void {
  // Each branch is checked against the common members only: branches don't see each other.
  for (const variant of branches.variants) objectCheckClash(variant.type as ObjectType, info, new Map(seen));
}

// ---------------------------------------------------------------------------
// Doc connection

/**
 * Connects `entity`'s doc comment (or `doc`, for implicit types documented by
 * their owner) to its members and features.
 * @throws QapiSemanticError for an undocumented member or feature (doc rules permitting)
 */
export function connectDoc(entity: SchemaEntity, doc?: QapiDoc | null): void {
  if (!isDefinition(entity)) return;
  const theDoc = doc ?? entity.doc;
  if (theDoc) for (const feature of entity.features) theDoc.connectFeature(feature);
  if (entity instanceof EnumType) {
    for (const value of entity.members) connectMember(value, value.features, theDoc);
  } else if (entity instanceof ObjectType) {
    if (entity.base?.isImplicit()) connectDoc(entity.base, theDoc);
    for (const member of entity.localMembers) connectMember(member, member.features, theDoc);
  } else if (entity instanceof AlternateType) {
    for (const variant of entity.alternatives.variants) connectMember(variant, variant.features, theDoc);
  } else if (entity instanceof Command) {
    if (!theDoc) return;
    if (entity.argType?.isImplicit()) connectDoc(entity.argType, theDoc);
    if (entity.retType && entity.info) theDoc.ensureReturns(entity.info);
  } else if (entity instanceof Event) {
    if (theDoc && entity.argType?.isImplicit()) connectDoc(entity.argType, theDoc);
  }
}

function connectMember(member: SchemaMember, features: readonly Feature[], doc: QapiDoc | null): void {
  if (!doc) return;
  doc.connectMember(member);
  for (const feature of features) doc.connectFeature(feature);
}

function isDefinition(entity: SchemaEntity): entity is SchemaDefinition {
  return entity.kind !== "include";
}
