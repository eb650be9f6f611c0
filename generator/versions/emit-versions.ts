/**
 * The per-SDK version module (generated/<sdk>/versions.ts) from that SDK's
 * version history (core/history.ts): for the pinned release's
 * commands and events, the releases that have them, and for each command's
 * arguments a tree of what some release lacks — members at any depth, enum
 * values, union branches (through their tag values). The interfaces drive the
 * type-level narrowing of runtime/versions.ts; `narrow(client, "7.2.0")` is
 * the one-liner users call. Written by `qapi-ts history` with the history,
 * through the printer (generator/printer/generated-file.ts), as every
 * generated file is; the declared names carry the SDK's (`QemuVersion`,
 * `QgaVersion`, `qsdVersionIndex`).
 */
import { compareReleases } from "../../core/release.js";
import { GeneratedFile, importSymbol } from "../printer/generated-file.js";
import { lineCommentText } from "../printer/escape.js";
import { HistoryReader, type History, type HistoryFact, type HistoryType } from "../../core/history.js";

/** A node of the argument tree: own releases when partial, partial members and enum values below. */
export interface ArgumentNode {
  $in?: string[];
  members?: Record<string, ArgumentNode>;
  values?: Record<string, string[]>;
}

const quote = (s: string) => JSON.stringify(s);
const union = (vs: readonly string[]) => (vs.length === 0 ? "never" : vs.map(quote).join(" | "));

/** What either of two nodes allows: a restriction survives only where both make it. */
function unionNodes(a: ArgumentNode, b: ArgumentNode): ArgumentNode {
  const out: ArgumentNode = {};
  if (a.$in && b.$in) out.$in = [...new Set([...a.$in, ...b.$in])].sort(compareReleases);
  for (const [m, n] of Object.entries(a.members ?? {})) {
    const other = b.members?.[m];
    if (other) (out.members ??= {})[m] = unionNodes(n, other);
  }
  for (const [v, vs] of Object.entries(a.values ?? {})) {
    const other = b.values?.[v];
    if (other) (out.values ??= {})[v] = [...new Set([...vs, ...other])].sort(compareReleases);
  }
  return out;
}

/** The version data the module carries: partial commands, events and argument trees. */
export interface VersionData {
  readonly releases: readonly string[];
  readonly commands: Record<string, string[]>;
  readonly events: Record<string, string[]>;
  readonly arguments: Record<string, ArgumentNode>;
}

