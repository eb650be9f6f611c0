/**
 * Which snapshots the version history is merged from, and loading them:
 * the releases covered (every x.y.0 from 4.2.0, and the pinned release), the
 * source schemas per SDK (fetched by scripts/fetch-qemu.sh into .cache/qemu/),
 * and, for QMP, the binaries libvirt recorded (scripts/fetch-libvirt-caps.sh,
 * .cache/libvirt-caps/). Adding a release with sources at hand: fetch it,
 * list it in package.json's
 * `config.historyQemuVersions`, run `npm run history`. Output goes to merge.ts.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UserFacingError } from "../../generator/errors.js";
import { QapiError } from "../../generator/frontend/index.js";
import { loadSchema } from "../../generator/load-schema.js";
import { wireFromModel } from "../../generator/model/wire-from-model.js";
import { introspectionVersion, wireFromIntrospection } from "../../core/introspection-file.js";
import { introspectionFromReplies, RepliesFormatError } from "../introspection/replies-file.js";
import { type Snapshot } from "./merge.js";
import { compareReleases } from "../../core/release.js";
import { sinceFacts } from "./since-facts.js";

/** The SDKs that get a history, and where each one's schema sits in a QEMU tree. */
export const historySdks = {
  qemu: ["qapi", "qapi-schema.json"],
  qga: ["qga", "qapi-schema.json"],
  qsd: ["storage-daemon", "qapi", "qapi-schema.json"],
} as const;
export type HistorySdk = keyof typeof historySdks;

/** The first release of each program: qemu-storage-daemon came with QEMU 5.0 (older Since: facts are the shared schema's). */
export const historyFirstRelease: Readonly<Record<HistorySdk, string>> = { qemu: "4.2.0", qga: "4.2.0", qsd: "5.0.0" };

/** package.json's `config` (this module is built to build/tools/history/). */
const config = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")).config as {
  qemuVersion: string;
  historyQemuVersions: string;
};

/** The pinned release (package.json `config.qemuVersion`). */
export const pinnedRelease = config.qemuVersion;

/**
 * Every release the history covers, oldest first: package.json
 * `config.historyQemuVersions` (each x.y.0, each stable release with a
 * source, the pinned one). Each is built from its own source.
 */
export const historyReleases: readonly string[] = config.historyQemuVersions
  .split(/\s+/)
  .filter((v) => v !== "")
  .sort(compareReleases);

/** Where fetched things live, relative to the repository. */
export interface HistoryInputs {
  /** Directory holding <version>/ QEMU trees (.cache/qemu). */
  readonly qemuRoot: string;
  /** Directory holding libvirt's caps_*.replies (.cache/libvirt-caps). */
  readonly recordingsDir: string;
}

/** A recording's binary is a release build (not a development tree or release candidate). */
function isReleaseBuild(version: string, pkg: string): boolean {
  if (!/\.0$/.test(version)) return false;
  if (pkg === "" || /-rc\d|-\d+-g[0-9a-f]+/.test(pkg)) return false;
  return pkg === `v${version}` || pkg.includes(`-${version}-`);
}

/** One recorded binary, read. */
export interface Recording {
  readonly snapshot: Snapshot;
  /** Why it was left out of the history, if it was. */
  readonly skipped?: string;
}

/**
 * Reads every recording in `dir`, in file-name order.
 * @throws UserFacingError when the directory is missing or a file is unreadable
 */
