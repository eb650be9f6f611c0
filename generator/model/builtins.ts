/**
 * The predefined entities every schema starts with: built-in types, `q_empty`
 * and the `QType` enum.
 *
 * generator/model/construct.ts defines these (in this order, in the
 * `./builtin` module) before any other definition, whichever builder runs,
 * so that user code cannot redefine them and so that checking order and the
 * dump match QEMU's.
 */
import type { JsonType } from "./entities.js";

/** Built-in type names with the JSON type their values travel as, in QEMU's order. */
export const builtinTypes: readonly (readonly [name: string, json: JsonType])[] = [
  ["str", "string"],
  ["number", "number"],
  ["int", "int"],
  ["int8", "int"],
  ["int16", "int"],
  ["int32", "int"],
  ["int64", "int"],
  ["uint8", "int"],
  ["uint16", "int"],
  ["uint32", "int"],
  ["uint64", "int"],
  ["size", "int"],
  ["bool", "boolean"],
  ["any", "value"],
  ["null", "null"],
];

/** Name of the implicit object type with no members, used for union branches without a type. */
export const emptyObjectTypeName = "q_empty";

/** Name of the implicit enum of JSON value kinds; an alternate's implicit tag has this type. */
export const qtypeEnumName = "QType";

/** `QType`'s values, in order. */
export const qtypeValues: readonly string[] = ["none", "qnull", "qnum", "qstring", "qdict", "qlist", "qbool"];

/** The QType value a JSON type maps to when used as an alternative, or undefined when it can't be one. */
export function alternateQType(json: JsonType): string | undefined {
  switch (json) {
    case "null":
      return "QTYPE_QNULL";
    case "string":
      return "QTYPE_QSTRING";
    case "number":
    case "int":
      return "QTYPE_QNUM";
    case "boolean":
      return "QTYPE_QBOOL";
    case "array":
      return "QTYPE_QLIST";
    case "object":
      return "QTYPE_QDICT";
    default:
      return undefined;
  }
}
