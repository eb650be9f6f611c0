/**
 * The interactive shell's history across sessions: one line per entry, oldest
 * first, in `$XDG_STATE_HOME/qapi-ts/history` (default
 * `~/.local/state/qapi-ts/history`, per the XDG base directory spec), or the
 * file `--history FILE` names. node:readline keeps history newest first; this
 * module converts. A history that cannot be read or written is reported once
 * and the session goes on without it.
 *
 * Data flow: file → `loadHistory` → readline's `history` option; readline's
 * `history` event → `saveHistory` → file.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { readInputFile } from "../../generator/input-file.js";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** Entries kept. */
export const historySize = 1000;

/** The default history file. */
export function defaultHistoryFile(env: NodeJS.ProcessEnv = process.env): string {
  const state =
    env["XDG_STATE_HOME"] && env["XDG_STATE_HOME"].startsWith("/")
      ? env["XDG_STATE_HOME"]
      : join(homedir(), ".local", "state");
  return join(state, "qapi-ts", "history");
}

/** Largest history file read: far above `historySize` lines of any sane length. */
export const historyFileLimit = 16 * 1024 * 1024;

/** The saved entries, newest first (readline's order); empty when there is no file yet. */
export function loadHistory(file: string): { entries: string[]; problem?: string } {
  if (!existsSync(file)) return { entries: [] };
  try {
    // A regular file of bounded size only: `--history /dev/zero` must not read forever.
    const lines = readInputFile(file, historyFileLimit)
      .toString("utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
    return { entries: lines.slice(-historySize).reverse() };
  } catch (error) {
    return { entries: [], problem: `history ${file}: ${(error as Error).message}` };
  }
}

/**
 * Writes readline's history (newest first) to the file, oldest first.
 * @returns a problem text when it could not be written
 */
export function saveHistory(file: string, newestFirst: readonly string[]): string | undefined {
  try {
    mkdirSync(dirname(file), { recursive: true });
    // Lines may hold secrets (set_password, object-add of a secret): readable by the user alone.
    writeFileSync(
      file,
      [...newestFirst]
        .slice(0, historySize)
        .reverse()
        .map((l) => l + "\n")
        .join(""),
      { mode: 0o600 },
    );
    return undefined;
  } catch (error) {
    return `history ${file}: ${(error as Error).message}`;
  }
}
