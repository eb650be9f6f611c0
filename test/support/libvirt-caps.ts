/**
 * Where the tests find libvirt's recorded QEMU conversations:
 * .cache/libvirt-caps/ (scripts/fetch-libvirt-caps.sh, run by the test
 * command before the tests), never committed.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

/** The cache directory of the recordings. */
export const libvirtCapsDir = join(repoRoot, ".cache", "libvirt-caps");

/**
 * The path of one recording, `caps_<release>.<arch>.replies`.
 * @throws Error when the recordings were not fetched
 */
export function libvirtCaps(release: string, arch: string): string {
  const file = join(libvirtCapsDir, `caps_${release}.${arch}.replies`);
  if (!existsSync(file)) throw new Error(`${file} is missing; run: bash scripts/fetch-libvirt-caps.sh`);
  return file;
}
