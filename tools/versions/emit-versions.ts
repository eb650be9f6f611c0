/**
 * The per-SDK version module (generated/<sdk>/versions.ts) from that SDK's
 * version history (core/history.ts): for the pinned release's
 * commands and events, the releases that have them, and for each command's
 * arguments, each command's return and each event's data a tree of what
 * some release has otherwise — members at any depth it lacks or makes
 * required or optional, enum values it lacks, union branches (through their
 * tag values). The interfaces drive the
 * type-level narrowing of runtime/versions.ts; `narrow(client, "7.2.0")` is
 * the one-liner users call. Written by `qapi-ts history` with the history,
 * through the printer (generator/printer/generated-file.ts), as every
 * generated file is; the declared names carry the SDK's (`QemuVersion`,
 * `QgaVersion`, `qsdVersionIndex`).
 */
import { compareReleases } from "../../core/release.js";
import { GeneratedFile, importSymbol } from "../../generator/printer/generated-file.js";
import { lineCommentText } from "../../generator/printer/escape.js";
import { encodeRanges, HistoryReader, type History, type HistoryFact, type HistoryType } from "../../core/history.js";

/**
 * A node of a tree: own releases when partial; for a member, the releases
 * where it is required though the pinned release has it optional (`$req`)
 * or the reverse (`$opt`); partial members and enum values below.
 */
export interface ArgumentNode {
  $in?: string[];
  $req?: string[];
  $opt?: string[];
  members?: Record<string, ArgumentNode>;
  values?: Record<string, string[]>;
}

const quote = (s: string) => JSON.stringify(s);
const union = (vs: readonly string[]) => (vs.length === 0 ? "never" : vs.map(quote).join(" | "));

/** What either of two nodes allows: a restriction survives only where both make it. */
function unionNodes(a: ArgumentNode, b: ArgumentNode): ArgumentNode {
  const out: ArgumentNode = {};
  if (a.$in && b.$in) out.$in = [...new Set([...a.$in, ...b.$in])].sort(compareReleases);
  // Optionality changes only where every branch with the member changes it.
  for (const key of ["$req", "$opt"] as const) {
    const both = a[key]?.filter((r) => b[key]?.includes(r));
    if (both && both.length > 0) out[key] = both;
  }
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
  readonly returns: Record<string, ArgumentNode>;
  readonly eventData: Record<string, ArgumentNode>;
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
  const returns: Record<string, ArgumentNode> = {};
  const eventData: Record<string, ArgumentNode> = {};

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
        const optional = (r: string) => f.opt === true || (typeof f.opt === "string" && read.set(f.opt).has(r));
        const changed = list(new Set([...memberScope].filter((r) => optional(r) !== optional(pinned))));
        if (changed.length > 0) sub[optional(pinned) ? "$req" : "$opt"] = changed;
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
    const ret = node(read.slot(c.ret, pinned), scope, new Set());
    if (ret) returns[name] = ret;
  }
  for (const [name, e] of Object.entries(history.events)) {
    if (!read.has(e, pinned)) continue;
    const p = partial(e, new Set(releases));
    if (p) events[name] = p;
    const tree = node(read.slot(e.data, pinned), read.releasesOf(e), new Set());
    if (tree?.members) eventData[name] = { members: tree.members };
  }
  return { releases, commands, events, arguments: args, returns, eventData };
}

/** Name of the alias for "release R and every later one". */
const fromAlias = (release: string) => `From_${release.replaceAll(".", "_")}`;

/**
 * A union of releases, written by runs: a run to the newest release is its
 * `From_x_y_z` alias, a single release its literal, any other run
 * `Exclude<From_a, From_b>` (b: the release after the run).
 */
function releasesType(releases: readonly string[], vs: readonly string[]): string {
  const have = new Set(vs);
  const parts: string[] = [];
  for (let i = 0; i < releases.length; i++) {
    if (!have.has(releases[i]!)) continue;
    let j = i;
    while (j + 1 < releases.length && have.has(releases[j + 1]!)) j++;
    if (j === releases.length - 1) parts.push(i === j ? quote(releases[i]!) : fromAlias(releases[i]!));
    else if (i === j) parts.push(quote(releases[i]!));
    else parts.push(`Exclude<${fromAlias(releases[i]!)}, ${fromAlias(releases[j + 1]!)}>`);
    i = j;
  }
  return parts.length === 0 ? "never" : parts.join(" | ");
}

