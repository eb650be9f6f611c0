/**
 * Run-time capability checks: what the QEMU at the other end of a session
 * actually offers, read once from its `query-qmp-schema`.
 *
 *   const { client, capabilities } = await connectWithCapabilities<CommandMap, EventMap>(sdk, { path }, { reference });
 *   capabilities.supports.command("query-accelerators");        // false on QEMU 7.2
 *   capabilities.supports.member("drive-backup", "discard-source");
 *   capabilities.supports.branch("blockdev-add", "io_uring");   // union branch of the arguments
 *   capabilities.supports.enumValue("BlockdevDriver", "gluster");  // needs `reference`
 *   capabilities.supports.enumValue({ command: "blockdev-add", path: "driver" }, "gluster");
 *   capabilities.supports.feature("block-job-pause", "deprecated");
 *   await client.execute("query-accelerators");  // UnsupportedCommandError, nothing sent
 *   capabilities.drift();                        // the SDK against the server
 *
 * Hooking in: nothing in QmpClient changes. `probeCapabilities(client)` asks an
 * open client; `guardClient(client, capabilities)` returns the same client
 * behind a proxy whose `execute`/`executeWith` fail fast for commands the
 * server lacks; `connectWithCapabilities` does connect + probe + guard.
 *
 * Server type names are masked ("123"), so probes by type name need the SDK's
 * schema with real names: a generated SDK's own wire schema (`sdk.wire`), or
 * a reference file (tools/introspection/reference.ts, `qapi-ts introspect
 * --schema`); its types are paired with the server's structurally
 * (core/pairing.ts). `capabilities.validators` checks values against
 * what the server itself declares, with the same engine the SDK's validators
 * use (runtime/validate/).
 * Probes by command and member path need nothing extra. The structural code is
 * shared with the generator (core/, which has no file system or CLI).
 * The guest agent has no `query-qmp-schema`: its capabilities come from
 * `guest-info` and cover commands only.
 *
 * @module qapi-ts/capabilities
 */
// The public types use Node's (streams, sockets, child processes): @types/node is a dependency of the package.
/// <reference types="node" preserve="true" />
import { diffSchemas, type SchemaChange } from "../core/diff.js";
import { wireFromIntrospection, type IntrospectionFile, type SchemaInfo } from "../core/introspection-file.js";
import { counterparts } from "../core/pairing.js";
import type { WireSchema, WireType } from "../core/schema.js";
import { lookThrough, typeAtPath } from "../core/walk.js";
import { linkSchema } from "../core/linked.js";
import { withSourceFlags } from "../core/command-flags.js";
import { withIntegerWidths } from "../core/integer-widths.js";
import { greetingVersion, releaseSchemaOf } from "./follow-server.js";
import type { QmpClient } from "./client.js";
import { connectWith, type ConnectOptions } from "./connect.js";
import { QmpError } from "./errors.js";
import type { CommandMapBase, EventMapBase, SdkDescriptor, SdkValidators } from "./sdk.js";
import { lazyValidators } from "./validate/index.js";

/** A call to a command the server does not have; raised before anything is sent. */
export class UnsupportedCommandError extends QmpError {
  override name = "UnsupportedCommandError";
  constructor(
    /** The command that was not sent. */
    readonly command: string,
    /** The server's version, for the message. */
    readonly serverVersion: string,
  ) {
    super(`${command}: not supported by the server (QEMU ${serverVersion}); it was not sent`);
  }
}

/** A probe that cannot be answered as asked (an unknown type name, no reference schema). */
export class ProbeError extends QmpError {
  override name = "ProbeError";
}

/** Options of the probes. */
export interface CapabilityOptions {
  /**
   * The SDK's schema with real type names (an introspection file from `qapi-ts
   * introspect --schema`). Default: the SDK's own wire schema (`sdk.wire`), when it has one.
   */
  readonly reference?: IntrospectionFile;
  /**
   * A schema of the server's release with real integer widths, which
   * introspection reports as plain `int` (core/integer-widths.ts).
   * `probeCapabilities` takes it from the SDK's version history.
   */
  readonly releaseSchema?: WireSchema;
}

/** Where a member path starts: a command's arguments or return, or an event's data. */
export type ProbeRoot = "arguments" | "return" | "data";

