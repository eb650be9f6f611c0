/**
 * The schema diff: every client-visible difference between two schemas in
 * wire form (wire-schema.ts), each judged by diff-rules.ts for clients built
 * against either side. diff-format.ts renders the result; the `diff` CLI
 * command (tools/cli/diff.ts) wires it to files.
 *
 * Types are compared structurally, never by name: pairing.ts pairs the types
 * that meet at the same place of both schemas (so a renamed or masked type, or
 * members moved into a base, make no difference). Each pair is compared once,
 * with every direction it is used in, and its changes are reported at the
 * first place the walk met it.
 */
import { commandFlags, wireFlagNames } from "./command-flags.js";
import { classify, type ChangeKind, type Compat, type Direction, type RuleFacts } from "./diff-rules.js";
import { pairTypes, type TypePair } from "./pairing.js";
import { reachableTypes } from "./walk.js";
import { isMaskedTypeName, type WireSchema, type WireType } from "./schema.js";

/** One client-visible difference. */
export interface SchemaChange {
  readonly kind: ChangeKind;
  /** Where: `command 'blockdev-add' arguments{driver=file}.filename`, `event 'STOP'`, … */
  readonly path: string;
  /** The command, event, member, value, branch, feature or flag concerned. */
  readonly name: string;
  /** Readable name of the type holding the change, when either side has one. */
  readonly type?: string;
  /** One line for humans. */
  readonly detail: string;
  /** `not-built` changes: the source's build condition the binary was built without. */
  readonly condition?: string;
  /** Directions the changed thing travels in (empty for command/event-level changes). */
  readonly directions: readonly Direction[];
  /** Client built against OLD meeting a NEW server. */
  readonly forward: Compat;
  /** Client built against NEW meeting an OLD server. */
  readonly backward: Compat;
}

/** The diff of two schemas. */
export interface SchemaDiff {
  readonly old: { readonly label: string; readonly version?: string; readonly origin: string };
  readonly new: { readonly label: string; readonly version?: string; readonly origin: string };
  readonly changes: readonly SchemaChange[];
}

/** Readable name of a pair's type. */
function typeName(pair: TypePair): string | undefined {
  if (!isMaskedTypeName(pair.new)) return pair.new;
  if (!isMaskedTypeName(pair.old)) return pair.old;
  return undefined;
}

/**
 * Compares two schemas.
 * @param oldSchema the schema clients were built against
 * @param newSchema the schema they meet
 */
