/**
 * The flags a QAPI command can carry, defined once.
 *
 * Every reader takes them from this table: the front end's checks and
 * normalisation (generator/frontend/check-parts.ts, check-exprs.ts), the
 * model's `Command` (generator/model/entities.ts), both model builders, the
 * wire view (`WireCommand` in schema.ts; wireFromIntrospection;
 * generator/model/wire-from-model.ts), the comparison (diff.ts) and the dump
 * (generator/model/dump.ts). Adding a flag means adding an entry here; the
 * compiler then points at the places that must say what it means
 * (the emitters' fact lines, the runtime's CommandMeta).
 *
 * Entries are in the order the wire view and the diff list them.
 */
import type { WireCommand, WireSchema } from "./schema.js";

/** Where a flag is visible besides the source schema. */
type FlagVisibility =
  /** In `query-qmp-schema` too: every wire view has it. */
  | "introspected"
  /** Only in a wire view made from source; introspection does not show it. */
  | "source"
  /** Only in the source: it shapes QEMU's generated C, not what a client sees. */
  | "none";

/** What the table says about one flag. */
export interface CommandFlagDefinition {
  /** The key in the schema (and in introspection, when it is shown there). */
  readonly key: string;
  /** Its value when the key is absent; a schema may only write the other value. */
  readonly default: boolean;
  readonly wire: FlagVisibility;
  /** Position in QEMU's own order: the order it checks flags in and its test dump prints them. */
  readonly qemuRank: number;
  /** How QEMU's test dump names it, and whether it prints it only when set. */
  readonly dump: { readonly name: string; readonly onlyWhenSet?: true };
  /** The key of a flag it cannot be combined with. */
  readonly excludes?: string;
}

export const commandFlags = {
  /** The command may run out-of-band (`exec-oob`). */
  allowOob: {
    key: "allow-oob",
    default: false,
    wire: "introspected",
    qemuRank: 3,
    dump: { name: "oob" },
    excludes: "coroutine",
  },
  /** False for commands that never send a success response. */
  successResponse: {
    key: "success-response",
    default: true,
    wire: "source",
    qemuRank: 1,
    dump: { name: "success_response" },
  },
  /** The command is allowed before machine creation (`--preconfig`). */
  allowPreconfig: { key: "allow-preconfig", default: false, wire: "source", qemuRank: 4, dump: { name: "preconfig" } },
  /**
   * False when the schema asks not to generate marshalling code (`'gen': false`):
   * QEMU's own handler then takes members beyond the declared ones (`device_add`'s
   * device properties), so a client must let them through.
   */
  gen: { key: "gen", default: true, wire: "source", qemuRank: 0, dump: { name: "gen" } },
  /** True when the arguments are passed as one object rather than spread. */
  boxed: { key: "boxed", default: false, wire: "none", qemuRank: 2, dump: { name: "boxed" } },
  /** QEMU runs the handler in a coroutine. */
  coroutine: {
    key: "coroutine",
    default: false,
    wire: "none",
    qemuRank: 5,
    dump: { name: "coroutine", onlyWhenSet: true },
  },
} as const satisfies Record<string, CommandFlagDefinition>;

/** A flag's property name (`allowOob`, …). */
export type CommandFlagName = keyof typeof commandFlags;

/** A command's flags, every one known. */
export type CommandFlags = { readonly [F in CommandFlagName]: boolean };

type FlagsVisible<V extends FlagVisibility> = {
  [F in CommandFlagName]: (typeof commandFlags)[F]["wire"] extends V ? F : never;
}[CommandFlagName];

/** A flag a wire view can carry. */
export type WireFlagName = FlagsVisible<"introspected" | "source">;

/** The flags of a wire view: those introspection shows always, those only a source knows optionally. */
export type WireCommandFlags = { readonly [F in FlagsVisible<"introspected">]: boolean } & {
  readonly [F in FlagsVisible<"source">]?: boolean;
};

/** Every flag's property name, in table order. */
export const commandFlagNames = Object.keys(commandFlags) as CommandFlagName[];

