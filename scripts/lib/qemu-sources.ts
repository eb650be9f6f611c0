/**
 * Where tests and benchmarks find QEMU's schema sources and front-end test suite.
 *
 * scripts/fetch-qemu.sh puts each version under .cache/qemu/<version>/ with the
 * layout of QEMU's tree (qapi/, qga/, storage-daemon/qapi/, tests/qapi-schema/,
 * docs/). The test command fetches package.json's `config.testQemuVersions`
 * before it runs the tests.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compareReleases } from "../../core/release.js";

/** The repository root (this file is compiled to build/scripts/lib/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const config = (
  JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
    config: { qemuVersion: string; olderQemuVersions: string };
  }
).config;

/** The QEMU version the committed SDKs are generated from (package.json's `config.qemuVersion`). */
export const pinnedQemuVersion = config.qemuVersion;

/**
 * Older releases the tests read when their sources could be fetched
 * (package.json's `config.olderQemuVersions`; scripts/test.sh tries to fetch them).
 */
export const olderQemuVersions: readonly string[] = config.olderQemuVersions.split(/\s+/).filter(Boolean);

/** True when QEMU `version`'s sources are in the cache. */
export function hasQemuSources(version: string): boolean {
  return existsSync(join(repoRoot, ".cache", "qemu", version, "qapi", "qapi-schema.json"));
}

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

/**
 * The shared folder's QEMU sources of every release (`../shared/qemu` beside
 * the repository, or `$QAPI_TS_SHARED/qemu`), one directory per release;
 * read-only reference material that tests walk when it is there.
 */
export const sharedQemuRoot = join(process.env["QAPI_TS_SHARED"] ?? join(repoRoot, "..", "shared"), "qemu");

/** The releases in sharedQemuRoot ("X.Y.Z" directories with a VERSION file), oldest first; [] when it is absent. */
export function sharedQemuReleases(): string[] {
  if (!existsSync(sharedQemuRoot)) return [];
  return readdirSync(sharedQemuRoot)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && existsSync(join(sharedQemuRoot, v, "VERSION")))
    .sort(compareReleases);
}
