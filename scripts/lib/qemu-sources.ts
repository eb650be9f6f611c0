/**
 * Where tests and benchmarks find QEMU's schema sources and front-end test suite.
 *
 * scripts/fetch-qemu.sh puts each version under .cache/qemu/<version>/ with the
 * layout of QEMU's tree (qapi/, qga/, storage-daemon/qapi/, tests/qapi-schema/,
 * docs/). The test command fetches package.json's `config.testQemuVersions`
 * before it runs the tests.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is compiled to build/scripts/lib/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const config = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { config: { qemuVersion: string } }).config;

/** The QEMU version the committed SDKs are generated from (package.json's `config.qemuVersion`). */
export const pinnedQemuVersion = config.qemuVersion;

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
