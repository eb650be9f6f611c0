/**
 * The version history of one SDK's schema (generated/history/<sdk>.json,
 * built by tools/history/): every QEMU release from 4.2.0 to the pinned
 * one, and for each command, event, type, member, enum value, union branch,
 * alternative and feature the releases that have it, under which build
 * condition, with its provenance. Types carry the pinned source's names;
 * types no source names (seen only in recordings) get a name from where they
 * are used (`query-foo.return`, `Parent.member`).
 *
 * Releases are written as ranges over `releases` ("4.2.0-8.0.0,10.2.2").
 * Provenance of a fact: `seen` — releases where a snapshot (a source schema or
 * a recorded binary, listed in `snapshots`) showed it; `since` — its doc
 * comment's `Since:`; the rest of `in` is inferred (between two releases that
 * have it, or from `Since:`); `maybe` — releases no snapshot decides and no
 * fact settles. This module decodes the data and answers "what does release V
 * have" (`historyAt`); it has no file system, so the runtime can use it.
 */
import {
  wireEmptyObject,
  type WireCommand,
  type WireEvent,
  type WireMember,
  type WireSchema,
  type WireType,
} from "./schema.js";

/** Releases as ranges over `History.releases`: "4.2.0-8.0.0,10.2.2"; "" for none. */
export type Ranges = string;

/** A type reference that may differ by release: one type name, or type name → releases. */
export type HistorySlot = string | Readonly<Record<string, Ranges>>;

/** What every history entry knows. */
export interface HistoryFact {
  /** Releases that have it (seen or inferred); omitted on a member, value, branch or alternative when equal to its type's. */
  readonly in?: Ranges;
  /** Releases a snapshot showed it in; omitted when every release of `in` that has a snapshot did. */
  readonly seen?: Ranges;
  /** Releases where it may or may not exist (no snapshot, no fact). */
  readonly maybe?: Ranges;
  /** The doc comment's `Since:` (x.y.z), when a source has one; omitted on a member when equal to its type's. */
  readonly since?: string;
  /** Build condition (a source's `if`); an object when it changed: condition ("" none) → releases. */
  readonly if?: string | Readonly<Record<string, Ranges>>;
  /** Recorded binaries only: the architectures it was seen on, where some recording of a release lacked it (release → archs). */
  readonly targets?: Readonly<Record<string, string>>;
  /** Features (deprecated, unstable, …) → releases that have them. */
  readonly features?: Readonly<Record<string, Ranges>>;
}

export interface HistoryMember extends HistoryFact {
  readonly type: HistorySlot;
  /** `true` when optional in every release; otherwise the releases where it is optional. */
  readonly opt?: true | Ranges;
}

export interface HistoryBranch extends HistoryFact {
  readonly type: HistorySlot;
}

export interface HistoryType extends HistoryFact {
  readonly meta: WireType["meta"];
  /** Builtins: the JSON type. */
  readonly json?: string;
  /** Arrays: the element type. */
  readonly element?: HistorySlot;
  /** Unions: the tag member. */
  readonly tag?: string;
  readonly members?: Readonly<Record<string, HistoryMember>>;
  readonly values?: Readonly<Record<string, HistoryFact>>;
  readonly branches?: Readonly<Record<string, HistoryBranch>>;
  /** Alternates: alternative type name → its fact. */
  readonly alternatives?: Readonly<Record<string, HistoryFact>>;
  /** The name a release's source gave it, where not the history's: name → releases. */
  readonly as?: Readonly<Record<string, Ranges>>;
}

export interface HistoryCommand extends HistoryFact {
  readonly arg: HistorySlot;
  readonly ret: HistorySlot;
  /** Releases where it allows out-of-band execution. */
  readonly oob?: Ranges;
  /**
   * Releases whose source declares it `'gen': false` (it takes members beyond
   * its declared ones). Known only for releases with a source snapshot:
   * introspection does not show the flag.
   */
  readonly open?: Ranges;
}

