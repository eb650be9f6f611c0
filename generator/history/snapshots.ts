/**
 * Which snapshots the version history is merged from, and loading them:
 * the releases covered (every x.y.0 from 4.2.0, and the pinned release), the
 * source schemas per SDK (fetched by scripts/fetch-qemu.sh into .cache/qemu/),
 * and, for QMP, the binaries libvirt recorded (scripts/fetch-libvirt-caps.sh,
 * .cache/libvirt-caps/). Adding a release with sources at hand: fetch it,
 * add it to `historySources`, run `npm run history`. Output goes to merge.ts.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UserFacingError } from "../errors.js";
import { QapiError } from "../frontend/index.js";
import { loadSchema } from "../load-schema.js";
import { wireFromModel } from "../model/wire-from-model.js";
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

/** The pinned release (scripts/lib/common.sh). */
export const pinnedRelease = "10.2.2";

/** Every release the history covers, oldest first: each x.y.0 from 4.2.0, then the pinned one. */
export const historyReleases: readonly string[] = [
  "4.2.0",
  "5.0.0",
  "5.1.0",
  "5.2.0",
  "6.0.0",
  "6.1.0",
  "6.2.0",
  "7.0.0",
  "7.1.0",
  "7.2.0",
  "8.0.0",
  "8.1.0",
  "8.2.0",
  "9.0.0",
  "9.1.0",
  "9.2.0",
  "10.0.0",
  "10.1.0",
  "10.2.0",
  pinnedRelease,
];

/**
 * Source schemas merged, newest first (the first gives the type names).
 * `release` is the x.y.0 a stable version stands for: a stable branch
 * (10.0.13) keeps its x.y.0's schema, bar fixes. `required: false` marks a
 * source the front end cannot read yet (older schema syntax): it is tried,
 * and left out with a note while it fails or is not fetched.
 */
export const historySources: readonly { version: string; release: string; required: boolean }[] = [
  { version: "10.2.2", release: "10.2.2", required: true },
  { version: "10.0.13", release: "10.0.0", required: true },
  { version: "7.2.0", release: "7.2.0", required: true },
  { version: "5.2.0", release: "5.2.0", required: false },
];

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

/** Loads the source snapshots of one SDK, newest first; `notes` gets one line per source skipped. */
export function loadSourceSnapshots(sdk: HistorySdk, inputs: HistoryInputs, notes: string[]): Snapshot[] {
  const out: Snapshot[] = [];
  for (const { version, release, required } of historySources) {
    const file = join(inputs.qemuRoot, version, ...historySdks[sdk]);
    if (!existsSync(file)) {
      if (required)
        throw new UserFacingError(
          `${file}: QEMU ${version} sources are missing; run: npm run fetch-qemu -- ${version}`,
        );
      notes.push(`${sdk}: QEMU ${version} sources not fetched; left out`);
      continue;
    }
    let schema;
    try {
      schema = loadSchema(file, { docLint: false });
    } catch (error) {
      if (error instanceof QapiError && !required) {
        notes.push(
          `${sdk}: QEMU ${version} source does not load yet (${String(error.message).trim().split("\n").at(-1)}); left out`,
        );
        continue;
      }
      throw error;
    }
    out.push({
      info: { release, kind: "source", label: `QEMU ${version} ${historySdks[sdk].join("/")}` },
      wire: wireFromModel(schema, `QEMU ${version}`, version),
      since: sinceFacts(schema),
    });
  }
  return out;
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
