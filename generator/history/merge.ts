/**
 * Merges snapshots of one SDK's schema (wire form: source schemas with their
 * `if` conditions and `Since:` facts, recorded binaries' introspection) into
 * the version history (core/history.ts). The first snapshot (the
 * pinned source) gives the type names; every later one is walked in step
 * with the history from each command's arguments and return and each event's
 * data, so its types are paired structurally whatever they are called (the
 * idea of core/pairing.ts, which cannot be used as is: it stops where
 * one side lacks a place, while the merge must add what the history lacks).
 * `finish` turns what was seen into ranges and infers the releases no
 * snapshot covers (see inferPresence). Output goes to generator/history/emit.ts.
 */
import { category } from "../../core/walk.js";
import { compareReleases } from "../../core/release.js";
import {
  encodeRanges,
  type History,
  type HistoryFact,
  type HistorySlot,
  type HistorySnapshot,
  type HistoryType,
} from "../../core/history.js";
import { isMaskedTypeName, wireEmptyObject, type WireSchema, type WireType } from "../../core/schema.js";
import type { SinceFacts } from "./since-facts.js";

/** One input of the merge. */
export interface Snapshot {
  readonly info: HistorySnapshot;
  readonly wire: WireSchema;
  /** Sources only. */
  readonly since?: SinceFacts;
}

/** What was seen of one entry, per release. */
class FactSeen {
  readonly seen = new Set<string>();
  /** Release → architectures of the recordings that showed it. */
  readonly archs = new Map<string, Set<string>>();
  /** Condition ("" for none) → releases, from sources. */
  readonly conditions = new Map<string, Set<string>>();
  readonly features = new Map<string, Set<string>>();
  since: string | undefined;

  see(snapshot: Snapshot, features: readonly string[], cond: string | undefined, since: string | undefined): void {
    const { release, arch, kind } = snapshot.info;
    this.seen.add(release);
    if (arch !== undefined) add(this.archs, release, arch);
    if (kind === "source") {
      add(this.conditions, cond ?? "", release);
      this.since ??= since;
    }
    for (const f of features) add(this.features, f, release);
  }
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/** A type reference seen per release. */
class SlotSeen {
  readonly types = new Map<string, Set<string>>();
}

interface MemberSeen {
  readonly fact: FactSeen;
  readonly slot: SlotSeen;
  readonly optional: Set<string>;
}

interface TypeSeen {
  readonly name: string;
  readonly meta: WireType["meta"];
  readonly json?: string;
  tag?: string | undefined;
  readonly fact: FactSeen;
  readonly element: SlotSeen;
  readonly members: Map<string, MemberSeen>;
  readonly values: Map<string, FactSeen>;
  readonly branches: Map<string, { fact: FactSeen; slot: SlotSeen }>;
  readonly alternatives: Map<string, FactSeen>;
}

interface CommandSeen {
  readonly fact: FactSeen;
  readonly arg: SlotSeen;
  readonly ret: SlotSeen;
  readonly oob: Set<string>;
  /** Releases whose source declares it `'gen': false` (introspection does not show the flag). */
  readonly open: Set<string>;
}

/** The history being built. */
export class HistoryBuilder {
  private readonly snapshots: HistorySnapshot[] = [];
  private readonly commands = new Map<string, CommandSeen>();
  private readonly events = new Map<string, { fact: FactSeen; data: SlotSeen }>();
  private readonly types = new Map<string, TypeSeen>();

  constructor(
    readonly sdk: string,
    /** Every release covered, oldest first. */
    readonly releases: readonly string[],
  ) {}

