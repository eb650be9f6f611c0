/**
 * Which releases have an entry, from what the snapshots saw (finish.ts). A
 * release read from its source is decided by that source alone; the rest of
 * this module matters only for a listed release whose source the front end
 * cannot read yet, decided from its recordings and its neighbours.
 */
import { encodeRanges, type HistoryFact, type HistorySnapshot } from "../../core/history.js";
import { compareReleases } from "../../core/release.js";
import { addTo as add, type FactSeen } from "./seen.js";

/**
 * Decides, per release, whether an entry exists, from what the snapshots saw:
 * - seen in a snapshot of the release → present;
 * - not seen, and the release has a source snapshot → absent (a source has
 *   everything, conditions included);
 * - not seen in the release's recordings → absent, unless a build condition
 *   could explain it (the entry has an `if`, or its parent was not seen
 *   either), then undecided;
 * - no snapshot at all → undecided.
 * Undecided releases before the entry's `Since:` are absent; the others are
 * present when the nearest decided releases on both sides have it (or only the
 * later one does and `Since:` is at or before), and `maybe` otherwise.
 */
export class PresenceInference {
  private readonly withSource = new Set<string>();
  private readonly withRecording = new Map<string, string[]>();
  /** Releases some snapshot covers. */
  readonly observed = new Set<string>();

  constructor(
    private readonly releases: readonly string[],
    snapshots: readonly HistorySnapshot[],
  ) {
    for (const s of snapshots) {
      this.observed.add(s.release);
      if (s.kind === "source") this.withSource.add(s.release);
      else
        (this.withRecording.get(s.release) ?? this.withRecording.set(s.release, []).get(s.release)!).push(
          s.arch ?? "?",
        );
    }
  }

  private readonly sinceIndexes = new Map<string, number>();

  /** The position of the first release at or after `since` (-1: none). */
  private sinceIndex(since: string): number {
    let i = this.sinceIndexes.get(since);
    if (i === undefined)
      this.sinceIndexes.set(since, (i = this.releases.findIndex((r) => compareReleases(r, since) >= 0)));
    return i;
  }

  finish(f: FactSeen, parentSeen: Set<string> | undefined): { fact: HistoryFact; present: Set<string> } {
    const conditional = [...f.conditions.keys()].some((c) => c !== "");
    const status = this.releases.map((r): "P" | "A" | "U" => {
      if (f.seen.has(r)) return "P";
      if (this.withSource.has(r)) return "A";
      if (this.withRecording.has(r)) return conditional || (parentSeen !== undefined && !parentSeen.has(r)) ? "U" : "A";
      return "U";
    });
    const since = f.since !== undefined ? this.sinceIndex(f.since) : -1;
    const present = new Set<string>();
    const maybe = new Set<string>();
    for (let i = 0; i < this.releases.length; i++) {
      const r = this.releases[i]!;
      if (status[i] === "P") present.add(r);
      if (status[i] !== "U") continue;
      if (f.since !== undefined && (since < 0 || i < since)) continue;
      let left = i - 1;
      while (left >= 0 && status[left] === "U") left--;
      let right = i + 1;
      while (right < this.releases.length && status[right] === "U") right++;
      const after = right < this.releases.length && status[right] === "P";
      const before = left >= 0 && status[left] === "P";
      if (after && (before || f.since !== undefined)) present.add(r);
      else if (after || before) maybe.add(r);
    }
    const enc = (s: Set<string>) => encodeRanges(this.releases, s);
    const fact: { -readonly [K in keyof HistoryFact]: HistoryFact[K] } = { in: enc(present) };
    // `seen` is left out when every snapshot release in `in` saw it.
    const seen = enc(f.seen);
    if (seen !== enc(new Set([...present].filter((r) => this.observed.has(r))))) fact.seen = seen;
    if (maybe.size > 0) fact.maybe = enc(maybe);
    if (f.since !== undefined) fact.since = f.since;
    // A release without a source takes the condition of the nearest source release (a later one first).
    const sourceSeen = new Set([...f.conditions.values()].flatMap((rs) => [...rs]));
    const conditions = this.nearest(f.conditions, present, sourceSeen);
    if (conditions.size === 1) {
      const only = [...conditions.keys()][0]!;
      if (only !== "") fact.if = only;
    } else if (conditions.size > 1) {
      fact.if = Object.fromEntries([...conditions].map(([c, rs]) => [c, enc(rs)]));
    }
    // Where recordings of one release disagree and no source condition explains it: the architectures that had it.
    if (!conditional) {
      const targets: Record<string, string> = {};
      for (const [r, archs] of this.withRecording) {
        if (!f.seen.has(r) || this.withSource.has(r) || archs.length < 2) continue;
        const had = f.archs.get(r) ?? new Set();
        if (had.size < archs.length) targets[r] = [...had].sort().join(" ");
      }
      if (Object.keys(targets).length > 0) fact.targets = targets;
    }
    if (f.features.size > 0) {
      const features: Record<string, string> = {};
      for (const [name, rs] of [...f.features].sort(([a], [b]) => (a < b ? -1 : 1))) {
        features[name] = enc(this.nearest(new Map([[name, rs]]), present, f.seen, true).get(name) ?? new Set());
      }
      fact.features = features;
    }
    return { fact, present };
  }

  /**
   * For each release in `present`, the key whose seen-set holds it, or for a
   * release no snapshot saw, the key of the nearest later seen release (the
   * nearest earlier one at the end). With `both`, an unseen release gets a key
   * only when its nearest seen neighbours on both sides have it.
   */
  nearest(
    seenBy: ReadonlyMap<string, ReadonlySet<string>>,
    present: ReadonlySet<string>,
    factSeen: ReadonlySet<string>,
    both = false,
  ): Map<string, Set<string>> {
    const seenAt = new Map<string, string[]>();
    for (const [key, rs] of seenBy) for (const r of rs) (seenAt.get(r) ?? seenAt.set(r, []).get(r)!).push(key);
    const out = new Map<string, Set<string>>();
    // Releases are in order: the nearest seen ones are found by position.
    const seenIndex = this.releases.flatMap((r, i) => (factSeen.has(r) ? [i] : []));
    for (const [i, r] of this.releases.entries()) {
      if (!present.has(r)) continue;
      let keys: string[] | undefined;
      if (factSeen.has(r)) keys = seenAt.get(r);
      else {
        const laterIndex = seenIndex.find((o) => o > i);
        const earlierIndex = seenIndex.filter((o) => o < i).at(-1);
        const later = laterIndex !== undefined ? this.releases[laterIndex] : undefined;
        const earlier = earlierIndex !== undefined ? this.releases[earlierIndex] : undefined;
        const l = later ? (seenAt.get(later) ?? []) : undefined;
        const e = earlier ? (seenAt.get(earlier) ?? []) : undefined;
        keys = both ? (l && e ? l.filter((k) => e.includes(k)) : (l ?? e)) : (l ?? e);
      }
      for (const k of keys ?? []) add(out, k, r);
    }
    return out;
  }
}
