/**
 * Checks on the file given to `--schema` before the front end reads it, and
 * the label generated files record for it.
 *
 * An introspection file (`qapi-ts introspect` output, plain JSON) given where a
 * QAPI source schema belongs would otherwise fail in the lexer on its first
 * double-quoted string; saying which option takes it is more useful. The
 * label is the schema's path relative to the project that receives the output
 * (the nearest folder with a package.json above the output directory), so
 * `generate --check` gives the same bytes from any working directory.
 */
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { UserFacingError } from "../generator/errors.js";
import { readInputFile } from "../generator/input-file.js";

/**
 * Throws when `file` is an introspection file rather than a source schema.
 * Unreadable files, and what is no regular file (a device, a FIFO: read with
 * the front end's own bounded reader), are left to the front end, which reports them.
 * @param command the subcommand, for the message
 * @param hint what to do instead
 */
export function rejectIntrospectionFile(file: string, command: string, hint: string): void {
  let text: string;
  try {
    text = readInputFile(file).toString("utf8");
  } catch {
    return;
  }
  // QAPI source files use single quotes; an introspection file is a JSON object with "version" and "schema".
  if (!/^\s*\{\s*"/.test(text)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return;
  }
  if (typeof parsed === "object" && parsed !== null && Array.isArray((parsed as { schema?: unknown }).schema)) {
    throw new UserFacingError(
      `qapi-ts ${command}: ${file} is an introspection file (JSON from qapi-ts introspect), not a QAPI source schema; ${hint}`,
      2,
    );
  }
}

/** The nearest folder at or above `dir` holding a package.json, if any. */
function projectRoot(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, "package.json"))) return at;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * The schema path a generated file's header records: relative to the project
 * the output directory belongs to (else to the output directory itself), with
 * forward slashes. Independent of the current directory.
 */
export function provenanceLabel(schemaFile: string, outDir: string): string {
  const base = projectRoot(outDir) ?? resolve(outDir);
  return relative(base, resolve(schemaFile)).split(sep).join("/");
}