  /** Merges one snapshot; call with the pinned source first. */
  add(snapshot: Snapshot): void {
    if (!this.releases.includes(snapshot.info.release))
      throw new Error(`${snapshot.info.label}: release ${snapshot.info.release} is not in the history's list`);
    this.snapshots.push(snapshot.info);
    const s = snapshot.wire;
    const since = snapshot.since;
    const done = new Set<string>();
    // Types this snapshot added, by its own name: a recursive type is added once.
    const imported = new Map<string, TypeSeen>();

    const typeOf = (name: string) => s.types.get(name);
    const compatible = (h: TypeSeen, t: WireType): boolean => {
      if (h.meta !== t.meta) return false;
      if (h.meta === "builtin") return h.json === (t as { json: string }).json;
      // The shared empty object never takes members: a command that had arguments gets its own type.
      if (h.name === wireEmptyObject && t.meta === "object" && (t.members.length > 0 || t.variants.length > 0))
        return false;
      // An array of another kind of element is another array type (a shared array must not mix them).
      if (t.meta === "array" && h.element.types.size > 0) {
        const element = typeOf(t.element);
        return (
          element !== undefined && [...h.element.types.keys()].some((e) => compatible(this.types.get(e)!, element))
        );
      }
      return true;
    };
    const newType = (wanted: string, t: WireType): TypeSeen => {
      let name = wanted;
      for (let i = 2; this.types.has(name); i++) name = `${wanted}~${i}`;
      const created: TypeSeen = {
        name,
        meta: t.meta,
        ...(t.meta === "builtin" ? { json: t.json } : {}),
        fact: new FactSeen(),
        element: new SlotSeen(),
        members: new Map(),
        values: new Map(),
        branches: new Map(),
        alternatives: new Map(),
      };
      this.types.set(name, created);
      return created;
    };
    /** Finds or creates the history type for snapshot type `sName` at a slot, and merges it. */
    const place = (slot: SlotSeen, sName: string, hint: string): string | undefined => {
      const t = typeOf(sName);
      if (!t) return undefined;
      const named = s.origin === "source" || t.meta === "builtin" ? sName : undefined;
      let target: TypeSeen | undefined;
      // Prefer the same name, then any type the slot already had that fits.
      const byName = named !== undefined ? this.types.get(named) : undefined;
      if (byName && compatible(byName, t) && (slot.types.size === 0 || slot.types.has(byName.name))) target = byName;
      for (const h of slot.types.keys()) {
        if (target) break;
        const candidate = this.types.get(h)!;
        if (compatible(candidate, t)) target = candidate;
      }
      if (!target && byName && compatible(byName, t)) target = byName;
      // Every empty object is the source's shared one (introspection numbers it like any other type).
      const empty = this.types.get(wireEmptyObject);
      if (
        !target &&
        empty &&
        s.origin === "introspection" &&
        t.meta === "object" &&
        t.members.length === 0 &&
        t.variants.length === 0
      )
        target = empty;
      const again = imported.get(sName);
      if (!target && again && compatible(again, t)) target = again;
      if (!target) {
        target = newType(
          named !== undefined && !(s.origin === "introspection" && isMaskedTypeName(named)) ? named : hint,
          t,
        );
        imported.set(sName, target);
      }
      add(slot.types, target.name, snapshot.info.release);
      merge(target, sName, t);
      return target.name;
    };
    const memberSince = (sType: string, key: string) => since?.members.get(`${sType}${key}`);
    const merge = (h: TypeSeen, sName: string, t: WireType): void => {
      const key = `${h.name}\u0000${sName}`;
      if (done.has(key)) return;
      done.add(key);
      h.fact.see(snapshot, t.features, t.if, since?.entities.get(`type:${sName}`));
      switch (t.meta) {
        case "enum":
          for (const v of t.values) {
            let f = h.values.get(v.name);
            if (!f) h.values.set(v.name, (f = new FactSeen()));
            f.see(snapshot, v.features, v.if, memberSince(sName, `.${v.name}`));
          }
          break;
        case "object":
          h.tag ??= t.tag;
          for (const m of t.members) {
            let hm = h.members.get(m.name);
            if (!hm) h.members.set(m.name, (hm = { fact: new FactSeen(), slot: new SlotSeen(), optional: new Set() }));
            hm.fact.see(snapshot, m.features, m.if, memberSince(sName, `.${m.name}`));
            if (m.optional) hm.optional.add(snapshot.info.release);
            place(hm.slot, m.type, `${h.name}.${m.name}`);
          }
          for (const v of t.variants) {
            let hb = h.branches.get(v.case);
            if (!hb) h.branches.set(v.case, (hb = { fact: new FactSeen(), slot: new SlotSeen() }));
            hb.fact.see(snapshot, [], v.if, memberSince(sName, `{${v.case}}`));
            place(hb.slot, v.type, `${h.name}{${v.case}}`);
          }
          break;
        case "array":
          place(h.element, t.element, `${h.name}[]`);
          break;
        case "alternate":
          for (const a of t.alternatives) {
            // Alternatives pair by JSON category: at most one per category.
            const cat = category(s, a.type);
            const existing = [...h.alternatives.keys()].find((x) => this.category(x) === cat);
            const slot = new SlotSeen();
            if (existing) slot.types.set(existing, new Set());
            const placed = place(slot, a.type, `${h.name}|${cat}`);
            if (!placed) continue;
            let f = h.alternatives.get(placed);
            if (!f) h.alternatives.set(placed, (f = new FactSeen()));
            f.see(snapshot, [], a.if, undefined);
          }
          break;
        case "builtin":
          break;
      }
    };

    for (const [name, c] of s.commands) {
      let hc = this.commands.get(name);
      if (!hc)
        this.commands.set(
          name,
          (hc = { fact: new FactSeen(), arg: new SlotSeen(), ret: new SlotSeen(), oob: new Set(), open: new Set() }),
        );
      hc.fact.see(snapshot, c.features, c.if, since?.entities.get(`command:${name}`));
      if (c.allowOob) hc.oob.add(snapshot.info.release);
      if (c.gen === false) hc.open.add(snapshot.info.release);
      place(hc.arg, c.argType, `q_obj_${name}-arg`);
      place(hc.ret, c.retType, `${name}.return`);
    }
    for (const [name, e] of s.events) {
      let he = this.events.get(name);
      if (!he) this.events.set(name, (he = { fact: new FactSeen(), data: new SlotSeen() }));
      he.fact.see(snapshot, e.features, e.if, since?.entities.get(`event:${name}`));
      place(he.data, e.argType, `q_obj_${name}-arg`);
    }
  }

