/**
 * Where the tests find QEMU's schema sources and front-end test suite.
 *
 * scripts/fetch-qemu.sh puts each version under .cache/qemu/<version>/ with the
 * layout of QEMU's tree (qapi/, qga/, storage-daemon/qapi/, tests/qapi-schema/,
 * docs/). The test command fetches 10.2.2 and 7.2.0 before it runs the tests.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is compiled to build/test/support/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The QEMU version the committed SDKs are generated from. */
export const pinnedQemuVersion = "10.2.2";

/**
 * The directory holding QEMU `version`'s sources.
 * @throws Error when the sources were not fetched (run `npm run fetch-qemu -- VERSION`).
 */
export function qemuSourceDir(version: string): string {
  const dir = join(repoRoot, ".cache", "qemu", version);
  if (!existsSync(join(dir, "qapi", "qapi-schema.json"))) {
    throw new Error(`QEMU ${version} sources are missing in ${dir}; run: npm run fetch-qemu -- ${version}`);
  }
  return dir;
}