export interface HistoryEvent extends HistoryFact {
  readonly data: HistorySlot;
}

/** One schema the history was merged from. */
export interface HistorySnapshot {
  /** The release it counts for. */
  readonly release: string;
  readonly kind: "source" | "recording";
  /** What it is: "QEMU 7.2.0 qapi/qapi-schema.json", "libvirt 9.0.0 caps_7.2.0.x86_64.replies". */
  readonly label: string;
  /** Recordings: the binary's architecture. */
  readonly arch?: string;
  /**
   * Recordings of a release read from its source: that release's build
   * conditions this binary was built without (what a source cannot know).
   */
  readonly notBuilt?: readonly string[];
}

/** A whole history. */
export interface History {
  /** Which SDK: qemu (QMP), qga, qsd. */
  readonly sdk: string;
  /** Every release covered, oldest first. */
  readonly releases: readonly string[];
  readonly snapshots: readonly HistorySnapshot[];
  readonly commands: Readonly<Record<string, HistoryCommand>>;
  readonly events: Readonly<Record<string, HistoryEvent>>;
  readonly types: Readonly<Record<string, HistoryType>>;
}

/** Decodes ranges into the set of releases they name. */
export function decodeRanges(releases: readonly string[], ranges: Ranges | undefined): Set<string> {
  const out = new Set<string>();
  if (!ranges) return out;
  for (const part of ranges.split(",")) {
    const [from, to] = part.split("-") as [string, string | undefined];
    const a = releases.indexOf(from);
    const b = to === undefined ? a : releases.indexOf(to);
    if (a < 0 || b < 0) throw new Error(`history: unknown release in range '${part}'`);
    for (let i = a; i <= b; i++) out.add(releases[i]!);
  }
  return out;
}

/** Encodes a set of releases as ranges over `releases` (the inverse of decodeRanges). */
export function encodeRanges(releases: readonly string[], set: ReadonlySet<string>): Ranges {
  const parts: string[] = [];
  for (let i = 0; i < releases.length; i++) {
    if (!set.has(releases[i]!)) continue;
    let j = i;
    while (j + 1 < releases.length && set.has(releases[j + 1]!)) j++;
    parts.push(i === j ? releases[i]! : `${releases[i]}-${releases[j]}`);
    i = j;
  }
  return parts.join(",");
}

/** Reads history facts for one release, caching decoded ranges. */
export class HistoryReader {
  private readonly cache = new Map<string, Set<string>>();
  /** Releases with a snapshot. */
  readonly observed: ReadonlySet<string>;
  constructor(readonly history: History) {
    this.observed = new Set(history.snapshots.map((s) => s.release));
  }

  /** The releases a range string names. */
  set(ranges: Ranges | undefined): Set<string> {
    const key = ranges ?? "";
    let set = this.cache.get(key);
    if (!set) this.cache.set(key, (set = decodeRanges(this.history.releases, key)));
    return set;
  }

  /** The releases that have a fact (`parent`: its type, for a member, value, branch or alternative). */
  releasesOf(fact: HistoryFact, parent?: HistoryFact): Set<string> {
    return this.set(fact.in ?? parent?.in);
  }

  /** The releases where a snapshot showed the fact. */
  seenIn(fact: HistoryFact, parent?: HistoryFact): Set<string> {
    if (fact.seen !== undefined) return this.set(fact.seen);
    return new Set([...this.releasesOf(fact, parent)].filter((r) => this.observed.has(r)));
  }

  has(fact: HistoryFact, release: string, withMaybe = false, parent?: HistoryFact): boolean {
    return this.releasesOf(fact, parent).has(release) || (withMaybe && this.set(fact.maybe).has(release));
  }

  /** When a nested fact's `Since:` is left out, its type's. */
  since(fact: HistoryFact, parent?: HistoryFact): string | undefined {
    return fact.since ?? parent?.since;
  }

