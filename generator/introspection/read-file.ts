/**
 * Reads an introspection file from disk for the CLI and the generator; the
 * file's shape and its wire form live in runtime/wire/introspection-file.ts.
 */
import { readFileSync } from "node:fs";
import { UserFacingError } from "../errors.js";
import { isIntrospectionFile, type IntrospectionFile } from "../../runtime/wire/introspection-file.js";

/**
 * Reads an introspection file.
 * @throws UserFacingError when the file is unreadable or not an introspection file.
 */
export function readIntrospectionFile(path: string): IntrospectionFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UserFacingError(`${path}: cannot read introspection file: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isIntrospectionFile(value)) {
    throw new UserFacingError(`${path}: not an introspection file (expected {"version": …, "schema": [...]})`);
  }
  return value;
}