export function readRecordings(dir: string, releases: readonly string[] = historyReleases): Recording[] {
  if (!existsSync(dir))
    throw new UserFacingError(`${dir}: no QEMU recordings; run: bash scripts/fetch-libvirt-caps.sh`);
  const libvirt = existsSync(join(dir, "LIBVIRT_VERSION"))
    ? readFileSync(join(dir, "LIBVIRT_VERSION"), "utf8").trim()
    : "?";
  const out: Recording[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => /^caps_.*\.replies$/.test(f))
    .sort()) {
    let recorded;
    try {
      recorded = introspectionFromReplies(readFileSync(join(dir, name), "utf8"), name);
    } catch (error) {
      if (error instanceof RepliesFormatError) throw new UserFacingError(error.message);
      throw error;
    }
    const version = introspectionVersion(recorded.file);
    const label = `libvirt ${libvirt} ${name}`;
    const snapshot: Snapshot = {
      info: {
        release: version,
        kind: "recording",
        label,
        ...(recorded.arch !== undefined ? { arch: recorded.arch } : {}),
      },
      wire: wireFromIntrospection(recorded.file, name),
    };
    let skipped: string | undefined;
    if (!releases.includes(version)) skipped = `QEMU ${version} is not a release the history covers`;
    else if (!isReleaseBuild(version, recorded.file.version.package))
      skipped = `a development build ('${recorded.file.version.package}'), not release ${version}`;
    out.push(skipped ? { snapshot, skipped } : { snapshot });
  }
  return out;
}

/**
 * Loads the source snapshots of one SDK, newest first, one per release from
 * the release's own tree; `notes` gets one line per source the front end
 * cannot read yet (left out: its release is then inferred).
 * @throws UserFacingError when a release's sources were not fetched
 */
export function loadSourceSnapshots(
  sdk: HistorySdk,
  inputs: HistoryInputs,
  notes: string[],
  releases: readonly string[] = historyReleases,
): Snapshot[] {
  const out: Snapshot[] = [];
  // Most stable releases have their x.y.0's schema files unchanged: those are read once.
  const byContent = new Map<string, Snapshot | QapiError>();
  const first = historyFirstRelease[sdk];
  for (const version of [...releases].reverse()) {
    if (compareReleases(version, first) < 0) continue;
    const tree = join(inputs.qemuRoot, version);
    const file = join(tree, ...historySdks[sdk]);
    if (!existsSync(file))
      throw new UserFacingError(`${file}: QEMU ${version} sources are missing; run: npm run fetch-qemu -- ${version}`);
    const label = `QEMU ${version} ${historySdks[sdk].join("/")}`;
    const key = schemaFilesDigest(tree);
    let loaded = byContent.get(key);
    if (!loaded) {
      try {
        const schema = loadSchema(file, { docLint: false });
        loaded = {
          info: { release: version, kind: "source", label },
          wire: wireFromModel(schema, `QEMU ${version}`, version),
          since: sinceFacts(schema),
        };
      } catch (error) {
        if (!(error instanceof QapiError) || version === pinnedRelease) throw error;
        loaded = error;
      }
      byContent.set(key, loaded);
    }
    if (loaded instanceof QapiError) {
      notes.push(
        `${sdk}: QEMU ${version} source does not load yet (${String(loaded.message).trim().split("\n").at(-1)}); left out`,
      );
      continue;
    }
    out.push({ ...loaded, info: { release: version, kind: "source", label } });
  }
  return out;
}

/** A digest of every schema file of a QEMU tree (qapi/, qga/, storage-daemon/qapi/). */
function schemaFilesDigest(tree: string): string {
  const hash = createHash("sha256");
  for (const dir of ["qapi", "qga", join("storage-daemon", "qapi")]) {
    const path = join(tree, dir);
    if (!existsSync(path)) continue;
    for (const name of readdirSync(path)
      .filter((f) => f.endsWith(".json"))
      .sort())
      hash
        .update(`${dir}/${name}\0`)
        .update(readFileSync(join(path, name)))
        .update("\0");
  }
  return hash.digest("hex");
}

/** All snapshots of one SDK in merge order: sources newest first, then recordings newest first. */
export function loadSnapshots(sdk: HistorySdk, inputs: HistoryInputs, notes: string[]): Snapshot[] {
  const sources = loadSourceSnapshots(sdk, inputs, notes);
  if (sdk !== "qemu") return sources;
  const recordings: Snapshot[] = [];
  for (const r of readRecordings(inputs.recordingsDir)) {
    if (r.skipped) notes.push(`qemu: ${r.snapshot.info.label}: left out: ${r.skipped}`);
    else recordings.push(r.snapshot);
  }
  recordings.sort(
    (a, b) => compareReleases(b.info.release, a.info.release) || (a.info.arch ?? "").localeCompare(b.info.arch ?? ""),
  );
  return [...sources, ...recordings];
}