  /**
   * The fact's build condition in `release`, if any: a source's `if`, or, for
   * what only some recorded binaries of the release had, "recorded only on ARCH …".
   */
  condition(fact: HistoryFact, release: string): string | undefined {
    const targets = fact.targets?.[release];
    if (fact.if === undefined && targets !== undefined) return `recorded only on ${targets || "no architecture"}`;
    if (fact.if === undefined) return undefined;
    if (typeof fact.if === "string") return fact.if;
    for (const [cond, ranges] of Object.entries(fact.if))
      if (this.set(ranges).has(release)) return cond === "" ? undefined : cond;
    return undefined;
  }

  /** The slot's type in `release` (the newest when the release is not listed). */
  slot(slot: HistorySlot, release: string): string {
    if (typeof slot === "string") return slot;
    let last = "";
    for (const [type, ranges] of Object.entries(slot)) {
      if (this.set(ranges).has(release)) return type;
      last = type;
    }
    return last;
  }

  features(fact: HistoryFact, release: string): string[] {
    return Object.entries(fact.features ?? {})
      .filter(([, ranges]) => this.set(ranges).has(release))
      .map(([name]) => name);
  }
}

/** The release strings of a history that a name like "7.2", "7.2.0" or "v7.2.0" means, if any. */
export function historyRelease(history: History, name: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(name);
  if (!match) return undefined;
  const release = `${match[1]}.${match[2]}.${match[3] ?? "0"}`;
  return history.releases.includes(release) ? release : undefined;
}

/** Options of historyAt. */
export interface HistoryAtOptions {
  /** Also keep what the history cannot decide for this release (`maybe`); default false. */
  readonly withMaybe?: boolean;
  /**
   * Name types as the release's own source does (what `diff V SCHEMA`
   * compares) instead of as the pinned release does (what an SDK cut to V
   * needs); default false.
   */
  readonly releaseNames?: boolean;
}

/**
 * Release `release` as the history knows it, in wire form (origin "source": it
 * carries build conditions), with the history's type names.
 * @throws Error when the release is not in the history
 */
