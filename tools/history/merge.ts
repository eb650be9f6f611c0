/**
 * Merges snapshots of one SDK's schema into its version history
 * (core/history.ts). Every release the history lists is read from its
 * own source (snapshots.ts); the pinned source comes first and gives the type
 * names. Each later snapshot is walked in step with the history from each
 * command's arguments and return and each event's data, so its types pair
 * structurally whatever they are called (the idea of core/pairing.ts,
 * which stops where one side lacks a place, while the merge must add what the
 * history lacks). A recording of a release whose source was merged adds
 * nothing: it is checked against it (test/tools/history/history-vs-recordings.test.ts);
 * only a release whose source cannot be read yet is taken from its recordings.
 * What was seen (seen.ts) becomes the history's ranges in finish.ts.
 */
import type { History, HistorySnapshot } from "../../core/history.js";
import {
  linkSchema,
  type LinkedCommand,
  type LinkedEvent,
  type LinkedRef,
  type LinkedSchema,
  type LinkedType,
} from "../../core/linked.js";
import { wireEmptyObject } from "../../core/schema.js";
import { finishHistory } from "./finish.js";
import { FactSeen, SeenSchema, SlotSeen, addTo, getOrAdd, type Snapshot, type TypeSeen } from "./seen.js";

export type { Snapshot } from "./seen.js";

/** The history being built: `add` each snapshot (the pinned source first), then `finish`. */
export class HistoryBuilder {
  private readonly snapshots: HistorySnapshot[] = [];
  private readonly seen = new SeenSchema();
  private readonly fromSource = new Set<string>();

  constructor(
    readonly sdk: string,
    /** Every release covered, oldest first. */
    readonly releases: readonly string[],
  ) {}

  add(snapshot: Snapshot): void {
    const { release, kind, label } = snapshot.info;
    if (!this.releases.includes(release)) throw new Error(`${label}: release ${release} is not in the history's list`);
    this.snapshots.push(snapshot.info);
    if (kind === "recording" && this.fromSource.has(release)) return;
    if (kind === "source") this.fromSource.add(release);
    new SnapshotWalk(this.seen, snapshot).walk();
  }

  finish(): History {
    return finishHistory(this.sdk, this.releases, this.snapshots, this.seen);
  }
}

/** One snapshot walked into the history, along its linked form (core/linked.ts). */
class SnapshotWalk {
  /** History type × snapshot type pairs merged already (a recursive type is walked once). */
  private readonly merged = new Set<string>();
  /** Types this snapshot added, by its own name. */
  private readonly added = new Map<string, TypeSeen>();
  private readonly linked: LinkedSchema;

  constructor(
    private readonly history: SeenSchema,
    private readonly snapshot: Snapshot,
  ) {
    this.linked = linkSchema(snapshot.wire);
  }

  walk(): void {
    for (const [name, c] of this.linked.commands) this.command(name, c);
    for (const [name, e] of this.linked.events) this.event(name, e);
  }

  private command(name: string, { command: c, arg, ret }: LinkedCommand): void {
    const seen = this.history.command(name);
    seen.fact.see(this.snapshot, c.features, c.if, this.since(`command:${name}`));
    if (c.allowOob) seen.oob.add(this.snapshot.info.release);
    if (c.gen === false) seen.open.add(this.snapshot.info.release);
    this.place(seen.arg, arg, `q_obj_${name}-arg`);
    this.place(seen.ret, ret, `${name}.return`);
  }

  private event(name: string, { event: e, data }: LinkedEvent): void {
    const seen = this.history.event(name);
    seen.fact.see(this.snapshot, e.features, e.if, this.since(`event:${name}`));
    this.place(seen.data, data, `q_obj_${name}-arg`);
  }

  /**
   * Finds (or creates) the history type that the snapshot's type at `ref`
   * fills at `slot`, merges the snapshot's type into it, and returns its name.
   * @param hint the new type's name when the snapshot's own cannot be used
   */
  private place(slot: SlotSeen, ref: LinkedRef, hint: string): string | undefined {
    const t = ref.type;
    if (!t) return undefined;
    const target = this.pair(slot, t) ?? this.create(t, hint);
    getOrAdd(slot.types, target.name, () => new Set()).add(this.snapshot.info.release);
    this.merge(target, t);
    return target.name;
  }

  /**
   * The history type `t` pairs with: its own name when that fits the slot,
   * else a type the slot already had, else its name anywhere; for a recording
   * every empty object is the source's shared one.
   */
  private pair(slot: SlotSeen, t: LinkedType): TypeSeen | undefined {
    const named = this.sourceName(t);
    const byName = named !== undefined ? this.history.types.get(named) : undefined;
    const fits = (h: TypeSeen | undefined): h is TypeSeen =>
      h !== undefined && this.compatible(h, t) && !this.standsForAnother(h, t.name);
    if (fits(byName) && (slot.types.size === 0 || slot.types.has(byName.name))) return byName;
    for (const h of slot.types.keys()) if (fits(this.history.types.get(h))) return this.history.types.get(h);
    if (fits(byName)) return byName;
    const empty = this.history.types.get(wireEmptyObject);
    if (empty && this.fromRecording && isEmptyObject(t)) return empty;
    const again = this.added.get(t.name);
    return fits(again) ? again : undefined;
  }

