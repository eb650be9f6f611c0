/**
 * Loads one side of a diff or of the version index into wire form: a QAPI
 * source schema (through the front end's `loadSchema`, without the doc lint so
 * older schemas such as 7.2.0's load), an introspection file, or a bare QEMU
 * version such as `7.2.0` (or `7.2.0:qga`, `7.2.0:qsd`) naming the fetched
 * sources in .cache/qemu/.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserFacingError } from "../errors.js";
import { loadSchema } from "../load-schema.js";
import { isIntrospectionFile, wireFromIntrospection } from "../../runtime/wire/introspection-file.js";
import { type WireSchema } from "../../runtime/wire/schema.js";
import { wireFromModel } from "../model/wire-from-model.js";

/**
 * Where fetched QEMU sources live (scripts/fetch-qemu.sh): .cache/qemu/ of the
 * working directory, then of the qapi-ts checkout this module was built in.
 */
const sourceRoots = [join(".cache", "qemu"), fileURLToPath(new URL("../../../.cache/qemu", import.meta.url))];

/** The QEMU version a schema path sits in (…/qemu/<version>/…), when it does. */
function versionOfPath(path: string): string | undefined {
  return /(?:^|\/)(\d+\.\d+\.\d+)\//.exec(path)?.[1];
}

/**
 * Resolves a side argument to a file: `7.2.0` → that version's qapi/qapi-schema.json,
 * `7.2.0:qga` → its guest agent schema, `7.2.0:qsd` → its storage daemon schema.
 * @throws UserFacingError when nothing matches
 */
export function resolveSide(arg: string): string {
  if (existsSync(arg)) return arg;
  const match = /^(\d+\.\d+\.\d+)(?::(qemu|qga|qsd))?$/.exec(arg);
  if (match) {
    const within = { qemu: ["qapi"], qga: ["qga"], qsd: ["storage-daemon", "qapi"] }[match[2] ?? "qemu"] as string[];
    for (const root of sourceRoots) {
      const file = join(root, match[1]!, ...within, "qapi-schema.json");
      if (existsSync(file)) return file;
    }
  }
  throw new UserFacingError(`${arg}: no such schema or introspection file (or fetched QEMU version)`);
}

/**
 * Loads a side in wire form.
 * @throws UserFacingError (QapiError included) when it cannot be read
 */
export function loadSide(arg: string): WireSchema {
  const file = resolveSide(arg);
  const text = readFileSync(file, "utf8");
  // Introspection files are strict JSON; QAPI sources (comments, single quotes) are not.
  if (text.trimStart().startsWith("{")) {
    try {
      const value: unknown = JSON.parse(text);
      if (isIntrospectionFile(value)) return wireFromIntrospection(value, arg);
    } catch {
      // Not JSON: a source schema.
    }
  }
  return wireFromModel(loadSchema(file, { docLint: false }), arg, versionOfPath(file));
}