export function historyAt(history: History, release: string, options: HistoryAtOptions = {}): WireSchema {
  if (!history.releases.includes(release))
    throw new Error(`history: release ${release} is not covered (${history.releases[0]}…${history.releases.at(-1)})`);
  const read = new HistoryReader(history);
  const withMaybe = options.withMaybe ?? false;
  const has = (f: HistoryFact, parent?: HistoryFact) => read.has(f, release, withMaybe, parent);
  const base = (name: string, f: HistoryFact) => {
    const cond = read.condition(f, release);
    return { name, features: read.features(f, release), ...(cond !== undefined ? { if: cond } : {}) };
  };
  const withIf = <T extends object>(value: T, f: HistoryFact): T => {
    const cond = read.condition(f, release);
    return cond !== undefined ? { ...value, if: cond } : value;
  };
  const commands = new Map<string, WireCommand>();
  const events = new Map<string, WireEvent>();
  const types = new Map<string, WireType>();
  // Whether a command is 'gen': false is known where a source of the release was merged.
  const sourced = history.snapshots.some((s) => s.release === release && s.kind === "source");
  for (const [name, c] of Object.entries(history.commands)) {
    if (!has(c)) continue;
    commands.set(name, {
      ...base(name, c),
      argType: read.slot(c.arg, release),
      retType: read.slot(c.ret, release),
      allowOob: read.set(c.oob).has(release),
      ...(sourced ? { gen: !read.set(c.open).has(release) } : {}),
    });
  }
  for (const [name, e] of Object.entries(history.events)) {
    if (has(e)) events.set(name, { ...base(name, e), argType: read.slot(e.data, release) });
  }
  // Types are those the release's commands and events reach, whatever the type's own facts say
  // (a branch seen in a release brings its type along).
  const pending: string[] = [wireEmptyObject];
  const queued = new Set(pending);
  const need = (name: string) => {
    if (!queued.has(name)) (queued.add(name), pending.push(name));
    return name;
  };
  for (const c of commands.values()) (need(c.argType), need(c.retType));
  for (const e of events.values()) need(e.argType);
  while (pending.length > 0) {
    const name = pending.pop()!;
    const t = Object.hasOwn(history.types, name) ? history.types[name] : undefined;
    if (!t || types.has(name)) continue;
    const b = base(name, t);
    switch (t.meta) {
      case "builtin":
        types.set(name, { ...b, meta: "builtin", json: t.json ?? "value" });
        break;
      case "enum":
        types.set(name, {
          ...b,
          meta: "enum",
          values: Object.entries(t.values ?? {})
            .filter(([, v]) => has(v, t))
            .map(([v, f]) => withIf({ name: v, features: read.features(f, release) }, f)),
        });
        break;
      case "array":
        types.set(name, { ...b, meta: "array", element: need(read.slot(t.element ?? "any", release)) });
        break;
      case "object": {
        const members: WireMember[] = Object.entries(t.members ?? {})
          .filter(([, m]) => has(m, t))
          .map(([m, f]) =>
            withIf(
              {
                name: m,
                type: need(read.slot(f.type, release)),
                optional: typeof f.opt === "string" ? read.set(f.opt).has(release) : f.opt === true,
                features: read.features(f, release),
              },
              f,
            ),
          );
        // A union whose tag member this release lacks was a plain struct then.
        const tagged = t.tag !== undefined && members.some((m) => m.name === t.tag);
        const variants = !tagged
          ? []
          : Object.entries(t.branches ?? {})
              .filter(([, v]) => has(v, t))
              .map(([c, f]) => withIf({ case: c, type: need(read.slot(f.type, release)) }, f));
        types.set(name, { ...b, meta: "object", members, ...(tagged ? { tag: t.tag! } : {}), variants });
        break;
      }
      case "alternate":
        types.set(name, {
          ...b,
          meta: "alternate",
          alternatives: Object.entries(t.alternatives ?? {})
            .filter(([, a]) => has(a, t))
            .map(([type, f]) => withIf({ type: need(type) }, f)),
        });
        break;
    }
  }
  const view: WireSchema = {
    origin: "source",
    label: `QEMU ${release} (version history)`,
    version: release,
    commands,
    events,
    types,
  };
  return options.releaseNames ? renamed(view, releaseNames(history, read, release)) : view;
}

/** History type name → the name release `release`'s source gave it, where they differ. */
function releaseNames(history: History, read: HistoryReader, release: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, t] of Object.entries(history.types))
    for (const [own, ranges] of Object.entries(t.as ?? {})) if (read.set(ranges).has(release)) out.set(name, own);
  return out;
}

/**
 * `view` with its types renamed by `names`. Two history types that one
 * source type filled in different places take its one name (they are the
 * same type in that release): the first stays, references go to it.
 */
function renamed(view: WireSchema, names: ReadonlyMap<string, string>): WireSchema {
  const to = (name: string) => names.get(name) ?? name;
  const types = new Map<string, WireType>();
  for (const [name, t] of view.types) {
    const own = to(name);
    if (types.has(own) && names.has(name)) continue;
    types.set(own, renameRefs({ ...t, name: own }, to));
  }
  const commands = new Map(
    [...view.commands].map(([n, c]) => [n, { ...c, argType: to(c.argType), retType: to(c.retType) }]),
  );
  const events = new Map([...view.events].map(([n, e]) => [n, { ...e, argType: to(e.argType) }]));
  return { ...view, commands, events, types };
}

function renameRefs(t: WireType, to: (name: string) => string): WireType {
  switch (t.meta) {
    case "array":
      return { ...t, element: to(t.element) };
    case "object":
      return {
        ...t,
        members: t.members.map((m) => ({ ...m, type: to(m.type) })),
        variants: t.variants.map((v) => ({ ...v, type: to(v.type) })),
      };
    case "alternate":
      return { ...t, alternatives: t.alternatives.map((a) => ({ ...a, type: to(a.type) })) };
    default:
      return t;
  }
}

