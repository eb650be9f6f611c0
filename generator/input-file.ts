/**
 * Reads a file the user names as input (a schema source, an included file, an
 * introspection file) so that a wrong name cannot hang or exhaust the
 * generator: only a regular file is read, and only up to a size limit.
 *
 * Why: `{ 'include': '/dev/zero' }` would otherwise grow without end, a FIFO
 * would block the open until a writer comes, and a directory would fail late
 * with a confusing message. The file is opened non-blocking (so a FIFO cannot
 * hold the open), checked with fstat on the open descriptor (so a file swapped
 * after a check is still the one checked), and read at most limit + 1 bytes (a
 * regular file can still grow while it is read, and /proc files report size 0).
 *
 * Callers (generator/frontend/parser.ts, tools/introspection/read-file.ts)
 * turn an InputFileError into their own located error; the bytes go to the
 * schema lexer or the JSON parser.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";

/** Largest input file accepted, in bytes: QEMU's whole schema is under 1.5 MiB, its introspection about 1 MiB. */
export const inputFileLimit = 16 * 1024 * 1024;

/** Why an input file was not read; `message` is a phrase such as "not a regular file (a FIFO)". */
export class InputFileError extends Error {
  override readonly name = "InputFileError";
}

/** Python's strerror() texts for the errno codes Node reports when opening or reading a file. */
const strerrorByCode: Record<string, string> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EISDIR: "Is a directory",
  ENOTDIR: "Not a directory",
  ELOOP: "Too many levels of symbolic links",
  ENAMETOOLONG: "File name too long",
  EMFILE: "Too many open files",
  EPERM: "Operation not permitted",
  EIO: "Input/output error",
  ENXIO: "No such device or address",
};

/** The kind of a file that is not regular, in words. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a file";
}

/** Describe a failed open or read in the words of the C library (never quoting file content). */
function describeSystemError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code && strerrorByCode[code]) return strerrorByCode[code];
  return code ?? (err instanceof Error ? err.message : String(err));
}

const mib = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MiB`;

/**
 * Reads a regular file of at most `limit` bytes.
 * @throws InputFileError when the file cannot be opened or read, is not a regular file, or is larger than `limit`
 */
export function readInputFile(path: string, limit = inputFileLimit): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputFileError(describeSystemError(err));
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new InputFileError(strerrorByCode["EISDIR"]!);
    if (!stats.isFile()) throw new InputFileError(`not a regular file (${kindOf(stats)})`);
    const tooLarge = () => new InputFileError(`larger than the ${mib(limit)} limit for an input file`);
    if (stats.size > limit) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stats.size - total + 1, 64 * 1024), limit + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        throw new InputFileError(describeSystemError(err));
      }
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) throw tooLarge();
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
