/**
 * Puts generated files on disk: write-if-changed, or `--check` for staleness.
 *
 * The last step of `qapi-ts generate`. Writing only changed files keeps
 * timestamps (and incremental builds) quiet; `checkFiles` reports which files
 * differ from what would be generated, for CI's `generate --check`.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** One output file: path relative to the output directory, full content. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Writes each file whose content differs from what is on disk.
 * @returns the relative paths that were written
 */
export async function writeFiles(outDir: string, files: readonly OutputFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const target = join(outDir, file.path);
    if ((await readIfExists(target)) === file.content) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    written.push(file.path);
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