/**
 * The history release a running QEMU counts as, from its `query-version`
 * numbers: the release itself when listed, else the newest listed release of
 * its line at or before it (a stable release such as 7.2.22 keeps 7.2.0's
 * schema, bar fixes); undefined when the history does not cover it (newer
 * than the history, or a development build).
 */
export function releaseOfVersion(
  history: History,
  version: { readonly major: number; readonly minor: number; readonly micro: number },
): string | undefined {
  const exact = `${version.major}.${version.minor}.${version.micro}`;
  if (history.releases.includes(exact)) return exact;
  // Development builds count micro from 50 (7.2.50 is on the way to 8.0): not a release.
  if (version.micro >= 50) return undefined;
  // A stable release counts as the newest listed release of its line at or before it (10.2.5 → 10.2.2, 7.2.22 → 7.2.0).
  const line = history.releases.filter((r) => {
    const [major, minor, micro] = r.split(".").map(Number);
    return major === version.major && minor === version.minor && micro! <= version.micro;
  });
  return line.at(-1);
}

/**
 * A history as a generated SDK ships it (`generate --history`: its
 * history.ts, which the SDK descriptor's `history` loads): one JSON text per
 * release list, snapshot, command, event and type, so that the data costs
 * nothing until read and a change is one line of diff.
 *
 *   ["sdk", name] ["releases", [release …]] ["snapshot", HistorySnapshot]
 *   ["command", name, HistoryCommand] ["event", name, HistoryEvent] ["type", name, HistoryType]
 */
export interface HistoryData {
  readonly entries: readonly string[];
}

/** Encodes a history into one JSON text per entry (`decodeHistory` gives it back, equal). */
export function encodeHistory(history: History): HistoryData {
  const entries = [JSON.stringify(["sdk", history.sdk]), JSON.stringify(["releases", history.releases])];
  for (const s of history.snapshots) entries.push(JSON.stringify(["snapshot", s]));
  for (const [name, c] of Object.entries(history.commands)) entries.push(JSON.stringify(["command", name, c]));
  for (const [name, e] of Object.entries(history.events)) entries.push(JSON.stringify(["event", name, e]));
  for (const [name, t] of Object.entries(history.types)) entries.push(JSON.stringify(["type", name, t]));
  return { entries };
}

/**
 * Decodes the history a generated SDK ships.
 * @throws Error when an entry is not in the format above
 */
export function decodeHistory(data: HistoryData): History {
  let sdk = "";
  let releases: readonly string[] = [];
  const snapshots: HistorySnapshot[] = [];
  // Pairs, then Object.fromEntries: a schema name such as `__proto__` stays an own key.
  const commands: [string, HistoryCommand][] = [];
  const events: [string, HistoryEvent][] = [];
  const types: [string, HistoryType][] = [];
  const parsed = JSON.parse("[" + data.entries.join(",") + "]") as unknown[][];
  for (const e of parsed) {
    switch (e[0]) {
      case "sdk":
        sdk = e[1] as string;
        break;
      case "releases":
        releases = e[1] as string[];
        break;
      case "snapshot":
        snapshots.push(e[1] as HistorySnapshot);
        break;
      case "command":
        commands.push([e[1] as string, e[2] as HistoryCommand]);
        break;
      case "event":
        events.push([e[1] as string, e[2] as HistoryEvent]);
        break;
      case "type":
        types.push([e[1] as string, e[2] as HistoryType]);
        break;
      default:
        throw new Error(`history data: unknown entry kind ${JSON.stringify(e[0])}`);
    }
  }
  return {
    sdk,
    releases,
    snapshots,
    commands: Object.fromEntries(commands),
    events: Object.fromEntries(events),
    types: Object.fromEntries(types),
  };
}
