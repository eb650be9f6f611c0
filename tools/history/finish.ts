/**
 * Turns what the merge saw (seen.ts) into the version history's data
 * (core/history.ts): per entry the releases that have it, its build
 * condition, features, optionality and the type at each place, as ranges over
 * the history's releases. Presence comes from presence.ts. Called by
 * HistoryBuilder.finish (merge.ts).
 */
import {
  encodeRanges,
  type History,
  type HistoryFact,
  type HistoryMember,
  type HistorySlot,
  type HistorySnapshot,
  type HistoryType,
} from "../../core/history.js";
import { PresenceInference } from "./presence.js";
import type { CommandSeen, EventSeen, FactSeen, MemberSeen, SeenSchema, SlotSeen, TypeSeen } from "./seen.js";

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** The finished history of `sdk`. */
export function finishHistory(
  sdk: string,
  releases: readonly string[],
  snapshots: readonly HistorySnapshot[],
  seen: SeenSchema,
): History {
  const finish = new Finisher(releases, new PresenceInference(releases, snapshots));
  return {
    sdk,
    releases,
    snapshots,
    commands: Object.fromEntries(sorted(seen.commands).map(([name, c]) => [name, finish.command(c)])),
    events: Object.fromEntries(sorted(seen.events).map(([name, e]) => [name, finish.event(e)])),
    types: Object.fromEntries(sorted(seen.types).map(([name, t]) => [name, finish.type(t)])),
  };
}

class Finisher {
  constructor(
    private readonly releases: readonly string[],
    private readonly presence: PresenceInference,
  ) {}

  command(c: CommandSeen): History["commands"][string] {
    const { fact, present } = this.fact(c.fact);
    const oob = this.ranges(c.oob);
    const open = this.ranges(c.open);
    return {
      ...fact,
      arg: this.slot(c.arg, present, c.fact.seen),
      ret: this.slot(c.ret, present, c.fact.seen),
      ...(oob ? { oob } : {}),
      ...(open ? { open } : {}),
    };
  }

  event(e: EventSeen): History["events"][string] {
    const { fact, present } = this.fact(e.fact);
    return { ...fact, data: this.slot(e.data, present, e.fact.seen) };
  }

  type(t: TypeSeen): HistoryType {
    const { fact, present } = this.fact(t.fact);
    const out: Writable<HistoryType> = { meta: t.meta, ...fact };
    if (t.json !== undefined) out.json = t.json;
    if (t.meta === "array") out.element = this.slot(t.element, present, t.fact.seen);
    if (t.tag !== undefined) out.tag = t.tag;
    const renamed = [...t.names].filter(([name]) => name !== t.name);
    if (renamed.length > 0) out.as = Object.fromEntries(renamed.map(([name, rs]) => [name, this.ranges(rs)]));
    if (t.members.size > 0)
      out.members = Object.fromEntries([...t.members].map(([m, seen]) => [m, this.member(seen, t, fact)]));
    if (t.values.size > 0)
      out.values = Object.fromEntries([...t.values].map(([v, seen]) => [v, this.fact(seen, t, fact).fact]));
    if (t.branches.size > 0)
      out.branches = Object.fromEntries(
        [...t.branches].map(([c, seen]) => {
          const r = this.fact(seen.fact, t, fact);
          return [c, { ...r.fact, type: this.slot(seen.slot, r.present, seen.fact.seen) }];
        }),
      );
    if (t.alternatives.size > 0)
      out.alternatives = Object.fromEntries([...t.alternatives].map(([a, seen]) => [a, this.fact(seen, t, fact).fact]));
    return out;
  }

  /** A member: its fact, its type per release, and where it is optional (`true`: everywhere it exists). */
  private member(seen: MemberSeen, parent: TypeSeen, parentFact: HistoryFact): HistoryMember {
    const { fact, present } = this.fact(seen.fact, parent, parentFact);
    const optional =
      this.presence.nearest(new Map([["opt", seen.optional]]), present, seen.fact.seen).get("opt") ?? new Set<string>();
    const opt = [...present].every((r) => optional.has(r)) ? true : this.ranges(optional);
    return {
      ...fact,
      type: this.slot(seen.slot, present, seen.fact.seen),
      ...(opt === true || opt !== "" ? { opt } : {}),
    };
  }

  /**
   * An entry's fact and the releases that have it. A member, value, branch or
   * alternative leaves out what equals its type's: `in`, `since`.
   */
  private fact(f: FactSeen, parent?: TypeSeen, parentFact?: HistoryFact): { fact: HistoryFact; present: Set<string> } {
    const r = this.presence.finish(f, parent?.fact.seen);
    if (!parentFact) return r;
    const fact: Writable<HistoryFact> = { ...r.fact };
    if (fact.in === parentFact.in) delete fact.in;
    if (fact.since !== undefined && fact.since === parentFact.since) delete fact.since;
    return { fact, present: r.present };
  }

  /** The type at a place: one name, or name → releases when it changed. */
  private slot(s: SlotSeen, present: Set<string>, factSeen: Set<string>): HistorySlot {
    const byRelease = this.presence.nearest(s.types, present, factSeen);
    const names = [...byRelease.keys()];
    if (names.length === 1) return names[0]!;
    if (names.length === 0) return [...s.types.keys()][0] ?? "any";
    return Object.fromEntries(names.map((n) => [n, this.ranges(byRelease.get(n)!)]));
  }

  private ranges(set: ReadonlySet<string>): string {
    return encodeRanges(this.releases, set);
  }
}

function sorted<V>(map: Map<string, V>): [string, V][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