/** Typed yes/no questions about the server. */
export interface Supports<C, E> {
  /** The server has this command. */
  command(name: (keyof C & string) | (string & {})): boolean;
  /** The server has this event. */
  event(name: (keyof E & string) | (string & {})): boolean;
  /**
   * The server knows the member at `path` (dot-separated, e.g. `cache.direct`)
   * of a command's arguments (default), a command's return, or an event's data.
   * Members of union branches count; array elements are looked through.
   */
  member(name: (keyof C & string) | (keyof E & string) | (string & {}), path: string, root?: ProbeRoot): boolean;
  /** The union at `path` (empty: the arguments themselves) of a command's arguments has branch `branch`. */
  branch(command: (keyof C & string) | (string & {}), branch: string, path?: string): boolean;
  /**
   * The enum has value `value`. Name the enum by its SDK type name (needs a
   * reference), or by where it is used: `{ command, path, root? }` with `path`
   * as for `member` (needs nothing extra).
   */
  enumValue(
    type: string | { readonly command: string; readonly path: string; readonly root?: ProbeRoot },
    value: string,
  ): boolean;
  /**
   * The command or event has feature `feature` (e.g. `deprecated`) on the server;
   * with `path`, the member at that path of its arguments (or event data) has it.
   */
  feature(name: (keyof C & string) | (keyof E & string) | (string & {}), feature: string, path?: string): boolean;
}

/** How the SDK and the server differ. */
export interface DriftReport {
  readonly serverVersion: string;
  /** SDK commands the server lacks, and server commands the SDK does not know. */
  readonly missingCommands: readonly string[];
  readonly extraCommands: readonly string[];
  readonly missingEvents: readonly string[];
  readonly extraEvents: readonly string[];
  /** With a reference: every change from the SDK's schema to the server's, judged as in `qapi-ts diff`. */
  readonly changes?: readonly SchemaChange[];
}

/** What one server offers, with typed probes. */
export interface ServerCapabilities<C, E> {
  readonly serverVersion: string;
  readonly supports: Supports<C, E>;
  /** The server's schema in wire form (for tools). */
  readonly server: WireSchema;
  /** Validators of what the server declares (its masked type names for `type`), compiled at first use. */
  readonly validators: SdkValidators;
  drift(): DriftReport;
}

/** The type at a dot path (core/walk.ts, a member of any branch counting), arrays looked through to their element, an alternate to its object alternative. */
function resolvePath(schema: WireSchema, typeName: string, path: string): WireType | undefined {
  let type = typeAtPath(schema, typeName, path === "" ? [] : path.split("."), { anyBranch: true });
  while (type?.meta === "array") type = schema.types.get(type.element);
  return lookThrough(schema, type, undefined, "object") ?? type;
}

/**
 * Builds the capabilities of a server from its `query-qmp-schema` reply.
 * @param sdk the SDK the client was built with (for the drift report)
 */