/** Computes the module's data from a history (types and names of its pinned, newest release). */
export function versionData(history: History): VersionData {
  const read = new HistoryReader(history);
  const releases = history.releases;
  const pinned = releases.at(-1)!;
  const list = (set: Set<string>) => releases.filter((r) => set.has(r));
  const partial = (f: HistoryFact, scope: Set<string>, parent?: HistoryFact): string[] | undefined => {
    const own = read.releasesOf(f, parent);
    return [...scope].every((r) => own.has(r)) ? undefined : list(new Set([...scope].filter((r) => own.has(r))));
  };
  const commands: Record<string, string[]> = {};
  const events: Record<string, string[]> = {};
  const args: Record<string, ArgumentNode> = {};

  /** The tree below a value of type `name` used in releases `scope`; undefined when nothing is partial. */
  const node = (name: string, scope: Set<string>, path: Set<string>): ArgumentNode | undefined => {
    const t: HistoryType | undefined = history.types[name];
    if (!t || path.has(name) || scope.size === 0) return undefined;
    const inner = new Set(path).add(name);
    const out: ArgumentNode = {};
    if (t.meta === "enum") {
      for (const [v, f] of Object.entries(t.values ?? {})) {
        if (!read.has(f, pinned, false, t)) continue;
        const p = partial(f, scope, t);
        if (p) (out.values ??= {})[v] = p;
      }
    } else if (t.meta === "array" && t.element !== undefined) {
      return node(read.slot(t.element, pinned), scope, inner);
    } else if (t.meta === "alternate") {
      // Alternatives share one place in the TypeScript type: their trees merge.
      for (const alt of Object.keys(t.alternatives ?? {})) {
        const sub = node(alt, scope, inner);
        if (sub?.members) out.members = { ...out.members, ...sub.members };
        if (sub?.values) out.values = { ...out.values, ...sub.values };
      }
    } else if (t.meta === "object") {
      for (const [m, f] of Object.entries(t.members ?? {})) {
        if (!read.has(f, pinned, false, t)) continue;
        const own = read.releasesOf(f, t);
        const memberScope = new Set([...scope].filter((r) => own.has(r)));
        const sub = node(read.slot(f.type, pinned), memberScope, inner) ?? {};
        const p = partial(f, scope, t);
        if (p) sub.$in = p;
        if (Object.keys(sub).length > 0) (out.members ??= {})[m] = sub;
      }
      // Branch members appear flat in the TypeScript union, so one member name
      // gets one node for every branch: a restriction holds only where every
      // branch that has the member restricts it (merged by union).
      const byMember = new Map<string, (ArgumentNode | undefined)[]>();
      for (const [, b] of Object.entries(t.branches ?? {})) {
        if (!read.has(b, pinned, false, t)) continue;
        const branchType = history.types[read.slot(b.type, pinned)];
        const sub = node(read.slot(b.type, pinned), scope, inner);
        for (const [m, f] of Object.entries(branchType?.members ?? {})) {
          if (!read.has(f, pinned, false, branchType) || out.members?.[m]) continue;
          (byMember.get(m) ?? byMember.set(m, []).get(m)!).push(sub?.members?.[m]);
        }
      }
      for (const [m, nodes] of byMember) {
        const merged = nodes.reduce<ArgumentNode | undefined>(
          (a, b) => (a === undefined || b === undefined ? undefined : unionNodes(a, b)),
          nodes[0],
        );
        if (merged && Object.keys(merged).length > 0) (out.members ??= {})[m] = merged;
      }
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };

  for (const [name, c] of Object.entries(history.commands)) {
    if (!read.has(c, pinned)) continue;
    const scope = read.releasesOf(c);
    const p = partial(c, new Set(releases));
    if (p) commands[name] = p;
    const tree = node(read.slot(c.arg, pinned), scope, new Set());
    if (tree?.members) args[name] = { members: tree.members };
  }
  for (const [name, e] of Object.entries(history.events)) {
    if (!read.has(e, pinned)) continue;
    const p = partial(e, new Set(releases));
    if (p) events[name] = p;
  }
  return { releases, commands, events, arguments: args };
}

/** Name of the alias for "release R and every later one". */
const fromAlias = (release: string) => `From_${release.replaceAll(".", "_")}`;

/** A union of releases; one that runs to the newest release is written as its `From_x_y_z` alias. */
function releasesType(releases: readonly string[], vs: readonly string[]): string {
  const start = releases.length - vs.length;
  if (vs.length > 1 && vs.every((v, i) => releases[start + i] === v)) return fromAlias(vs[0]!);
  return union(vs);
}

/** An argument tree node as a type literal; `releases` are the history's, for the `From_` aliases. */
function nodeType(releases: readonly string[], n: ArgumentNode): string {
  const parts: string[] = [];
  if (n.$in) parts.push(`$in: ${releasesType(releases, n.$in)}`);
  if (n.members)
    parts.push(
      `members: { ${Object.entries(n.members)
        .map(([m, c]) => `${quote(m)}: ${nodeType(releases, c)}`)
        .join("; ")} }`,
    );
  if (n.values)
    parts.push(
      `values: { ${Object.entries(n.values)
        .map(([v, vs]) => `${quote(v)}: ${releasesType(releases, vs)}`)
        .join("; ")} }`,
    );
  return `{ ${parts.join("; ")} }`;
}

/** The names a version module declares, after its SDK: `Qemu…` for QEMU's, `Qga…` for the guest agent's. */
export function versionNames(sdk: string) {
  const stem = sdk.replace(/[^A-Za-z0-9]/g, "");
  const prefix = stem.charAt(0).toUpperCase() + stem.slice(1);
  return {
    version: `${prefix}Version`,
    commandVersions: `${prefix}CommandVersions`,
    eventVersions: `${prefix}EventVersions`,
    argumentTree: `${prefix}ArgumentTree`,
    index: `${stem.charAt(0).toLowerCase()}${stem.slice(1)}VersionIndex`,
  };
}

/**
 * The module, through the printer (imports from the symbols used).
 * @param sdk the SDK's name (qemu, qga, qsd): the declared names carry it (versionNames)
 * @param sources where the data came from, for the header
 */
export function emitVersionModule(data: VersionData, sdk: string, sources: string): GeneratedFile {
  const releases = data.releases;
  const names = versionNames(sdk);
  const f = new GeneratedFile("versions.ts", [
    `// Code generated by qapi-ts (generator/versions/emit-versions.ts) from the version history ${lineCommentText(sources)}. DO NOT EDIT.`,
    "// Regenerate: npm run history",
    "/* eslint-disable */",
  ]);
  const commandsAvailableIn = importSymbol("CommandsAvailableIn", "../../runtime/versions.js", true);
  const eventsAvailableIn = importSymbol("EventsAvailableIn", "../../runtime/versions.js", true);
  const qmpClient = importSymbol("QmpClient", "../../runtime/index.js", true);
  const commandMap = importSymbol("CommandMap", "./commands.js", true);
  const eventMap = importSymbol("EventMap", "./events.js", true);
  for (const name of [names.version, names.commandVersions, names.eventVersions, names.argumentTree])
    f.declare(name, true);
  for (const r of releases.slice(0, -1)) f.declare(fromAlias(r), true);
  for (const name of ["CommandsSince", "EventsSince", "ClientFor"]) f.declare(name, true);
  for (const name of ["narrow", names.index]) f.declare(name, false);

  f.print("/** The QEMU releases the history of this SDK covers, oldest first. */");
  f.print(`export type ${names.version} = ${union(releases)};`);
  f.print();
  f.print("/** A release and every later one. */");
  releases.slice(0, -1).forEach((r, i) => f.print(`export type ${fromAlias(r)} = ${union(releases.slice(i))};`));
  f.print();
  f.print("/** Commands some release lacks → the releases that have them. */");
  f.print(`export interface ${names.commandVersions} {`);
  for (const [name, vs] of Object.entries(data.commands)) f.print(`  ${quote(name)}: ${releasesType(releases, vs)};`);
  f.print("}");
  f.print();
  f.print("/** Events some release lacks → the releases that have them. */");
  f.print(`export interface ${names.eventVersions} {`);
  for (const [name, vs] of Object.entries(data.events)) f.print(`  ${quote(name)}: ${releasesType(releases, vs)};`);
  f.print("}");
  f.print();
  f.print(
    "/** Per command, what some release of it lacks in its arguments: members (`$in`: releases that have one) at any depth, enum values. */",
  );
  f.print(`export interface ${names.argumentTree} {`);
  for (const [name, n] of Object.entries(data.arguments)) f.print(`  ${quote(name)}: ${nodeType(releases, n)};`);
  f.print("}");
  f.print();
  f.print(
    "/** Command map `M` (a generated SDK's CommandMap) as release `V` has it: calls to later commands, arguments or values do not compile. */",
  );
  f.print(
    `export type CommandsSince<M, V extends ${names.version}> = `,
    commandsAvailableIn,
    `<M, V, ${names.commandVersions}, ${names.argumentTree}>;`,
  );
  f.print();
  f.print("/** Event map `E` as release `V` has it. */");
  f.print(
    `export type EventsSince<E, V extends ${names.version}> = `,
    eventsAvailableIn,
    `<E, V, ${names.eventVersions}>;`,
  );
  f.print();
  f.print("/** A client of this SDK typed for release `V`. */");
  f.print(
    `export type ClientFor<V extends ${names.version}> = `,
    qmpClient,
    "<CommandsSince<",
    commandMap,
    ", V>, EventsSince<",
    eventMap,
    ", V>>;",
  );
  f.print();
  f.print("/**");
  f.print(
    ' * The same client, typed for release `version`: `const c72 = narrow(client, "7.2.0")`. Only the type changes;',
  );
  f.print(" * calls that release lacks (commands, arguments, enum values) no longer compile.");
  f.print(" */");
  f.print(
    `export function narrow<V extends ${names.version}>(client: `,
    qmpClient,
    "<",
    commandMap,
    ", ",
    eventMap,
    ">, version: V): ClientFor<V> {",
  );
  f.print("  void version;");
  f.print("  return client as unknown as ClientFor<V>;");
  f.print("}");
  f.print();
  f.print("/** Releases, and partial commands and events, as data (the argument trees are in the history file). */");
  f.print(
    `export const ${names.index} = ${JSON.stringify({ releases, commands: data.commands, events: data.events })} as const;`,
  );
  return f;
}
