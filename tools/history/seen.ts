/**
 * What the merge (merge.ts) has seen of one SDK's schema so far, per entry and
 * per release: which snapshots showed it, under which build condition, with
 * which features and `Since:`, and which history type filled each place
 * (a command's arguments, a member's type …). finish.ts turns it into the
 * history's ranges.
 */
import type { HistorySnapshot } from "../../core/history.js";
import type { WireSchema, WireType } from "../../core/schema.js";
import type { LinkedType } from "../../core/linked.js";
import type { SinceFacts } from "./since-facts.js";

/** One input of the merge. */
export interface Snapshot {
  readonly info: HistorySnapshot;
  readonly wire: WireSchema;
  /** Sources only. */
  readonly since?: SinceFacts;
}

/** What was seen of one entry, per release. */
export class FactSeen {
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
    if (arch !== undefined) addTo(this.archs, release, arch);
    if (kind === "source") {
      addTo(this.conditions, cond ?? "", release);
      this.since ??= since;
    }
    for (const f of features) addTo(this.features, f, release);
  }
}

/** The history types that filled one place, each with the releases it did so in. */
export class SlotSeen {
  readonly types = new Map<string, Set<string>>();
}

export interface MemberSeen {
  readonly fact: FactSeen;
  readonly slot: SlotSeen;
  readonly optional: Set<string>;
}

export interface BranchSeen {
  readonly fact: FactSeen;
  readonly slot: SlotSeen;
}

export interface TypeSeen {
  readonly name: string;
  readonly meta: WireType["meta"];
  readonly json?: string;
  /** The JSON category alternates pair by (core/linked.ts), of the type that created it. */
  readonly category: string;
  tag?: string | undefined;
  readonly fact: FactSeen;
  readonly element: SlotSeen;
  readonly members: Map<string, MemberSeen>;
  readonly values: Map<string, FactSeen>;
  readonly branches: Map<string, BranchSeen>;
  readonly alternatives: Map<string, FactSeen>;
  /** The name each source gave it → releases. */
  readonly names: Map<string, Set<string>>;
}

export interface CommandSeen {
  readonly fact: FactSeen;
  readonly arg: SlotSeen;
  readonly ret: SlotSeen;
  readonly oob: Set<string>;
  /** Releases whose source declares it `'gen': false` (introspection does not show the flag). */
  readonly open: Set<string>;
}

export interface EventSeen {
  readonly fact: FactSeen;
  readonly data: SlotSeen;
}

/** Everything seen, by the history's names. */
export class SeenSchema {
  readonly commands = new Map<string, CommandSeen>();
  readonly events = new Map<string, EventSeen>();
  readonly types = new Map<string, TypeSeen>();

  command(name: string): CommandSeen {
    return getOrAdd(this.commands, name, () => ({
      fact: new FactSeen(),
      arg: new SlotSeen(),
      ret: new SlotSeen(),
      oob: new Set(),
      open: new Set(),
    }));
  }

  event(name: string): EventSeen {
    return getOrAdd(this.events, name, () => ({ fact: new FactSeen(), data: new SlotSeen() }));
  }

  /** A new history type shaped like `t`, named `wanted` (or `wanted~2` … when taken). */
  newType(wanted: string, t: LinkedType): TypeSeen {
    let name = wanted;
    for (let i = 2; this.types.has(name); i++) name = `${wanted}~${i}`;
    const wire = t.wire;
    const created: TypeSeen = {
      name,
      meta: wire.meta,
      ...(wire.meta === "builtin" ? { json: wire.json } : {}),
      category: t.category,
      fact: new FactSeen(),
      element: new SlotSeen(),
      members: new Map(),
      values: new Map(),
      branches: new Map(),
      alternatives: new Map(),
      names: new Map(),
    };
    this.types.set(name, created);
    return created;
  }
}

export function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

export function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  getOrAdd(map, key, () => new Set<V>()).add(value);
}