export function capabilitiesFromSchema<C = CommandMapBase, E = EventMapBase>(
  sdk: SdkDescriptor,
  schema: readonly SchemaInfo[],
  serverVersion: string,
  options: CapabilityOptions = {},
): ServerCapabilities<C, E> {
  const file: IntrospectionFile = { version: { qemu: { major: 0, minor: 0, micro: 0 }, package: "" }, schema };
  const server = { ...wireFromIntrospection(file, "server"), version: serverVersion };
  const reference = options.reference ? wireFromIntrospection(options.reference, "reference") : sdk.wire?.();
  let paired: Map<string, string> | undefined;
  const counterpart = (type: string): string => {
    if (!reference)
      throw new ProbeError(`probing type '${type}' needs the SDK's schema (sdk.wire or CapabilityOptions.reference)`);
    if (!reference.types.has(type)) throw new ProbeError(`'${type}' is not a type of the SDK's schema`);
    paired ??= counterparts(reference, server);
    return paired.get(type) ?? "";
  };
  const rootType = (name: string, root: ProbeRoot): string | undefined => {
    if (root === "data") return server.events.get(name)?.argType;
    const command = server.commands.get(name);
    return root === "return" ? command?.retType : command?.argType;
  };

  const supports: Supports<C, E> = {
    command: (name) => server.commands.has(name),
    event: (name) => server.events.has(name),
    member(name, path, root) {
      const where = root ?? (server.events.has(name) && !server.commands.has(name) ? "data" : "arguments");
      const type = rootType(name, where);
      return type !== undefined && resolvePath(server, type, path) !== undefined;
    },
    branch(command, branch, path = "") {
      const type = rootType(command, "arguments");
      const union = type === undefined ? undefined : resolvePath(server, type, path);
      return union?.meta === "object" && union.variants.some((v) => v.case === branch);
    },
    enumValue(type, value) {
      let found: WireType | undefined;
      if (typeof type === "string") found = server.types.get(counterpart(type));
      else {
        const root = rootType(type.command, type.root ?? "arguments");
        found = root === undefined ? undefined : resolvePath(server, root, type.path);
      }
      return found?.meta === "enum" && found.values.some((v) => v.name === value);
    },
    feature(name, feature, path) {
      const entity = server.commands.get(name) ?? server.events.get(name);
      if (!entity) return false;
      if (path === undefined || path === "") return entity.features.includes(feature);
      const steps = path.split(".");
      const last = steps.pop()!;
      const parent = resolvePath(server, entity.argType, steps.join("."));
      if (parent?.meta !== "object") return false;
      // A member of the object or of any of its branches.
      const linked = linkSchema(server).types.get(parent.name);
      const members = [...(linked?.members ?? []), ...(linked?.variants ?? []).flatMap((v) => v.members)];
      return members.find((m) => m.member.name === last)?.member.features.includes(feature) ?? false;
    },
  };

  return {
    serverVersion,
    supports,
    server,
    // Flags introspection does not show ('gen': false) are the SDK's own.
    validators: lazyValidators(() => withIntegerWidths(withSourceFlags(server, sdk.wire?.()), options.releaseSchema)),
    drift() {
      const sdkCommands = Object.keys(sdk.commands);
      const sdkEvents = Object.keys(sdk.events);
      return {
        serverVersion,
        missingCommands: sdkCommands.filter((c) => !server.commands.has(c)),
        extraCommands: [...server.commands.keys()].filter((c) => !(c in sdk.commands)),
        missingEvents: sdkEvents.filter((e) => !server.events.has(e)),
        extraEvents: [...server.events.keys()].filter((e) => !(e in sdk.events)),
        ...(reference ? { changes: diffSchemas(reference, server).changes } : {}),
      };
    },
  };
}

/** A drift report as text for logs: counts, then the SDK's commands and events the server lacks, then breaking changes. */
export function formatDriftReport(report: DriftReport): string {
  const lines = [
    `server QEMU ${report.serverVersion}: ${report.missingCommands.length} SDK commands missing, ${report.extraCommands.length} unknown to the SDK; ` +
      `${report.missingEvents.length} SDK events missing, ${report.extraEvents.length} unknown to the SDK`,
  ];
  if (report.missingCommands.length > 0) lines.push(`missing commands: ${report.missingCommands.join(", ")}`);
  if (report.missingEvents.length > 0) lines.push(`missing events: ${report.missingEvents.join(", ")}`);
  for (const c of report.changes ?? []) if (c.forward === "breaking") lines.push(`breaking: ${c.path}: ${c.detail}`);
  return lines.join("\n") + "\n";
}

function versionText(value: unknown): string {
  const q = (value as { qemu?: { major?: number; minor?: number; micro?: number } } | undefined)?.qemu;
  return q ? `${q.major}.${q.minor}.${q.micro}` : "unknown";
}

/**
 * The guest agent has no `query-qmp-schema`; `guest-info` lists its commands
 * and whether each is enabled, and that is all it tells. Disabled commands
 * count as missing (the agent refuses them). Member, branch and enum probes
 * then raise ProbeError rather than guess.
 */
function guestAgentCapabilities<C, E>(
  sdk: SdkDescriptor,
  info: { version?: unknown; supported_commands?: unknown },
): ServerCapabilities<C, E> {
  const listed = Array.isArray(info.supported_commands)
    ? (info.supported_commands as { name: string; enabled: boolean }[])
    : [];
  const schema: SchemaInfo[] = listed
    .filter((c) => c.enabled)
    .map((c) => ({ name: c.name, "meta-type": "command", "arg-type": "q_empty", "ret-type": "q_empty" }));
  const version = typeof info.version === "string" ? info.version : "unknown";
  // The SDK's types cannot be compared with a schema that has none: no reference, no type changes.
  const { wire: _typesUnknowable, ...commandsOnly } = sdk;
  const base = capabilitiesFromSchema<C, E>(commandsOnly, schema, version);
  const unknowable = (what: string) => () => {
    throw new ProbeError(`the guest agent does not describe ${what}; only commands can be probed`);
  };
  return {
    ...base,
    supports: {
      ...base.supports,
      member: unknowable("arguments"),
      branch: unknowable("arguments"),
      enumValue: unknowable("types"),
    },
  };
}