export function diffSchemas(oldSchema: WireSchema, newSchema: WireSchema): SchemaDiff {
  const changes: SchemaChange[] = [];
  // Conditions are only comparable when both sides come from source.
  const compareConditions = oldSchema.origin === "source" && newSchema.origin === "source";
  // A source against a binary: what the binary lacks because of an `if` was not built into it.
  const binaryOld = oldSchema.origin === "introspection" && newSchema.origin === "source";
  const binaryNew = newSchema.origin === "introspection" && oldSchema.origin === "source";
  /** Reports a not-built change and returns true when `cond` explains an absence from the binary side. */
  function notBuilt(
    cond: string | undefined,
    missingFromNew: boolean,
    path: string,
    name: string,
    what: string,
    type?: string,
  ): boolean {
    if (cond === undefined || !(missingFromNew ? binaryNew : binaryOld)) return false;
    const binary = missingFromNew ? newSchema : oldSchema;
    report(
      { kind: "not-built", directions: [] },
      path,
      name,
      `${what} not built into this binary (${binary.label}): built only if ${cond}`,
      type,
      cond,
    );
    return true;
  }

  function report(
    facts: RuleFacts,
    path: string,
    name: string,
    detail: string,
    type?: string,
    condition?: string,
  ): void {
    changes.push({
      kind: facts.kind,
      path,
      name,
      ...(type ? { type } : {}),
      detail,
      ...(condition !== undefined ? { condition } : {}),
      directions: [...facts.directions],
      ...classify(facts),
    });
  }

  function compareFeatures(
    oldFeatures: readonly string[],
    newFeatures: readonly string[],
    directions: readonly Direction[],
    path: string,
    what: string,
    type?: string,
  ): void {
    for (const f of newFeatures) {
      if (!oldFeatures.includes(f))
        report({ kind: "feature-added", directions }, path, f, `${what} gained feature '${f}'`, type);
    }
    for (const f of oldFeatures) {
      if (!newFeatures.includes(f))
        report({ kind: "feature-removed", directions }, path, f, `${what} lost feature '${f}'`, type);
    }
  }

  function compareCondition(
    oldIf: string | undefined,
    newIf: string | undefined,
    directions: readonly Direction[],
    path: string,
    name: string,
    what: string,
    type?: string,
  ): void {
    if (!compareConditions || oldIf === newIf) return;
    if (oldIf === undefined)
      report({ kind: "condition-added", directions }, path, name, `${what} is now conditional on ${newIf}`, type);
    else if (newIf === undefined)
      report(
        { kind: "condition-removed", directions },
        path,
        name,
        `${what} is no longer conditional (was ${oldIf})`,
        type,
      );
    else
      report(
        { kind: "condition-changed", directions },
        path,
        name,
        `${what}: condition ${oldIf} became ${newIf}`,
        type,
      );
  }

  function comparePair(pair: TypePair): void {
    if (!pair.oldType || !pair.newType) return;
    const o = pair.oldType.wire;
    const n = pair.newType.wire;
    const directions = [...pair.directions].sort();
    const type = typeName(pair);
    const path = pair.path;
    const from = pair.oldType.shape;
    const to = pair.newType.shape;
    if (from !== to) {
      report({ kind: "type-changed", directions, from, to }, path, path, `type changed from ${from} to ${to}`, type);
    }
    if (type) compareFeatures(o.features, n.features, directions, path, `type ${type}`, type);
    compareCondition(o.if, n.if, directions, path, type ?? path, `type ${type ?? ""}`.trim(), type);
    if (o.meta === "enum" && n.meta === "enum") compareEnums(o, n, directions, path, type);
    if (o.meta === "object" && n.meta === "object") compareObjects(o, n, directions, path, type);
    if (o.meta === "alternate" && n.meta === "alternate") {
      const oc = pair.oldType.alternatives.map((a) => a.type?.category ?? "unknown");
      const nc = pair.newType.alternatives.map((a) => a.type?.category ?? "unknown");
      for (const c of nc) {
        if (!oc.includes(c))
          report({ kind: "alternative-added", directions }, path, c, `alternative of JSON type ${c} added`, type);
      }
      for (const c of oc) {
        if (!nc.includes(c))
          report({ kind: "alternative-removed", directions }, path, c, `alternative of JSON type ${c} removed`, type);
      }
    }
  }

  function compareEnums(
    o: WireType & { meta: "enum" },
    n: WireType & { meta: "enum" },
    directions: Direction[],
    path: string,
    type?: string,
  ): void {
    for (const v of n.values) {
      const ov = o.values.find((x) => x.name === v.name);
      if (!ov) {
        if (!notBuilt(v.if, false, path, v.name, `enum value '${v.name}'`, type))
          report({ kind: "enum-value-added", directions }, path, v.name, `enum value '${v.name}' added`, type);
        continue;
      }
      compareFeatures(ov.features, v.features, directions, path, `enum value '${v.name}'`, type);
      compareCondition(ov.if, v.if, directions, path, v.name, `enum value '${v.name}'`, type);
    }
    for (const v of o.values) {
      if (
        !n.values.some((x) => x.name === v.name) &&
        !notBuilt(v.if, true, path, v.name, `enum value '${v.name}'`, type)
      ) {
        report({ kind: "enum-value-removed", directions }, path, v.name, `enum value '${v.name}' removed`, type);
      }
    }
  }

  function compareObjects(
    o: WireType & { meta: "object" },
    n: WireType & { meta: "object" },
    directions: Direction[],
    path: string,
    type?: string,
  ): void {
    for (const m of n.members) {
      const om = o.members.find((x) => x.name === m.name);
      const where = `${path}.${m.name}`;
      if (!om) {
        if (notBuilt(m.if, false, where, m.name, `member '${m.name}'`, type)) continue;
        const opt = m.optional ? "optional" : "required";
        report(
          { kind: "member-added", directions, optional: m.optional },
          where,
          m.name,
          `${opt} member '${m.name}' added`,
          type,
        );
        continue;
      }
      if (om.optional && !m.optional)
        report({ kind: "member-required", directions }, where, m.name, `member '${m.name}' became required`, type);
      if (!om.optional && m.optional)
        report({ kind: "member-optional", directions }, where, m.name, `member '${m.name}' became optional`, type);
      compareFeatures(om.features, m.features, directions, where, `member '${m.name}'`, type);
      compareCondition(om.if, m.if, directions, where, m.name, `member '${m.name}'`, type);
    }
    for (const m of o.members) {
      if (
        !n.members.some((x) => x.name === m.name) &&
        !notBuilt(m.if, true, `${path}.${m.name}`, m.name, `member '${m.name}'`, type)
      ) {
        const opt = m.optional ? "optional" : "required";
        report(
          { kind: "member-removed", directions, optional: m.optional },
          `${path}.${m.name}`,
          m.name,
          `${opt} member '${m.name}' removed`,
          type,
        );
      }
    }
    if (o.tag !== n.tag && o.tag !== undefined && n.tag !== undefined) {
      report(
        { kind: "tag-changed", directions },
        path,
        n.tag,
        `discriminator changed from '${o.tag}' to '${n.tag}'`,
        type,
      );
    }
    for (const v of n.variants) {
      const ov = o.variants.find((x) => x.case === v.case);
      if (!ov) {
        if (!notBuilt(v.if, false, path, v.case, `union branch '${v.case}'`, type))
          report({ kind: "branch-added", directions }, path, v.case, `union branch '${v.case}' added`, type);
      } else compareCondition(ov.if, v.if, directions, path, v.case, `union branch '${v.case}'`, type);
    }
    for (const v of o.variants) {
      if (
        !n.variants.some((x) => x.case === v.case) &&
        !notBuilt(v.if, true, path, v.case, `union branch '${v.case}'`, type)
      ) {
        report({ kind: "branch-removed", directions }, path, v.case, `union branch '${v.case}' removed`, type);
      }
    }
  }

  // Commands: existence, flags, features, conditions; then their types.
  for (const [name, c] of newSchema.commands) {
    if (oldSchema.commands.has(name) || notBuilt(c.if, false, `command '${name}'`, name, "command")) continue;
    report({ kind: "command-added", directions: [] }, `command '${name}'`, name, "added");
  }
  for (const [name, oc] of oldSchema.commands) {
    const nc = newSchema.commands.get(name);
    const where = `command '${name}'`;
    if (!nc) {
      if (!notBuilt(oc.if, true, where, name, "command"))
        report({ kind: "command-removed", directions: [] }, where, name, "removed");
      continue;
    }
    compareFeatures(oc.features, nc.features, [], where, "command");
    compareCondition(oc.if, nc.if, [], where, name, "command");
    for (const name of wireFlagNames) {
      const flag = commandFlags[name].key;
      const before = oc[name];
      const after = nc[name];
      // Introspection does not show every flag: compare only what both sides know.
      if (before === undefined || after === undefined || before === after) continue;
      report(
        { kind: "flag-changed", directions: [], flag, before, after },
        where,
        flag,
        `${flag} ${before} → ${after}`,
      );
    }
  }
  for (const [name, e] of newSchema.events) {
    if (oldSchema.events.has(name) || notBuilt(e.if, false, `event '${name}'`, name, "event")) continue;
    report({ kind: "event-added", directions: [] }, `event '${name}'`, name, "added");
  }
  for (const [name, oe] of oldSchema.events) {
    const ne = newSchema.events.get(name);
    const where = `event '${name}'`;
    if (!ne) {
      if (!notBuilt(oe.if, true, where, name, "event"))
        report({ kind: "event-removed", directions: [] }, where, name, "removed");
      continue;
    }
    compareFeatures(oe.features, ne.features, [], where, "event");
    compareCondition(oe.if, ne.if, [], where, name, "event");
  }
  const pairs = pairTypes(oldSchema, newSchema);
  for (const pair of pairs.values()) comparePair(pair);
  if (compareConditions) reportNamedTypes(oldSchema, newSchema, [...pairs.values()], report);
  return {
    old: {
      label: oldSchema.label,
      origin: oldSchema.origin,
      ...(oldSchema.version ? { version: oldSchema.version } : {}),
    },
    new: {
      label: newSchema.label,
      origin: newSchema.origin,
      ...(newSchema.version ? { version: newSchema.version } : {}),
    },
    changes,
  };
}

