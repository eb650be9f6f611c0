/**
 * Walking the resolved model: the visitor interface every output implements.
 *
 * `visitSchema` walks module by module in definition order (the order QEMU's
 * generators and its test dump use) and hands each entity object to the
 * matching optional method. The code generators (generator/emitters/) and the dump
 * (generator/model/dump.ts) are visitors; none may mutate what they are given.
 */
import type {
  AlternateType,
  ArrayType,
  BuiltinType,
  Command,
  EnumType,
  Event,
  ObjectType,
  Entity,
  SchemaInclude,
  SchemaModule,
} from "./entities.js";
import type { Schema } from "./schema.js";

/**
 * Callbacks for a walk over the model; implement only what you need.
 *
 * For objects there are two views of the same entity: `visitObjectType` for
 * "own members + base" (read `type.base`, `type.localMembers`,
 * `type.branches`) and `visitObjectTypeFlat` for "all members, base ones
 * first" (read `type.members`, `type.branches`). Both are called, in that
 * order, for every object type.
 */
export interface SchemaVisitor {
  /** Before anything else. */
  visitBegin?(schema: Schema): void;
  /** After everything else. */
  visitEnd?(): void;
  /** At the start of each module (the built-in module `./builtin` comes first). */
  visitModule?(module: SchemaModule): void;
  /** Filter: return false to skip an entity. Default: visit everything. */
  visitNeeded?(entity: Entity): boolean;
  visitInclude?(include: SchemaInclude): void;
  visitBuiltinType?(type: BuiltinType): void;
  visitEnumType?(type: EnumType): void;
  /** Also called for the built-in types' arrays (`strList` …), whose `info` is null. */
  visitArrayType?(type: ArrayType): void;
  /** Own view: `base`, `localMembers`, `branches`. */
  visitObjectType?(type: ObjectType): void;
  /** Flat view: `members` (base members included), `branches`. */
  visitObjectTypeFlat?(type: ObjectType): void;
  visitAlternateType?(type: AlternateType): void;
  visitCommand?(command: Command): void;
  visitEvent?(event: Event): void;
}

/** Dispatches one entity to the visitor's matching method. */
export function visitEntity(entity: Entity, visitor: SchemaVisitor): void {
  switch (entity.kind) {
    case "include":
      visitor.visitInclude?.(entity);
      break;
    case "builtin":
      visitor.visitBuiltinType?.(entity);
      break;
    case "enum":
      visitor.visitEnumType?.(entity);
      break;
    case "array":
      visitor.visitArrayType?.(entity);
      break;
    case "object":
      visitor.visitObjectType?.(entity);
      visitor.visitObjectTypeFlat?.(entity);
      break;
    case "alternate":
      visitor.visitAlternateType?.(entity);
      break;
    case "command":
      visitor.visitCommand?.(entity);
      break;
    case "event":
      visitor.visitEvent?.(entity);
      break;
  }
}

/** Walks `schema`: begin, then each module and its entities in order, then end. */
export function visitSchema(schema: Schema, visitor: SchemaVisitor): void {
  visitor.visitBegin?.(schema);
  for (const module of schema.modules) {
    visitor.visitModule?.(module);
    for (const entity of module.entities) {
      if (visitor.visitNeeded && !visitor.visitNeeded(entity)) continue;
      visitEntity(entity, visitor);
    }
  }
  visitor.visitEnd?.();
}
