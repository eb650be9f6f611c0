/**
 * A resolved model for any schema argument the CLI takes: a source schema
 * (the front end), or anything tools/diff/load-side.ts reads in wire form
 * — an introspection file, a recorded conversation, a release of the shipped
 * version history — rebuilt as a model (model-from-wire.ts, masked type
 * names made readable). Used by `validate-log --schema`, whose validators are
 * generated from a model.
 */
import { UserFacingError } from "../../generator/errors.js";
import { InputFileError, readInputFile } from "../../generator/input-file.js";
import { loadSchema } from "../../generator/load-schema.js";
import type { Schema } from "../../generator/model/schema.js";
import { loadSide, resolveSide } from "./load-side.js";
import type { WireSchema } from "../../core/schema.js";
import { readableTypeNames } from "../introspection/model.js";
import { modelFromWire } from "../introspection/model-from-wire.js";

/** A wire schema as a model; masked names (introspection) get readable ones. */
export function modelOfWire(wire: WireSchema, fname: string): Schema {
  const names = wire.origin === "introspection" ? readableTypeNames(wire) : new Map<string, string>();
  return modelFromWire(wire, { fname, nameOf: (n) => names.get(n) ?? n });
}

/** True when `file` holds a QAPI source schema rather than JSON output of QEMU. */
function isSourceFile(file: string): boolean {
  let text: string;
  try {
    text = readInputFile(file).toString("utf8");
  } catch (error) {
    if (error instanceof InputFileError) throw new UserFacingError(`${file}: cannot read the schema: ${error.message}`);
    throw error;
  }
  if (!text.trimStart().startsWith("{")) return true;
  try {
    JSON.parse(text);
    return false;
  } catch {
    // A recorded conversation is several JSON texts; a source has comments or single quotes.
    return !/^\s*\{\s*"execute"/.test(text);
  }
}

/**
 * The model of a schema argument.
 * @throws UserFacingError (QapiError included) when it cannot be read
 */
export function modelOfSide(arg: string): Schema {
  let file: string | undefined;
  try {
    file = resolveSide(arg);
  } catch {
    file = undefined;
  }
  if (file !== undefined && isSourceFile(file)) return loadSchema(file);
  return modelOfWire(loadSide(arg), arg);
}