  /** JSON category of a history type (as pairing.ts's `category`). */
  private category(name: string): string {
    const t = this.types.get(name);
    if (!t) return "unknown";
    if (t.meta === "builtin") return t.json === "int" ? "number" : t.json!;
    if (t.meta === "enum") return "string";
    if (t.meta === "alternate") return "alternate";
    return t.meta;
  }

  /** The finished history. */
  finish(): History {
    const inference = new PresenceInference(this.releases, this.snapshots);
    const finishFact = (
      f: FactSeen,
      parent: TypeSeen | undefined,
      parentFact?: HistoryFact,
    ): { fact: HistoryFact; present: Set<string> } => {
      const r = inference.finish(f, parent?.fact.seen);
      // A member, value, branch or alternative leaves out what equals its type's: `in`, `since`.
      if (parentFact) {
        const fact = { ...r.fact } as { -readonly [K in keyof HistoryFact]: HistoryFact[K] };
        if (fact.in === parentFact.in) delete fact.in;
        if (fact.since !== undefined && fact.since === parentFact.since) delete fact.since;
        return { fact, present: r.present };
      }
      return r;
    };
    const slot = (s: SlotSeen, present: Set<string>, factSeen: Set<string>): HistorySlot => {
      const byRelease = inference.nearest(s.types, present, factSeen);
      const names = [...byRelease.keys()];
      if (names.length === 1) return names[0]!;
      if (names.length === 0) return [...s.types.keys()][0] ?? "any";
      return Object.fromEntries(names.map((n) => [n, encodeRanges(this.releases, byRelease.get(n)!)]));
    };
    const commands: Record<string, History["commands"][string]> = {};
    for (const [name, c] of sorted(this.commands)) {
      const { fact, present } = finishFact(c.fact, undefined);
      const oob = encodeRanges(this.releases, c.oob);
      const open = encodeRanges(this.releases, c.open);
      commands[name] = {
        ...fact,
        arg: slot(c.arg, present, c.fact.seen),
        ret: slot(c.ret, present, c.fact.seen),
        ...(oob ? { oob } : {}),
        ...(open ? { open } : {}),
      };
    }
    const events: Record<string, History["events"][string]> = {};
    for (const [name, e] of sorted(this.events)) {
      const { fact, present } = finishFact(e.fact, undefined);
      events[name] = { ...fact, data: slot(e.data, present, e.fact.seen) };
    }
    const types: Record<string, HistoryType> = {};
    for (const [name, t] of sorted(this.types)) {
      const { fact, present } = finishFact(t.fact, undefined);
      const out: { -readonly [K in keyof HistoryType]: HistoryType[K] } = { meta: t.meta, ...fact };
      if (t.json !== undefined) out.json = t.json;
      if (t.meta === "array") out.element = slot(t.element, present, t.fact.seen);
      if (t.tag !== undefined) out.tag = t.tag;
      if (t.members.size > 0) {
        out.members = Object.fromEntries(
          [...t.members].map(([m, seen]) => {
            const r = finishFact(seen.fact, t, fact);
            const optional =
              inference.nearest(new Map([["opt", seen.optional]]), r.present, seen.fact.seen).get("opt") ??
              new Set<string>();
            const all = [...r.present].every((x) => optional.has(x));
            const opt = all ? true : encodeRanges(this.releases, optional);
            return [
              m,
              {
                ...r.fact,
                type: slot(seen.slot, r.present, seen.fact.seen),
                ...(opt === true || opt !== "" ? { opt } : {}),
              },
            ];
          }),
        );
      }
      if (t.values.size > 0)
        out.values = Object.fromEntries([...t.values].map(([v, seen]) => [v, finishFact(seen, t, fact).fact]));
      if (t.branches.size > 0) {
        out.branches = Object.fromEntries(
          [...t.branches].map(([c, seen]) => {
            const r = finishFact(seen.fact, t, fact);
            return [c, { ...r.fact, type: slot(seen.slot, r.present, seen.fact.seen) }];
          }),
        );
      }
      if (t.alternatives.size > 0)
        out.alternatives = Object.fromEntries(
          [...t.alternatives].map(([a, seen]) => [a, finishFact(seen, t, fact).fact]),
        );
      types[name] = out;
    }
    return { sdk: this.sdk, releases: this.releases, snapshots: this.snapshots, commands, events, types };
  }
}

function sorted<V>(map: Map<string, V>): [string, V][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

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
class PresenceInference {
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

  finish(f: FactSeen, parentSeen: Set<string> | undefined): { fact: HistoryFact; present: Set<string> } {
    const conditional = [...f.conditions.keys()].some((c) => c !== "");
    const status = this.releases.map((r): "P" | "A" | "U" => {
      if (f.seen.has(r)) return "P";
      if (this.withSource.has(r)) return "A";
      if (this.withRecording.has(r)) return conditional || (parentSeen !== undefined && !parentSeen.has(r)) ? "U" : "A";
      return "U";
    });
    const since = f.since !== undefined ? this.releases.findIndex((r) => compareReleases(r, f.since!) >= 0) : -1;
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
    const observed = this.releases.filter((r) => factSeen.has(r));
    for (const r of this.releases) {
      if (!present.has(r)) continue;
      let keys: string[] | undefined;
      if (factSeen.has(r)) keys = seenAt.get(r);
      else {
        const later = observed.find((o) => compareReleases(o, r) > 0);
        const earlier = [...observed].reverse().find((o) => compareReleases(o, r) < 0);
        const l = later ? (seenAt.get(later) ?? []) : undefined;
        const e = earlier ? (seenAt.get(earlier) ?? []) : undefined;
        keys = both ? (l && e ? l.filter((k) => e.includes(k)) : (l ?? e)) : (l ?? e);
      }
      for (const k of keys ?? []) add(out, k, r);
    }
    return out;
  }
}
