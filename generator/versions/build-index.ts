/**
 * The version index: which QEMU versions have each command, event, top-level
 * command argument, and each member, enum value and union branch of the
 * newest version's types. Computed from several schemas (sources or
 * introspection files, via load-side.ts), newest last; types of older
 * versions are matched to the newest's structurally (pairing.ts), so renamed
 * types are followed. Only entries missing from some version are listed: an
 * absent entry exists in every indexed version that has its parent.
 *
 * `emitVersionModule` writes the index as a TypeScript module (committed as
 * generated/qemu/versions.ts) whose interfaces drive the type-level
 * narrowing of runtime/versions.ts.
 */
import { pairTypes } from "../../runtime/wire/pairing.js";
import { isMaskedTypeName, type WireSchema } from "../../runtime/wire/schema.js";
import { dataLiteral, fits, indentText } from "../printer/layout.js";
import { stringLiteral } from "../printer/escape.js";

/** Versions that have an entry, oldest first. */
export type Versions = readonly string[];

/** Per-type availability of members, enum values and branches (newest version's type names). */
export interface TypeVersions {
  readonly members?: Readonly<Record<string, Versions>>;
  readonly values?: Readonly<Record<string, Versions>>;
  readonly branches?: Readonly<Record<string, Versions>>;
}

/** The index. */
export interface VersionIndex {
  /** Indexed versions, oldest first. */
  readonly versions: Versions;
  readonly commands: Readonly<Record<string, Versions>>;
  readonly events: Readonly<Record<string, Versions>>;
  /** Top-level argument members of each command (newest schema's commands). */
  readonly arguments: Readonly<Record<string, Readonly<Record<string, Versions>>>>;
  /** Values of enum-typed top-level arguments, where some version lacks some (command → member → value → versions). */
  readonly argumentValues: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, Versions>>>>>>;
  readonly types: Readonly<Record<string, TypeVersions>>;
}

