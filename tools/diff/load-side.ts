/**
 * Loads one side of a diff into wire form: a QAPI source schema (through the
 * front end's `loadSchema`, without the doc lint so older schemas such as
 * 7.2.0's load), an introspection file, a recorded conversation holding a
 * `query-qmp-schema` reply (libvirt's `.replies`), or a QEMU release such as
 * `7.2.0` (or `7.2.0:qga`, `7.2.0:qsd`): its fetched sources in .cache/qemu/
 * when there, else that release as the shipped version history has it
 * (tools/history/files.ts), so any release from 4.2.0 works with nothing
 * fetched; there, what the history cannot decide for a release counts as
 * present.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserFacingError } from "../../generator/errors.js";
import { InputFileError, readInputFile } from "../../generator/input-file.js";
import { checkedIntrospection } from "../introspection/read-file.js";
import { loadSchema } from "../../generator/load-schema.js";
import { isIntrospectionFile, wireFromIntrospection } from "../../core/introspection-file.js";
import { historyAt, historyRelease } from "../../core/history.js";
import { introspectionFromReplies, RepliesFormatError } from "../introspection/replies-file.js";
import { readHistory } from "../history/files.js";
import { type WireSchema } from "../../core/schema.js";
import { wireFromModel } from "../../generator/model/wire-from-model.js";

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

/** A release name (`6.2.0`, `6.2`, `8.2.0:qga`) the shipped history covers, as sdk and release; undefined otherwise. */
function historySide(arg: string): { sdk: string; release: string } | undefined {
  const match = /^(v?\d+\.\d+(?:\.\d+)?)(?::(qemu|qga|qsd))?$/.exec(arg);
  if (!match) return undefined;
  const sdk = match[2] ?? "qemu";
  const release = historyRelease(readHistory(sdk), match[1]!);
  return release ? { sdk, release } : undefined;
}

/** A release name as the shipped history has it (what a user's folder, with nothing fetched, gets); undefined when not one. */
export function historySideSchema(arg: string): WireSchema | undefined {
  const side = historySide(arg);
  if (!side) return undefined;
  // Undecided entries count as present: the diff never claims a removal no snapshot shows.
  return {
    ...historyAt(readHistory(side.sdk), side.release, { withMaybe: true, releaseNames: true }),
    label: `${arg} (version history)`,
  };
}

/**
 * Loads a side in wire form.
 * @throws UserFacingError (QapiError included) when it cannot be read
 */
export function loadSide(arg: string): WireSchema {
  let file: string;
  try {
    file = resolveSide(arg);
  } catch (error) {
    const fromHistory = historySideSchema(arg);
    if (!fromHistory) throw error;
    return fromHistory;
  }
  let text: string;
  try {
    text = readInputFile(file).toString("utf8");
  } catch (error) {
    if (error instanceof InputFileError) throw new UserFacingError(`${arg}: cannot read: ${error.message}`);
    throw error;
  }
  // A recorded conversation: several JSON texts, the first a command.
  if (/^\s*\{\s*"execute"/.test(text)) {
    try {
      return wireFromIntrospection(introspectionFromReplies(text, file).file, arg);
    } catch (error) {
      if (error instanceof RepliesFormatError) throw new UserFacingError(error.message);
      throw error;
    }
  }
  // Introspection files are strict JSON; QAPI sources (comments, single quotes) are not.
  if (text.trimStart().startsWith("{")) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Not JSON: a source schema.
    }
    // A JSON object with a "schema" member is meant as an introspection file: check it as one.
    if (isIntrospectionFile(value) || (typeof value === "object" && value !== null && "schema" in value)) {
      return wireFromIntrospection(checkedIntrospection(arg, value), arg);
    }
  }
  return wireFromModel(loadSchema(file, { docLint: false }), arg, versionOfPath(file));
}
