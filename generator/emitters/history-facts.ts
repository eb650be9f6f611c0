/**
 * What a version history (generated/history/<sdk>.json, format in
 * core/history.ts) says about the schema being generated, for the
 * docs: the release each command, event, member, enum value, union branch and
 * alternative (and type) first appeared in, and the release it became
 * deprecated in.
 * context.ts builds it once per generation when `GenerateOptions.history` is
 * given; doc-facts.ts turns the answers into `@since` and `@deprecated` lines.
 *
 * The history's names are those of the schema it was built for (the pinned
 * release's); a name it does not know gets no answer, and its docs keep what
 * the doc comment says. A base type's members are recorded flattened into the
 * types built on it (introspection has no bases), so a base's member is
 * answered from every type that has the base, the earliest release winning.
 */
import { HistoryReader, type History, type HistoryFact, type HistoryType } from "../../core/history.js";
import { compareReleases, releaseNumbers } from "../../core/release.js";
import { UserFacingError } from "../errors.js";
import type { AnyType, EnumMember, ObjectMember, ObjectType } from "../model/entities.js";
import type { Schema } from "../model/schema.js";

/**
 * The releases a first appearance lies in: from `earliest` to `latest`
 * (the history's releases); `earliest` null when `latest` is the first release
 * the history covers, so it may be any release up to that one.
 */
export interface ReleaseSpan {
  readonly earliest: string | null;
  readonly latest: string;
}

/** What the history knows of one command, event, member, value, branch or alternative. */
export interface HistoryAppearance {
  /** The release it first appeared in. */
  readonly since: ReleaseSpan;
  /**
   * The release its current deprecation (feature `deprecated`) started in,
   * when the history has the feature: features are known only where a
   * snapshot is, so the span reaches back over the releases without one.
   */
  readonly deprecatedSince?: ReleaseSpan;
}

/** Where a member-like entry sits in a history type. */
type Slot = "members" | "values" | "branches" | "alternatives";

/** The history's answers for one schema. */
export class HistoryFacts {
  private readonly read: HistoryReader;
  private readonly releases: readonly string[];
  /** Object type name → the object types built on it, directly or not. */
  private readonly derived = new Map<string, ObjectType[]>();
  /** Types' answers, asked again for each of their values and branches. */
  private readonly types = new Map<string, HistoryAppearance | undefined>();

  /**
   * @throws UserFacingError when the history names a release it does not list (a corrupt file)
   */
  constructor(
    readonly history: History,
    schema: Schema,
  ) {
    this.read = new HistoryReader(history);
    this.releases = history.releases;
    for (const defn of schema.allDefinitions()) {
      if (defn.kind !== "object") continue;
      for (let base = defn.base; base; base = base.base) {
        const list = this.derived.get(base.name) ?? [];
        list.push(defn);
        this.derived.set(base.name, list);
      }
    }
  }

  command(name: string): HistoryAppearance | undefined {
    const fact = this.history.commands[name];
    return fact ? this.appearance([[fact, undefined]]) : undefined;
  }

  event(name: string): HistoryAppearance | undefined {
    const fact = this.history.events[name];
    return fact ? this.appearance([[fact, undefined]]) : undefined;
  }

  /** A type (an object type: also where the types built on it have been, as the history records bases only flattened). */
  type(t: AnyType): HistoryAppearance | undefined {
    if (this.types.has(t.name)) return this.types.get(t.name);
    const found: [HistoryFact, undefined][] = [];
    for (const u of [t, ...(t.kind === "object" ? (this.derived.get(t.name) ?? []) : [])]) {
      const fact = this.history.types[u.name];
      if (fact) found.push([fact, undefined]);
    }
    const answer = found.length > 0 ? this.appearance(found) : undefined;
    this.types.set(t.name, answer);
    return answer;
  }

