/**
 * Where the committed history lives and reading it back: generated/history/
 * <sdk>.json in the qapi-ts package (shipped, so `diff 6.2.0 10.2.2` and
 * `versions NAME` work in a user's project with nothing fetched). Used by the
 * CLI commands and by load-side.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UserFacingError } from "../errors.js";
import type { History } from "../../runtime/wire/history.js";

/** The package's generated/history/ directory (this module is built to build/generator/history/). */
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
  try {
    history = JSON.parse(readFileSync(file, "utf8")) as History;
  } catch (error) {
    throw new UserFacingError(
      `${file}: cannot read the version history: ${error instanceof Error ? error.message : String(error)}; run: npm run history`,
    );
  }
  if (!Array.isArray(history.releases) || typeof history.commands !== "object")
    throw new UserFacingError(`${file}: not a version history; run: npm run history`);
  loaded.set(sdk, history);
  return history;
}