/** Compares `major.minor.micro` numerically. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Collects, per key, the versions it was seen in; keeps only keys not seen in every version of `scope`. */
class Seen {
  private readonly map = new Map<string, Set<string>>();
  add(key: string, version: string): void {
    let set = this.map.get(key);
    if (!set) this.map.set(key, (set = new Set()));
    set.add(version);
  }
  partial(scope: Versions, order: Versions): Record<string, Versions> | undefined {
    const out: Record<string, Versions> = {};
    for (const [key, set] of [...this.map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (scope.every((v) => set.has(v))) continue;
      out[key] = order.filter((v) => set.has(v));
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
}

/**
 * Builds the index.
 * @param schemas one wire schema per version, each with `version` set
 * @throws Error when a schema has no version
 */
export function buildVersionIndex(schemas: readonly WireSchema[]): VersionIndex {
  for (const s of schemas) if (!s.version) throw new Error(`${s.label}: the version index needs each schema's QEMU version`);
  const sorted = [...schemas].sort((a, b) => compareVersions(a.version!, b.version!));
  const versions = sorted.map((s) => s.version!);
  const newest = sorted[sorted.length - 1]!;

  const commands = new Seen();
  const events = new Seen();
  for (const s of sorted) {
    for (const name of s.commands.keys()) commands.add(name, s.version!);
    for (const name of s.events.keys()) events.add(name, s.version!);
  }

  const args: Record<string, Record<string, Versions>> = {};
  for (const [name] of newest.commands) {
    const seen = new Seen();
    const scope: string[] = [];
    for (const s of sorted) {
      const command = s.commands.get(name);
      const type = command ? s.types.get(command.argType) : undefined;
      if (!command) continue;
      scope.push(s.version!);
      if (type?.meta === "object") for (const m of type.members) seen.add(m.name, s.version!);
    }
    const partial = seen.partial(scope, versions);
    if (partial) args[name] = partial;
  }

  // Each version's types, seen through the newest's names.
  const members = new Map<string, Seen>();
  const values = new Map<string, Seen>();
  const branches = new Map<string, Seen>();
  const scopes = new Map<string, Set<string>>();
  const seenFor = (table: Map<string, Seen>, type: string) => {
    let seen = table.get(type);
    if (!seen) table.set(type, (seen = new Seen()));
    return seen;
  };
  for (const s of sorted) {
    const counterparts = new Map<string, Set<string>>();
    if (s === newest) for (const name of s.types.keys()) counterparts.set(name, new Set([name]));
    else {
      for (const pair of pairTypes(newest, s).values()) {
        let set = counterparts.get(pair.old);
        if (!set) counterparts.set(pair.old, (set = new Set()));
        set.add(pair.new);
      }
    }
    for (const [name, others] of counterparts) {
      const type = newest.types.get(name);
      if (!type || isMaskedTypeName(name) || type.meta === "builtin" || type.meta === "array") continue;
      let scope = scopes.get(name);
      if (!scope) scopes.set(name, (scope = new Set()));
      scope.add(s.version!);
      for (const otherName of others) {
        const other = s.types.get(otherName);
        if (other?.meta === "object") {
          for (const m of other.members) seenFor(members, name).add(m.name, s.version!);
          for (const v of other.variants) seenFor(branches, name).add(v.case, s.version!);
        } else if (other?.meta === "enum") {
          for (const v of other.values) seenFor(values, name).add(v.name, s.version!);
        }
      }
    }
  }
  const types: Record<string, TypeVersions> = {};
  for (const name of [...scopes.keys()].sort()) {
    const scope = versions.filter((v) => scopes.get(name)!.has(v));
    const entry: { -readonly [K in keyof TypeVersions]: TypeVersions[K] } = {};
    const m = members.get(name)?.partial(scope, versions);
    const e = values.get(name)?.partial(scope, versions);
    const b = branches.get(name)?.partial(scope, versions);
    if (m) entry.members = m;
    if (e) entry.values = e;
    if (b) entry.branches = b;
    if (Object.keys(entry).length > 0) types[name] = entry;
  }
  // Enum-typed top-level arguments of the newest commands whose values differ by version.
  const argumentValues: Record<string, Record<string, Readonly<Record<string, Versions>>>> = {};
  for (const [name, command] of newest.commands) {
    const argType = newest.types.get(command.argType);
    if (argType?.meta !== "object") continue;
    for (const member of argType.members) {
      const partialValues = newest.types.get(member.type)?.meta === "enum" ? types[member.type]?.values : undefined;
      if (partialValues) (argumentValues[name] ??= {})[member.name] = partialValues;
    }
  }
  return {
    versions,
    commands: commands.partial(versions, versions) ?? {},
    events: events.partial(versions, versions) ?? {},
    arguments: args,
    argumentValues,
    types,
  };
}

const quote = (s: string) => stringLiteral(s);

/** `export interface Name {` members `}`, or `{}` when empty (the pinned prettier style). */
function interfaceLines(head: string, members: readonly string[]): string[] {
  return members.length === 0 ? [`${head} {}`, ""] : [`${head} {`, ...members, "}", ""];
}

/** A member of a type literal: `key: type`, or `key: { …nested members }`. */
type LiteralMember = string | { readonly key: string; readonly members: readonly LiteralMember[] };

function flatMember(m: LiteralMember): string {
  return typeof m === "string" ? m : `${m.key}: { ${m.members.map(flatMember).join("; ")} }`;
}

/** `  "key": { a: x; b: y };` at indentation `level`, each literal broken one member per line when too long. */
function typeLiteralMember(key: string, members: readonly LiteralMember[], level: number): string {
  const pad = indentText(level);
  const flat = `${pad}${key}: { ${members.map(flatMember).join("; ")} };`;
  if (fits(flat, 0)) return flat;
  const inner = members.map((m) => (typeof m === "string" ? `${pad}  ${m};` : typeLiteralMember(m.key, m.members, level + 1)));
  return [`${pad}${key}: {`, ...inner, `${pad}};`].join("\n");
}
const union = (vs: Versions) => (vs.length === 0 ? "never" : vs.map(quote).join(" | "));

/**
 * The index as a TypeScript module: the data (`qemuVersionIndex`) and, for
 * the type-level narrowing, interfaces mapping each partial command, event and
 * argument to the union of versions that have it.
 * @param sources human description of the inputs, for the header
 */
export function emitVersionModule(index: VersionIndex, sources: string): string {
  const lines: string[] = [];
  lines.push(`// Code generated by qapi-ts (generator/versions/build-index.ts) from ${sources}. DO NOT EDIT.`);
  lines.push(`// Regenerate: UPDATE_GOLDEN=1 node --test build/test/versions/build-index.test.js`);
  lines.push(`/* eslint-disable */`, "");
  lines.push(`import type { CommandsAvailableIn, EventsAvailableIn } from "../../runtime/versions.js";`, "");
  lines.push(`/** The QEMU versions indexed, oldest first. */`);
  lines.push(`export type QemuVersion = ${union(index.versions)};`, "");
  lines.push(`/** Commands missing from some indexed version → the versions that have them. */`);
  lines.push(...interfaceLines("export interface QemuCommandVersions", Object.entries(index.commands).map(([name, vs]) => `  ${quote(name)}: ${union(vs)};`)));
  lines.push(`/** Events missing from some indexed version → the versions that have them. */`);
  lines.push(...interfaceLines("export interface QemuEventVersions", Object.entries(index.events).map(([name, vs]) => `  ${quote(name)}: ${union(vs)};`)));
  lines.push(`/** Top-level command arguments missing from some version of their command → the versions that have them. */`);
  const argumentLines = Object.entries(index.arguments).map(([name, members]) =>
    typeLiteralMember(quote(name), Object.entries(members).map(([m, vs]) => `${quote(m)}: ${union(vs)}`), 1),
  );
  lines.push(...interfaceLines("export interface QemuArgumentVersions", argumentLines));
  lines.push(`/** Command map \`M\` (a generated SDK's CommandMap) as QEMU \`V\` has it: calls to later commands or arguments do not compile. */`);
  lines.push(
    "export type CommandsSince<M, V extends QemuVersion> = CommandsAvailableIn<",
    "  M,",
    "  V,",
    "  QemuCommandVersions,",
    "  QemuArgumentVersions,",
    "  QemuArgumentValueVersions",
    ">;",
    "",
  );
  lines.push(`/** Event map \`E\` as QEMU \`V\` has it. */`);
  lines.push(`export type EventsSince<E, V extends QemuVersion> = EventsAvailableIn<E, V, QemuEventVersions>;`, "");
  lines.push(`/** Values of enum-typed top-level arguments missing from some version → the versions that have them. */`);
  const valueLines = Object.entries(index.argumentValues).map(([name, members]) => {
    const inner = Object.entries(members).map(([m, values]) => ({
      key: quote(m),
      members: Object.entries(values).map(([v, vs]) => `${quote(v)}: ${union(vs)}`),
    }));
    return typeLiteralMember(quote(name), inner, 1);
  });
  lines.push(...interfaceLines("export interface QemuArgumentValueVersions", valueLines));
  lines.push(`/** The whole index as data, for tools and run-time checks. */`);
  lines.push(`export const qemuVersionIndex = ${dataLiteral(index, 0, "export const qemuVersionIndex = ", " as const;")} as const;`);
  return lines.join("\n") + "\n";
}
