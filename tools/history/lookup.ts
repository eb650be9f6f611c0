/**
 * Answers "in which releases does NAME exist?" from a version history: NAME
 * is a command, an event, a type, `Type.member`, `Type.value` (an enum
 * value), `Type.branch` (a union branch), `command.argument` or
 * `command.member` of what the command returns (of each element, for a
 * list). Used by
 * `qapi-ts versions` (tools/cli/versions.ts), which prints the answer.
 */
import { encodeRanges, HistoryReader, type History, type HistoryFact, type HistoryMember } from "../../core/history.js";

/** One answer. */
export interface VersionsAnswer {
  /** What was found: "command 'query-status'", "member 'singlestep' of type 'StatusInfo'". */
  readonly what: string;
  /** Releases that have it. */
  readonly releases: string;
  /** Releases a snapshot showed it in, and which kinds of snapshot did. */
  readonly seen: string;
  readonly seenIn: { readonly sources: string; readonly recordings: string };
  readonly maybe?: string;
  readonly since?: string;
  /** Build condition per release range, "" when unconditional. */
  readonly conditions?: Readonly<Record<string, string>>;
  readonly targets?: Readonly<Record<string, string>>;
  readonly features: Readonly<Record<string, string>>;
  /** Members whose optionality changed: the releases where it is required, and where optional. */
  readonly optionality?: { readonly required: string; readonly optional: string };
}

/** Up to five known names close to `name` (same words in another order, one typo, or containing it), for "did you mean". */
export function similarNames(history: History, name: string): string[] {
  const all = [...Object.keys(history.commands), ...Object.keys(history.events), ...Object.keys(history.types)];
  const lower = name.toLowerCase();
  const close = (a: string, b: string) => {
    if (Math.abs(a.length - b.length) > 2) return false;
    // Edit distance at most 2, on short rows.
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++)
        row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row;
    }
    return prev[b.length]! <= 2;
  };
  const head = lower.split(".")[0]!;
  return all
    .filter((n) => close(n.toLowerCase(), head) || (head.length >= 4 && n.toLowerCase().includes(head)))
    .slice(0, 5);
}

/** `table[key]` when the table itself has it: a name such as `constructor` must not find Object.prototype's. */
function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Finds NAME in the history; an empty list when nothing matches. */
export function lookUpVersions(history: History, name: string): VersionsAnswer[] {
  const read = new HistoryReader(history);
  const sources = new Set(history.snapshots.filter((s) => s.kind === "source").map((s) => s.release));
  const recordings = new Set(history.snapshots.filter((s) => s.kind === "recording").map((s) => s.release));
  const answer = (what: string, fact: HistoryFact, parent?: HistoryFact): VersionsAnswer => {
    const inSet = read.releasesOf(fact, parent);
    const seen = read.seenIn(fact, parent);
    const enc = (s: Set<string>) => encodeRanges(history.releases, s);
    const since = read.since(fact, parent);
    const conditions =
      fact.if === undefined
        ? undefined
        : typeof fact.if === "string"
          ? { [enc(inSet)]: fact.if }
          : Object.fromEntries(Object.entries(fact.if).map(([c, r]) => [r, c]));
    return {
      what,
      releases: enc(inSet),
      seen: enc(seen),
      seenIn: {
        sources: enc(new Set([...seen].filter((r) => sources.has(r)))),
        recordings: enc(new Set([...seen].filter((r) => recordings.has(r)))),
      },
      ...(fact.maybe ? { maybe: fact.maybe } : {}),
      ...(since ? { since } : {}),
      ...(conditions ? { conditions } : {}),
      ...(fact.targets ? { targets: fact.targets } : {}),
      features: { ...fact.features },
      ...optionality(fact, inSet),
    };
  };
  /** A member optional in some releases only: where it is required, where optional. */
  const optionality = (fact: HistoryFact, inSet: Set<string>) => {
    const opt = (fact as HistoryMember).opt;
    if (typeof opt !== "string") return {};
    const optional = read.set(opt);
    const required = new Set([...inSet].filter((r) => !optional.has(r)));
    const enc = (s: Set<string>) => encodeRanges(history.releases, s);
    return { optionality: { required: enc(required), optional: enc(optional) } };
  };
  const out: VersionsAnswer[] = [];
  const command = own(history.commands, name);
  if (command) out.push(answer(`command '${name}'`, command));
  const event = own(history.events, name);
  if (event) out.push(answer(`event '${name}'`, event));
  const type = own(history.types, name);
  if (type) out.push(answer(`type '${name}'`, type));
  // Type.part or command.argument: type names may hold dots themselves, so try every split.
  for (let i = name.indexOf("."); i > 0; i = name.indexOf(".", i + 1)) {
    const owner = name.slice(0, i);
    const part = name.slice(i + 1);
    const ownerCommand = own(history.commands, owner);
    const typeName = own(history.types, owner)
      ? owner
      : ownerCommand
        ? read.slot(ownerCommand.arg, history.releases.at(-1)!)
        : undefined;
    const t = typeName !== undefined ? own(history.types, typeName) : undefined;
    if (!t) continue;
    const label = ownerCommand && !own(history.types, owner) ? `argument '${part}' of command '${owner}'` : undefined;
    const member = own(t.members, part);
    if (member) out.push(answer(label ?? `member '${part}' of type '${owner}'`, member, t));
    // A member of what the command returns (each element's, for a list).
    if (ownerCommand && !own(history.types, owner) && !member) {
      let ret = own(history.types, read.slot(ownerCommand.ret, history.releases.at(-1)!));
      if (ret?.meta === "array" && ret.element !== undefined)
        ret = own(history.types, read.slot(ret.element, history.releases.at(-1)!));
      const returned = own(ret?.members, part);
      if (returned) out.push(answer(`member '${part}' of what command '${owner}' returns`, returned, ret));
    }
    const value = own(t.values, part);
    if (value) out.push(answer(`value '${part}' of enum '${owner}'`, value, t));
    const branch = own(t.branches, part);
    if (branch) out.push(answer(`branch '${part}' of union '${owner}'`, branch, t));
  }
  return out;
}
