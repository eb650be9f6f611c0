/**
 * Puts generated files on disk, all or nothing: write-if-changed, or
 * `--check` for staleness.
 *
 * The last step of `qapi-ts generate`. Writing only changed files keeps
 * timestamps (and incremental builds) quiet. A generated SDK is only
 * consistent as a whole, so writing happens in two phases: every changed file
 * is first written to a temporary sibling (`.NAME.qapi-ts-PID.tmp` in the same
 * directory, so the rename cannot cross file systems), and only when all of
 * them are written are they renamed over their targets. A failure in the first
 * phase removes the temporaries and leaves the previous SDK untouched; the
 * checks before it (the output is a directory, no target is a directory) make
 * the rename phase, atomic per file, the part that does not fail in practice.
 * Failures are UserFacingErrors of one line: path, what went wrong.
 * `checkFiles` reports which files differ from what would be generated, for
 * CI's `generate --check`.
 */
import { lstat, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UserFacingError } from "../errors.js";

/** One output file: path relative to the output directory, full content. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

/** `path: reason` for a file-system error, without a stack (`EACCES: permission denied`, …). */
function describe(path: string, error: unknown, doing: string): UserFacingError {
  const e = error as NodeJS.ErrnoException;
  const reason =
    e.code === "EACCES" || e.code === "EPERM"
      ? "permission denied"
      : e.code === "ENOTDIR"
        ? "a parent is not a directory"
        : e.code === "EISDIR"
          ? "is a directory"
          : e.code === "EROFS"
            ? "read-only file system"
            : e.code === "ENOSPC"
              ? "no space left on the device"
              : e.code === "ENOENT"
                ? "no such file or directory"
                : (e.code ?? e.message);
  return new UserFacingError(`${path}: cannot ${doing}: ${reason}`);
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "EISDIR")
      throw new UserFacingError(`${path}: cannot replace it with a generated file: it is a directory`);
    throw describe(path, error, "read it");
  }
}

/**
 * The output directory, created when missing.
 * @throws UserFacingError when `outDir` exists and is not a directory, or cannot be created
 */
async function ensureDirectory(outDir: string): Promise<void> {
  try {
    const stat = await lstat(outDir);
    if (stat.isDirectory()) return;
    throw new UserFacingError(
      `${outDir}: the output directory is a file (or something else that is not a directory); give --out a directory`,
    );
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw describe(outDir, error, "use it as the output directory");
  }
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw describe(outDir, error, "create the output directory");
  }
}

/**
 * Writes each file whose content differs from what is on disk, all or nothing.
 * @returns the relative paths that were written
 * @throws UserFacingError (one line) when the output cannot be written; the previous files are then untouched
 */
export async function writeFiles(outDir: string, files: readonly OutputFile[]): Promise<string[]> {
  await ensureDirectory(outDir);
  const changed: OutputFile[] = [];
  for (const file of files) if ((await readIfExists(join(outDir, file.path))) !== file.content) changed.push(file);

  // Phase 1: every changed file to a temporary sibling.
  const staged: { temp: string; target: string; path: string }[] = [];
  try {
    for (const file of changed) {
      const target = join(outDir, file.path);
      const temp = join(dirname(target), `.${basename(target)}.qapi-ts-${process.pid}.tmp`);
      try {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(temp, file.content, { flag: "wx" });
      } catch (error) {
        throw describe(target, error, "write it");
      }
      staged.push({ temp, target, path: file.path });
    }
  } catch (error) {
    await Promise.all(staged.map((s) => rm(s.temp, { force: true })));
    throw error;
  }

  // Phase 2: rename them over their targets.
  const written: string[] = [];
  for (const s of staged) {
    try {
      await rename(s.temp, s.target);
    } catch (error) {
      await Promise.all(staged.filter((t) => !written.includes(t.path)).map((t) => rm(t.temp, { force: true })));
      const done = written.length > 0 ? ` (already replaced: ${written.join(", ")})` : "";
      throw new UserFacingError(`${describe(s.target, error, "replace it").message}${done}`);
    }
    written.push(s.path);
  }
  return written;
}

/**
 * Compares the files with what is on disk, writing nothing.
 * @returns the relative paths that are missing or differ
 */
export async function checkFiles(outDir: string, files: readonly OutputFile[]): Promise<string[]> {
  const stale: string[] = [];
  for (const file of files) {
    if ((await readIfExists(join(outDir, file.path))) !== file.content) stale.push(file.path);
  }
  return stale;
}
