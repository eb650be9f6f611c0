/**
 * Validation that follows the server: an SDK's wire schema (the pinned
 * release's) cut down, and where needed widened, to what one QEMU release has
 * according to the version history (history.ts), for a validator that
 * checks a conversation with an older (or other) server without false
 * rejections. Pure: the caller supplies the history (generated/history/
 * <sdk>.json) and the server's release (`releaseOfVersion` of its greeting).
 *
 * What the result holds for release V:
 * - commands, events, members, enum values and branches V has, with V's types
 *   and optionality (7.2's `singlestep` in StatusInfo is back, 8.0's required
 *   `acpi` in MachineInfo is gone);
 * - what the history cannot decide for V (`maybe`) is kept, optional;
 * - members built only under a condition are optional: whether this binary
 *   has them is a build choice the history cannot see;
 * - what the SDK has and the history does not know at all is kept as the SDK
 *   has it and listed in `unknown`, so a strict validator can report it as a
 *   notice instead of a rejection.
 * A release the history does not cover gives the SDK's schema unchanged, with
 * `covered: false`.
 */
import { historyAt, releaseOfVersion, type History } from "./history.js";
import type { WireObject, WireSchema, WireType } from "./schema.js";
import { withSourceFlags } from "./command-flags.js";
import { compareReleases } from "./release.js";
import { reachableTypes } from "./walk.js";

/** Something in the SDK's schema the history does not know. */
export interface UnknownPart {
  readonly kind: "command" | "event" | "type" | "member";
  /** `query-foo`, `FOO_EVENT`, `Type`, `Type.member`. */
  readonly name: string;
}

/** The wire schema for one release, and what in it the history could not vouch for. */
export interface ReleaseWire {
  readonly wire: WireSchema;
  /** The release as the history has it; false when the history does not cover the server. */
  readonly covered: boolean;
  readonly release?: string;
  readonly unknown: readonly UnknownPart[];
}

/**
 * Cuts `sdk` (the wire view of an SDK generated from the history's newest
 * release) to release `release`.
 * @param release a release of `history.releases`, or undefined when the server's is not covered
 */
export function cutToRelease(sdk: WireSchema, history: History, release: string | undefined): ReleaseWire {
  if (release === undefined || !history.releases.includes(release)) return { wire: sdk, covered: false, unknown: [] };
  const view = historyAt(history, release, { withMaybe: true });
  const maybeMembers = new Set<string>();
  for (const [name, t] of Object.entries(history.types)) {
    for (const [m, f] of Object.entries(t.members ?? {}))
      if (f.maybe?.split(",").some((r) => inRange(history.releases, r, release))) maybeMembers.add(`${name}.${m}`);
  }
  const unknown: UnknownPart[] = [];
  // The history records no flag but allow-oob: the others ('gen': false, success-response) are the SDK's.
  const commands = new Map(withSourceFlags(view, sdk).commands);
  const events = new Map(view.events);
  const types = new Map<string, WireType>();
  for (const [name, t] of view.types) {
    if (t.meta !== "object") {
      types.set(name, t);
      continue;
    }
    const loosened: WireObject = {
      ...t,
      members: t.members.map((m) =>
        !m.optional && (m.if !== undefined || maybeMembers.has(`${name}.${m.name}`)) ? { ...m, optional: true } : m,
      ),
    };
    types.set(name, loosened);
  }
  // What the SDK has and the history has never heard of: kept, and listed.
  for (const [name, c] of sdk.commands) {
    if (!(name in history.commands)) {
      commands.set(name, c);
      unknown.push({ kind: "command", name });
    }
  }
  for (const [name, e] of sdk.events) {
    if (!(name in history.events)) {
      events.set(name, e);
      unknown.push({ kind: "event", name });
    }
  }
  const used = reachableTypes(sdk);
  for (const [name, t] of sdk.types) {
    if (!used.has(name)) continue;
    const known = Object.hasOwn(history.types, name) ? history.types[name] : undefined;
    if (!known) {
      if (!types.has(name)) types.set(name, t);
      unknown.push({ kind: "type", name });
      continue;
    }
    if (t.meta === "object") {
      for (const m of t.members)
        if (!known.members?.[m.name]) unknown.push({ kind: "member", name: `${name}.${m.name}` });
    }
  }
  return {
    wire: { ...view, label: `${sdk.label} as QEMU ${release} has it`, commands, events, types },
    covered: true,
    release,
    unknown,
  };
}

/** True when `release` lies in one range part ("a-b" or "a") over `releases`. */
function inRange(releases: readonly string[], part: string, release: string): boolean {
  const [from, to] = part.split("-") as [string, string | undefined];
  const i = releases.indexOf(release);
  return i >= releases.indexOf(from) && i <= releases.indexOf(to ?? from);
}

/** How a connected server's release relates to the history an SDK carries. */
export interface ServerRelease {
  /** The history release the server counts as, when covered. */
  readonly release?: string;
  /** older/same: covered; newer: after the history's newest release; development: a x.y.50+ build; uncovered: before the history. */
  readonly relation: "older" | "same" | "newer" | "development" | "uncovered";
  /** One line for a connect-time diagnostic, when the SDK cannot vouch for everything the server has. */
  readonly diagnostic?: string;
}

/**
 * Places a server's `query-version` numbers (its greeting's `version.qemu`)
 * against the history, for the diagnostic at connect: a server newer than the
 * SDK's history, a development build, or one older than the history gets a
 * one-line message; strict validation then checks what is known.
 */
export function placeServerRelease(
  history: History,
  version: { readonly major: number; readonly minor: number; readonly micro: number },
): ServerRelease {
  const text = `${version.major}.${version.minor}.${version.micro}`;
  const newest = history.releases.at(-1)!;
  const release = releaseOfVersion(history, version);
  if (release !== undefined) return { release, relation: release === newest ? "same" : "older" };
  const cmp = compareReleases(text, newest);
  if (version.micro >= 50 && cmp < 0) {
    return {
      relation: "development",
      diagnostic: `QEMU ${text} is a development build: the ${history.sdk} SDK's history knows releases ${history.releases[0]}–${newest} only; what is newer than ${version.major}.${version.minor}.0 is checked as unknown`,
    };
  }
  if (cmp > 0)
    return {
      relation: "newer",
      diagnostic: `QEMU ${text} is newer than the ${history.sdk} SDK (${newest}): what it added is unknown to the SDK and reported as notices`,
    };
  return {
    relation: "uncovered",
    diagnostic: `QEMU ${text} is older than the ${history.sdk} SDK's history (${history.releases[0]}–${newest}): validation cannot follow it`,
  };
}