  private create(t: LinkedType, hint: string): TypeSeen {
    const created = this.history.newType(this.sourceName(t) ?? hint, t);
    this.added.set(t.name, created);
    return created;
  }

  /** A history type stands for one source type per release: its name there must stay one name. */
  private standsForAnother(h: TypeSeen, name: string): boolean {
    if (this.fromRecording) return false;
    const release = this.snapshot.info.release;
    return [...h.names].some(([other, releases]) => other !== name && releases.has(release));
  }

  /** A snapshot type's name when it is meaningful: sources name their types, introspection numbers them. */
  private sourceName(t: LinkedType): string | undefined {
    return !this.fromRecording || t.wire.meta === "builtin" ? t.name : undefined;
  }

  private get fromRecording(): boolean {
    return this.snapshot.wire.origin === "introspection";
  }

  /** Whether history type `h` can stand for snapshot type `t`. */
  private compatible(h: TypeSeen, t: LinkedType): boolean {
    const wire = t.wire;
    if (h.meta !== wire.meta) return false;
    if (wire.meta === "builtin") return h.json === wire.json;
    // The shared empty object never takes members: a command that had arguments gets its own type.
    if (h.name === wireEmptyObject && wire.meta === "object" && !isEmptyObject(t)) return false;
    // An array of another kind of element is another array type (a shared array must not mix them).
    if (t.element && h.element.types.size > 0) {
      const element = t.element.type;
      return (
        element !== undefined &&
        [...h.element.types.keys()].some((e) => this.compatible(this.history.types.get(e)!, element))
      );
    }
    return true;
  }

  /** Merges snapshot type `t` into history type `h`. */
  private merge(h: TypeSeen, t: LinkedType): void {
    const name = t.name;
    const key = `${h.name}\u0000${name}`;
    if (this.merged.has(key)) return;
    this.merged.add(key);
    const wire = t.wire;
    h.fact.see(this.snapshot, wire.features, wire.if, this.since(`type:${name}`));
    if (!this.fromRecording) addTo(h.names, name, this.snapshot.info.release);
    switch (wire.meta) {
      case "enum":
        for (const v of wire.values)
          this.fact(h.values, v.name).see(this.snapshot, v.features, v.if, this.since(name, `.${v.name}`));
        break;
      case "object":
        h.tag ??= wire.tag;
        for (const linkedMember of t.members) {
          const m = linkedMember.member;
          const seen = getOrAdd(h.members, m.name, () => ({
            fact: new FactSeen(),
            slot: new SlotSeen(),
            optional: new Set<string>(),
          }));
          seen.fact.see(this.snapshot, m.features, m.if, this.since(name, `.${m.name}`));
          if (m.optional) seen.optional.add(this.snapshot.info.release);
          this.place(seen.slot, linkedMember, `${h.name}.${m.name}`);
        }
        for (const linkedVariant of t.variants) {
          const v = linkedVariant.variant;
          const seen = getOrAdd(h.branches, v.case, () => ({ fact: new FactSeen(), slot: new SlotSeen() }));
          seen.fact.see(this.snapshot, [], v.if, this.since(name, `{${v.case}}`));
          this.place(seen.slot, linkedVariant, `${h.name}{${v.case}}`);
        }
        break;
      case "array":
        this.place(h.element, t.element!, `${h.name}[]`);
        break;
      case "alternate":
        t.alternatives.forEach((alternative, i) => {
          // Alternatives pair by JSON category: at most one per category.
          const cat = alternative.type?.category ?? "unknown";
          const existing = [...h.alternatives.keys()].find((x) => this.history.types.get(x)?.category === cat);
          const slot = new SlotSeen();
          if (existing) slot.types.set(existing, new Set());
          const placed = this.place(slot, alternative, `${h.name}|${cat}`);
          if (placed) this.fact(h.alternatives, placed).see(this.snapshot, [], wire.alternatives[i]!.if, undefined);
        });
        break;
      case "builtin":
        break;
    }
  }

  private fact(map: Map<string, FactSeen>, key: string): FactSeen {
    return getOrAdd(map, key, () => new FactSeen());
  }

  /** The source's `Since:` of an entity (`command:NAME`), or of a member, value or branch of type `type`. */
  private since(entity: string, member?: string): string | undefined {
    const facts = this.snapshot.since;
    return member === undefined ? facts?.entities.get(entity) : facts?.members.get(`${entity}${member}`);
  }
}

/** An object type with no members and no branches (every such type is the same on the wire). */
function isEmptyObject(t: LinkedType): boolean {
  return t.wire.meta === "object" && t.members.length === 0 && t.variants.length === 0;
}