  /** A member, enum value, union branch or alternative of `container` (the type declaring it). */
  member(container: AnyType, member: ObjectMember | EnumMember): HistoryAppearance | undefined {
    const found: [HistoryFact, HistoryType][] = [];
    const look = (typeName: string, slot: Slot, key: string) => {
      const type = this.history.types[typeName];
      const fact = type?.[slot]?.[key];
      if (type && fact) found.push([fact, type]);
    };
    if (container.kind === "enum") look(container.name, "values", member.name);
    else if (container.kind === "alternate" && member.role === "branch")
      look(container.name, "alternatives", (member as ObjectMember).type.name);
    else if (member.role === "branch") look(container.name, "branches", member.name);
    else for (const t of [container, ...(this.derived.get(container.name) ?? [])]) look(t.name, "members", member.name);
    return found.length > 0 ? this.appearance(found) : undefined;
  }

  /** The earliest first appearance and deprecation among the facts (one entity, or a base member in several types). */
  private appearance(facts: readonly [HistoryFact, HistoryType | undefined][]): HistoryAppearance | undefined {
    try {
      let since: ReleaseSpan | undefined;
      let deprecatedSince: ReleaseSpan | undefined;
      for (const [fact, parent] of facts) {
        const present = this.read.releasesOf(fact, parent);
        const first = this.releases.findIndex((r) => present.has(r));
        if (first < 0) continue;
        // Releases the history cannot decide, before the first that has it, may have had it too.
        const maybe = this.read.set(fact.maybe);
        let earliest = first;
        while (earliest > 0 && maybe.has(this.releases[earliest - 1]!)) earliest--;
        since = earlier(since, this.span(earliest, first));
        const deprecated = fact.features?.["deprecated"];
        if (deprecated) {
          const start = this.lastRunStart(this.read.set(deprecated));
          let from = start;
          while (from > 0 && !this.read.observed.has(this.releases[from - 1]!)) from--;
          if (start >= 0) deprecatedSince = earlier(deprecatedSince, this.span(from, start));
        }
      }
      return since ? { since, ...(deprecatedSince ? { deprecatedSince } : {}) } : undefined;
    } catch (error) {
      throw new UserFacingError(`version history: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private span(earliest: number, latest: number): ReleaseSpan {
    return { earliest: earliest === 0 ? null : this.releases[earliest]!, latest: this.releases[latest]! };
  }

  /** The index of the first release of the newest unbroken run in `set`; -1 when empty. */
  private lastRunStart(set: ReadonlySet<string>): number {
    let i = this.releases.length - 1;
    while (i >= 0 && !set.has(this.releases[i]!)) i--;
    while (i > 0 && set.has(this.releases[i - 1]!)) i--;
    return i;
  }
}

function earlier(a: ReleaseSpan | undefined, b: ReleaseSpan): ReleaseSpan {
  if (!a) return b;
  return compareReleases(b.latest, a.latest) < 0 ? b : a;
}

/** A history release as docs write it: `7.1` for 7.1.0, `10.2.2` as is. */
export function shortRelease(release: string): string {
  return release.replace(/^(\d+\.\d+)\.0$/, "$1");
}

/** The span in words: `7.1`, `4.2 or earlier`, `between 10.1 and 10.2.2`. */
export function describeSpan(span: ReleaseSpan): string {
  if (span.earliest === null) return `${shortRelease(span.latest)} or earlier`;
  if (span.earliest === span.latest) return shortRelease(span.latest);
  return `between ${shortRelease(span.earliest)} and ${shortRelease(span.latest)}`;
}

/**
 * Whether a doc's Since version agrees with the span: it lies within it (at
 * or before `latest` when `earliest` is open). A doc's `7.1` means 7.1.0.
 */
export function sinceAgrees(docSince: string, span: ReleaseSpan): boolean {
  if (releaseNumbers(docSince) === null) return false;
  if (compareReleases(docSince, span.latest) > 0) return false;
  return span.earliest === null || compareReleases(docSince, span.earliest) >= 0;
}

/**
 * The schema's commands and events a history does not know (a history of
 * another schema, or of another release than the one generated from), and how
 * many there are, for a warning.
 */
export function historyCoverage(history: History, schema: Schema): { unknown: string[]; total: number } {
  const unknown: string[] = [];
  let total = 0;
  for (const defn of schema.allDefinitions()) {
    if (defn.kind !== "command" && defn.kind !== "event") continue;
    total++;
    if (!(defn.kind === "command" ? history.commands : history.events)[defn.name]) unknown.push(defn.name);
  }
  return { unknown, total };
}
