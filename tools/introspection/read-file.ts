/**
 * Reads an introspection file from disk for the CLI and the generator; the
 * file's shape and its wire form live in core/introspection-file.ts,
 * its validation in core/introspection-check.ts.
 *
 * Only a regular file under the input size limit is read (generator/input-file.ts),
 * and no message quotes the file's content: a file that is not JSON may be
 * anything (V8's JSON.parse messages quote the text they stopped at).
 */
import { UserFacingError } from "../../generator/errors.js";
import { InputFileError, readInputFile } from "../../generator/input-file.js";
import { checkIntrospectionFile, IntrospectionFileError } from "../../core/introspection-check.js";
import type { IntrospectionFile } from "../../core/introspection-file.js";

/**
 * Parses JSON text, or says where it stops being JSON (line and column, no content).
 * @throws UserFacingError prefixed with `path`
 */
export function parseJsonFile(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
    let where = /end of JSON input/.test(error instanceof Error ? error.message : "") ? " (it ends early)" : "";
    if (position !== undefined) {
      const before = text.slice(0, Number(position));
      const line = before.split("\n").length;
      where = ` at line ${line}, column ${before.length - before.lastIndexOf("\n")}`;
    }
    throw new UserFacingError(`${path}: not valid JSON${where}`);
  }
}

/**
 * Reads and validates an introspection file.
 * @throws UserFacingError when the file is unreadable, not JSON or not a valid introspection file
 *   (`FILE: schema[123] (name 'x'): …` for a bad entry)
 */
export function readIntrospectionFile(path: string): IntrospectionFile {
  let text: string;
  try {
    text = readInputFile(path).toString("utf8");
  } catch (error) {
    if (error instanceof InputFileError)
      throw new UserFacingError(`${path}: cannot read introspection file: ${error.message}`);
    throw error;
  }
  const value = parseJsonFile(path, text);
  return checkedIntrospection(path, value);
}

/**
 * The parsed JSON as an introspection file, once checked.
 * @throws UserFacingError with the located problem
 */
export function checkedIntrospection(path: string, value: unknown): IntrospectionFile {
  try {
    checkIntrospectionFile(value, path);
  } catch (error) {
    if (error instanceof IntrospectionFileError) throw new UserFacingError(error.message);
    throw error;
  }
  return value as IntrospectionFile;
}