/** An argument tree node as a type literal; `releases` are the history's, for the `From_` aliases. */
function nodeType(releases: readonly string[], n: ArgumentNode): string {
  const parts: string[] = [];
  if (n.$in) parts.push(`$in: ${releasesType(releases, n.$in)}`);
  if (n.$req) parts.push(`$req: ${releasesType(releases, n.$req)}`);
  if (n.$opt) parts.push(`$opt: ${releasesType(releases, n.$opt)}`);
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
    returnTree: `${prefix}ReturnTree`,
    eventTree: `${prefix}EventTree`,
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
    `// Code generated by qapi-ts (tools/versions/emit-versions.ts) from the version history ${lineCommentText(sources)}. DO NOT EDIT.`,
    "// Regenerate: npm run history",
    "/* eslint-disable */",
  ]);
  const commandsAvailableIn = importSymbol("CommandsAvailableIn", "../../runtime/versions.js", true);
  const eventsAvailableIn = importSymbol("EventsAvailableIn", "../../runtime/versions.js", true);
  const qmpClient = importSymbol("QmpClient", "../../runtime/index.js", true);
  const commandMap = importSymbol("CommandMap", "./commands.js", true);
  const eventMap = importSymbol("EventMap", "./events.js", true);
  for (const name of [
    names.version,
    names.commandVersions,
    names.eventVersions,
    names.argumentTree,
    names.returnTree,
    names.eventTree,
  ])
    f.declare(name, true);
  for (const r of releases) f.declare(fromAlias(r), true);
  for (const name of ["CommandsSince", "EventsSince", "ClientFor"]) f.declare(name, true);
  for (const name of ["narrow", names.index]) f.declare(name, false);

  f.print("/** The QEMU releases the history of this SDK covers, oldest first. */");
  f.print(`export type ${names.version} = ${union(releases)};`);
  f.print();
  f.print("/** A release and every later one. */");
  releases.forEach((r, i) => {
    const next = releases[i + 1];
    f.print(`export type ${fromAlias(r)} = ${quote(r)}${next !== undefined ? ` | ${fromAlias(next)}` : ""};`);
  });
  f.print();
  /** One interface: entry name → its type. */
  const table = <T>(doc: string, name: string, entries: Record<string, T>, type: (value: T) => string) => {
    f.print(`/** ${doc} */`);
    f.print(`export interface ${name} {`);
    for (const [key, value] of Object.entries(entries)) f.print(`  ${quote(key)}: ${type(value)};`);
    f.print("}");
    f.print();
  };
  const ranges = (vs: string[]) => releasesType(releases, vs);
  const tree = (n: ArgumentNode) => nodeType(releases, n);
  table("Commands some release lacks → the releases that have them.", names.commandVersions, data.commands, ranges);
  table("Events some release lacks → the releases that have them.", names.eventVersions, data.events, ranges);
  table(
    "Per command, what some release has otherwise in its arguments: members (`$in`: releases that have one; `$req`/`$opt`: where required/optional unlike the pinned release) at any depth, enum values.",
    names.argumentTree,
    data.arguments,
    tree,
  );
  table("Per command, what some release has otherwise in what it returns.", names.returnTree, data.returns, tree);
  table("Per event, what some release has otherwise in its data.", names.eventTree, data.eventData, tree);
  f.print(
    "/** Command map `M` (a generated SDK's CommandMap) as release `V` has it: calls to later commands, arguments or values do not compile. */",
  );
  f.print(
    `export type CommandsSince<M, V extends ${names.version}> = `,
    commandsAvailableIn,
    `<M, V, ${names.commandVersions}, ${names.argumentTree}, ${names.returnTree}>;`,
  );
  f.print();
  f.print("/** Event map `E` as release `V` has it. */");
  f.print(
    `export type EventsSince<E, V extends ${names.version}> = `,
    eventsAvailableIn,
    `<E, V, ${names.eventVersions}, ${names.eventTree}>;`,
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
  f.print(
    " * calls that release lacks (commands, arguments, enum values) no longer compile, and replies and event data are typed as it sends them.",
  );
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
  f.print(
    '/** Releases, and partial commands and events as ranges over them ("4.2.0-5.2.0,7.2.0"; core/history.ts decodeRanges), as data (the trees are in the history file). */',
  );
  const encoded = (m: Record<string, string[]>) =>
    Object.fromEntries(Object.entries(m).map(([n, vs]) => [n, encodeRanges(releases, new Set(vs))]));
  f.print(
    `export const ${names.index} = ${JSON.stringify({ releases, commands: encoded(data.commands), events: encoded(data.events) })} as const;`,
  );
  return f;
}