/** Every flag's property name in QEMU's order (its checks, its dump). */
export const commandFlagsInQemuOrder: readonly CommandFlagName[] = [...commandFlagNames].sort(
  (a, b) => commandFlags[a].qemuRank - commandFlags[b].qemuRank,
);

/** The flags a wire view can carry, in table order. */
export const wireFlagNames = commandFlagNames.filter((f): f is WireFlagName => commandFlags[f].wire !== "none");

function build<T>(names: readonly CommandFlagName[], value: (f: CommandFlagName) => boolean | undefined): T {
  const flags: Partial<Record<CommandFlagName, boolean>> = {};
  for (const f of names) {
    const v = value(f);
    if (v !== undefined) flags[f] = v;
  }
  return flags as T;
}

/**
 * A command's flags from which keys its definition writes (a schema may only
 * write a flag's non-default value, which the front end has checked).
 */
export function flagsFromKeys(has: (key: string) => boolean): CommandFlags {
  return build(commandFlagNames, (f) =>
    has(commandFlags[f].key) ? !commandFlags[f].default : commandFlags[f].default,
  );
}

/** The flags introspection shows, from a SchemaInfo entry's keys (absent means the default). */
export function introspectedFlags(read: (key: string) => unknown): WireCommandFlags {
  return build(
    wireFlagNames.filter((f) => commandFlags[f].wire === "introspected"),
    (f) => (read(commandFlags[f].key) === true ? true : commandFlags[f].default),
  );
}

/** A wire view's flags in the data an SDK ships (data.ts): the non-default ones, by property name. */
export function encodeWireFlags(flags: WireCommandFlags): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  const seen: Partial<Record<WireFlagName, boolean>> = flags;
  for (const f of wireFlagNames) {
    const v = seen[f];
    if (v !== undefined && v !== commandFlags[f].default) out[f] = v;
  }
  return out;
}

/** The flags of a command in an SDK's data (every flag a source knows: absent means the default). */
export function decodeWireFlags(data: Readonly<Record<string, unknown>>): WireCommandFlags {
  return build(wireFlagNames, (f) => (typeof data[f] === "boolean" ? (data[f] as boolean) : commandFlags[f].default));
}

/**
 * True when a command takes members beyond its declared arguments (`'gen': false`).
 * Unknown for introspection (it does not show the flag): then false.
 */
export function takesExtraMembers(command: WireCommandFlags): boolean {
  return command.gen === false;
}

/**
 * A wire view that lacks the flags only a source knows (`gen`,
 * `success-response`, `allow-preconfig`: a server's introspection, a release
 * cut from the version history) with them taken from a source view of the
 * same schema family (an SDK's own), for the commands both have: so a
 * server's `query-qmp-schema` lets `device_add`'s device properties through.
 * Flags the view has are kept; a command the source lacks keeps the defaults.
 */
export function withSourceFlags(schema: WireSchema, source: WireSchema | undefined): WireSchema {
  if (!source) return schema;
  const commands = new Map<string, WireCommand>();
  for (const [name, c] of schema.commands) {
    const have: Partial<Record<WireFlagName, boolean>> = c;
    const known: Partial<Record<WireFlagName, boolean>> = source.commands.get(name) ?? {};
    const flags: Partial<Record<WireFlagName, boolean>> = {};
    for (const f of wireFlagNames) if (have[f] === undefined && known[f] !== undefined) flags[f] = known[f];
    commands.set(name, { ...c, ...flags });
  }
  return { ...schema, commands };
}

/** The wire view of a source command's flags. */
export function wireFlags(flags: CommandFlags): WireCommandFlags {
  return build(wireFlagNames, (f) => flags[f]);
}

/**
 * A command's flags from a wire view, the rest from the source it was made
 * from when there is one, else the defaults.
 */
export function flagsFromWire(wire: WireCommandFlags, source: CommandFlags | undefined): CommandFlags {
  const seen: Partial<Record<CommandFlagName, boolean | undefined>> = wire;
  return build(commandFlagNames, (f) => seen[f] ?? source?.[f] ?? commandFlags[f].default);
}
