/**
 * Which QEMU release a schema file belongs to, from the QEMU tree it sits in.
 *
 * A QEMU source tree has its release in a `VERSION` file at the top, beside
 * the `qapi/` folder; schemas sit below it (qapi/, qga/,
 * storage-daemon/qapi/, tests/qapi-schema/). generator/frontend/index.ts
 * asks here before it picks the release rules (release-rules.ts) to read a
 * schema by; null sends it to the newest rules that accept the text.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** "X.Y.Z" at the start of a VERSION file (QEMU's development versions are X.Y.50 and up; rcs X.Y.9N). */
const releasePattern = /^(\d+)\.(\d+)\.(\d+)\s*$/;

/** Whether `text` is a QEMU release number "X.Y.Z". */
export function isReleaseNumber(text: string): boolean {
  return releasePattern.test(text);
}

/**
 * The release of the QEMU tree holding `schemaFile`: the first directory
 * upwards with both a `VERSION` file holding "X.Y.Z" and a `qapi` folder.
 * Null when there is none (a schema outside a QEMU tree).
 */
export function releaseOfSchemaFile(schemaFile: string): string | null {
  let dir = dirname(resolve(schemaFile));
  for (;;) {
    const version = join(dir, "VERSION");
    if (existsSync(version) && isDirectory(join(dir, "qapi"))) {
      const text = readFileSync(version, "utf8").trim();
      return releasePattern.test(text) ? text : null;
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