/** Named types reachable from a schema's commands and events. */
function reachableNamedTypes(schema: WireSchema): Set<string> {
  return new Set(
    [...reachableTypes(schema).values()]
      .filter((t) => !isMaskedTypeName(t.name) && t.meta !== "builtin" && t.meta !== "array")
      .map((t) => t.name),
  );
}

/**
 * Between two sources, also lists named types that appeared, disappeared or
 * were renamed (found at the same place under another name). Clients never
 * see type names, so these are for readers of the report and always safe.
 */
function reportNamedTypes(
  oldSchema: WireSchema,
  newSchema: WireSchema,
  pairs: readonly TypePair[],
  report: (facts: RuleFacts, path: string, name: string, detail: string, type?: string) => void,
): void {
  const oldNamed = reachableNamedTypes(oldSchema);
  const newNamed = reachableNamedTypes(newSchema);
  const pairedOld = new Set(pairs.map((p) => p.old));
  const pairedNew = new Set(pairs.map((p) => p.new));
  const renamed = new Set<string>();
  for (const pair of pairs) {
    if (pair.old === pair.new || !oldNamed.has(pair.old) || !newNamed.has(pair.new)) continue;
    if (newSchema.types.has(pair.old) || renamed.has(pair.old)) continue;
    renamed.add(pair.old);
    report(
      { kind: "type-renamed", directions: [...pair.directions] },
      pair.path,
      pair.new,
      `type ${pair.old} is now called ${pair.new}`,
      pair.new,
    );
  }
  for (const name of newNamed) {
    if (!pairedNew.has(name) && !oldSchema.types.has(name))
      report({ kind: "type-added", directions: [] }, `type ${name}`, name, "added", name);
  }
  for (const name of oldNamed) {
    if (!pairedOld.has(name) && !newSchema.types.has(name))
      report({ kind: "type-removed", directions: [] }, `type ${name}`, name, "removed", name);
  }
}
