/**
 * Where the committed history lives and reading it back: generated/history/
 * <sdk>.json in the qapi-ts package (shipped, so `diff 6.2.0 10.2.2` and
 * `versions NAME` work in a user's project with nothing fetched). Used by the
 * CLI commands, by load-side.ts and by `generate --history`.
 */
import { existsSync } from "node:fs";
import { InputFileError, readInputFile } from "../../generator/input-file.js";
import { fileURLToPath } from "node:url";
import { UserFacingError } from "../../generator/errors.js";
import type { History } from "../../core/history.js";

/** The package's generated/history/ directory (this module is built to build/tools/history/). */
export const historyDir = fileURLToPath(new URL("../../../generated/history/", import.meta.url));

/** The committed file of an SDK's history. */
export const historyFile = (sdk: string) => `${historyDir}${sdk}.json`;

const loaded = new Map<string, History>();

/**
 * Reads the committed history of `sdk` (qemu, qga, qsd).
 * @throws UserFacingError when it is missing (a checkout that never ran `npm run history`)
 */
export function readHistory(sdk: string): History {
  let history = loaded.get(sdk);
  if (history) return history;
  const file = historyFile(sdk);
  if (!existsSync(file)) throw new UserFacingError(`${file}: no version history for '${sdk}'; run: npm run history`);
  history = readHistoryFile(file, "; run: npm run history");
  loaded.set(sdk, history);
  return history;
}

/**
 * Reads a history file (`generate --history FILE`, or a committed one).
 * @param hint appended to each error: what to do about it
 * @throws UserFacingError when the file is unreadable or not a version history
 */
export function readHistoryFile(file: string, hint = ""): History {
  let text: string;
  try {
    text = readInputFile(file).toString("utf8");
  } catch (error) {
    const reason = error instanceof InputFileError ? error.message : String(error);
    throw new UserFacingError(`${file}: cannot read the version history: ${reason}${hint}`);
  }
  let history: History;
  try {
    history = JSON.parse(text) as History;
  } catch {
    // JSON.parse's message quotes the file's first bytes: the file may be anything (a password file).
    throw new UserFacingError(`${file}: not a version history (not JSON)${hint}`);
  }
  const isTable = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (
    !isTable(history) ||
    !Array.isArray(history.releases) ||
    !history.releases.every((r) => typeof r === "string") ||
    !isTable(history.commands) ||
    !isTable(history.events) ||
    !isTable(history.types)
  )
    throw new UserFacingError(`${file}: not a version history${hint}`);
  return history;
}