/**
 * Reads the server's schema over an open client and builds its capabilities:
 * `query-qmp-schema` for QEMU and the storage daemon, `guest-info` for the
 * guest agent (commands only).
 * @throws ExecuteError when the server cannot be asked
 */
export async function probeCapabilities<C extends CommandMapBase, E extends EventMapBase>(
  client: QmpClient<C, E>,
  sdk: SdkDescriptor,
  options: CapabilityOptions = {},
): Promise<ServerCapabilities<C, E>> {
  // The maps of a generated SDK always have these core commands; the casts keep this module SDK-agnostic.
  const untyped = client as unknown as QmpClient<CommandMapBase, EventMapBase>;
  if (client.protocol === "qga") {
    return guestAgentCapabilities<C, E>(
      sdk,
      (await untyped.executeWith("guest-info", undefined)) as { version?: unknown },
    );
  }
  // The history's view of the greeting's release is made while the server writes its schema.
  const known = options.releaseSchema ?? releaseSchemaOf(sdk, greetingVersion(client.greeting?.version));
  const schema = (await untyped.executeWith("query-qmp-schema", undefined)) as SchemaInfo[];
  const version = client.greeting?.version ?? (await untyped.executeWith("query-version", undefined));
  const releaseSchema = client.greeting ? await known : await releaseSchemaOf(sdk, greetingVersion(version));
  return capabilitiesFromSchema<C, E>(sdk, schema, versionText(version), {
    ...options,
    ...(releaseSchema ? { releaseSchema } : {}),
  });
}

/**
 * The same client, except that calls to commands the server lacks reject with
 * UnsupportedCommandError without being sent. Everything else passes through.
 */
export function guardClient<C extends CommandMapBase, E extends EventMapBase>(
  client: QmpClient<C, E>,
  capabilities: ServerCapabilities<C, E>,
): QmpClient<C, E> {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== "execute" && property !== "executeWith")
        return typeof value === "function" ? value.bind(target) : value;
      return (name: string, ...rest: unknown[]) => {
        if (!capabilities.supports.command(name))
          return Promise.reject(new UnsupportedCommandError(name, capabilities.serverVersion));
        return (value as (...args: unknown[]) => unknown).call(target, name, ...rest);
      };
    },
  });
}

/**
 * Validators that answer with the SDK's own until `probed` is set, then with
 * the probed server's: so a session connected before its server was probed
 * validates against what the server declares from then on.
 */
function switchableValidators(initial: SdkValidators): { validators: SdkValidators; use(v: SdkValidators): void } {
  let current = initial;
  return {
    validators: {
      commandArgs: (command, value, mode, root) => current.commandArgs(command, value, mode, root),
      commandReturn: (command, value, mode, root) => current.commandReturn(command, value, mode, root),
      event: (event, data, mode, root) => current.event(event, data, mode, root),
      type: (typeName, value, mode, root) => current.type(typeName, value, mode, root),
    },
    use: (v) => (current = v),
  };
}

/**
 * Connects, reads the server's schema, and returns a guarded client with its
 * capabilities. A QMP client that validates then validates against the schema
 * the server declared (with the SDK's source-only flags), not against a release
 * cut from the SDK's history; the guest agent, which declares commands only,
 * keeps the SDK's validation.
 * @throws as `connectWith`, plus ExecuteError when the server cannot be introspected
 */
export async function connectWithCapabilities<C extends CommandMapBase, E extends EventMapBase>(
  sdk: SdkDescriptor,
  connectOptions: ConnectOptions,
  options: CapabilityOptions = {},
): Promise<{ client: QmpClient<C, E>; capabilities: ServerCapabilities<C, E> }> {
  const qmp = sdk.protocol !== "qga";
  const switchable = switchableValidators(sdk.validators);
  const client = qmp
    ? await connectWith<C, E>(
        { ...sdk, validators: switchable.validators },
        { ...connectOptions, validateAgainst: "sdk" },
      )
    : await connectWith<C, E>(sdk, connectOptions);
  try {
    const capabilities = await probeCapabilities(client, sdk, options);
    if (qmp) switchable.use(capabilities.validators);
    return { client: guardClient(client, capabilities), capabilities };
  } catch (error) {
    await client.close();
    throw error;
  }
}
