/**
 * Which schema the shell knows the server by, and where its docs come from.
 *
 * 1. The server's own `query-qmp-schema` (QEMU, the storage daemon): exactly
 *    what this binary accepts, in wire form (core/introspection-file.ts), with
 *    the flags only a source knows (`'gen': false`) from the SDK's schema and
 *    the integer widths introspection reports as `int` from the SDK's history
 *    of the server's release (core/integer-widths.ts).
 * 2. Otherwise (the guest agent has no introspection, or the command failed)
 *    a source schema in wire form (generator/model/wire-from-model.ts
 *    `wireFromModel`), narrowed to the commands the server says it has
 *    (`guest-info`) or, failing that, to those the version index lists for
 *    the server's release.
 * 3. With no source schema at hand (or `--schema sdk`), the SDK's command
 *    and event names, narrowed the same way, and its validators for the
 *    arguments: names complete, arguments are checked, values are typed by
 *    their look (JSON, else a string) since the wire view has no types.
 * Docs (`help`) come from a source schema when one is found: `--schema FILE`,
 * else QEMU's files for the server's release (or the SDK's, 10.2.2) fetched
 * into .cache/qemu/ beside the package.
 *
 * Arguments are checked by the validator engine over that wire view
 * (runtime/validate/), as the SDKs check theirs.
 *
 * Data flow: a connected client → `loadShellSchema` → ShellSchema → completion,
 * coercion, checks and help.
 */
import { decodeRanges } from "../../core/history.js";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { QmpClient } from "../../runtime/client.js";
import type { SdkDescriptor, SdkValidators } from "../../runtime/sdk.js";
import { ExecuteError } from "../../runtime/errors.js";
import { loadSchema } from "../../generator/load-schema.js";
import type { Schema } from "../../generator/model/schema.js";
import { wireFromIntrospection, type SchemaInfo } from "../../core/introspection-file.js";
import { type WireCommand, type WireSchema } from "../../core/schema.js";
import { withSourceFlags } from "../../core/command-flags.js";
import { withIntegerWidths } from "../../core/integer-widths.js";
import { createValidators } from "../../runtime/validate/index.js";
import { wireFromModel } from "../../generator/model/wire-from-model.js";
import { docsFromSchema, type DocSource } from "./source-docs.js";
import { IntrospectionFileError } from "../../core/introspection-check.js";
import { agentVersion, greetingVersion, releaseSchemaOf, type ServerVersion } from "../../runtime/follow-server.js";

/** The kind of server, which decides the SDK and the source schema file. */
export type ServerKind = "qemu" | "qsd" | "qga";

/** What the shell knows about the server's schema. */
export interface ShellSchema {
  readonly wire: WireSchema;
  /** The docs, loaded on first use (parsing a source schema costs a moment that scripts need not pay). */
  docs(): DocSource | undefined;
  /** Show the docs' text, not just their facts. */
  readonly docText: boolean;
  /**
   * The validator engine over the wire view; when the wire view cannot
   * describe arguments (no schema found), the SDK's validators instead.
   */
  readonly validators: SdkValidators;
  /** Where the wire view came from, for the banner and `help`. */
  readonly origin: string;
  /** The server's version (`7.2.0`), when known. */
  readonly serverVersion: string | undefined;
}

/** Where loading the schema looks and what it may skip. */
export interface SchemaOptions {
  readonly kind: ServerKind;
  /** A QAPI source schema to use for docs (and as the schema when the server offers none); `sdk`: none at all. */
  readonly schemaFile?: string | undefined;
  /** False: the docs' facts (since when) only, no doc text. */
  readonly docs: boolean;
  /** The SDK, for the last-resort command list. */
  readonly sdk: SdkDescriptor;
  /** The version index of the SDK: command → versions having it (generated/<sdk>/versions.ts). */
  readonly commandVersions?:
    | { readonly versions: readonly string[]; readonly commands: Readonly<Record<string, readonly string[]>> }
    | undefined;
}

const sourcePaths: Record<ServerKind, string> = {
  qemu: "qapi/qapi-schema.json",
  qsd: "storage-daemon/qapi/qapi-schema.json",
  qga: "qga/qapi-schema.json",
};
/** The release the committed SDKs are generated from. */
const sdkRelease = "10.2.2";

/** The source schema files to try, best first. */
export function defaultSourceFiles(kind: ServerKind, serverVersion: string | undefined): string[] {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  // Distributions patch releases (Debian's 7.2 reports 7.2.22); the .0 release has the same schema.
  const minorRelease = serverVersion?.replace(/^(\d+\.\d+)\..*$/, "$1.0");
  const versions = [...new Set([serverVersion, minorRelease, sdkRelease].filter((v): v is string => v !== undefined))];
  return versions.map((v) => join(root, ".cache", "qemu", v, sourcePaths[kind]));
}

function loadSource(
  options: SchemaOptions,
  serverVersion: string | undefined,
): { schema: Schema; file: string } | undefined {
  if (options.schemaFile === "sdk") return undefined;
  const files = options.schemaFile ? [options.schemaFile] : defaultSourceFiles(options.kind, serverVersion);
  for (const file of files) {
    // An explicit --schema must load (a QapiError reaches the user); the defaults are tried quietly.
    if (!options.schemaFile && !existsSync(file)) continue;
    return { schema: loadSchema(file), file };
  }
  return undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClient = QmpClient<any, any>;

/** `7.2.0` from three whole numbers of a sane size, else undefined. */
function versionText(v: ServerVersion | undefined): string | undefined {
  if (!v || ![v.major, v.minor, v.micro].every((n) => Number.isSafeInteger(n) && n >= 0 && n < 10_000))
    return undefined;
  return `${v.major}.${v.minor}.${v.micro}`;
}

async function serverVersionOf(
  client: AnyClient,
  kind: ServerKind,
): Promise<{ version?: string | undefined; commands?: string[] | undefined }> {
  // The peer's version picks a file under .cache/qemu/: only three whole numbers may do that.
  if (kind !== "qga") return { version: versionText(greetingVersion(client.greeting?.version)) };
  try {
    const info = (await client.execute("guest-info")) as { supported_commands?: unknown } | null;
    const listed = Array.isArray(info?.supported_commands) ? (info.supported_commands as unknown[]) : undefined;
    return {
      version: versionText(agentVersion(info)),
      commands: listed?.flatMap((c) => {
        const name = (c as { name?: unknown } | null)?.name;
        return typeof name === "string" ? [name] : [];
      }),
    };
  } catch (error) {
    // A refusal means an agent that hides guest-info; silence (a timeout) or a lost connection is fatal.
    if (!(error instanceof ExecuteError)) throw error;
    return {};
  }
}

function narrowed(wire: WireSchema, keep: (name: string) => boolean): WireSchema {
  const commands = new Map([...wire.commands].filter(([name]) => keep(name)));
  return { ...wire, commands };
}

/**
 * Finds the schema to know the server by (see the module comment).
 * @throws QapiError when `schemaFile` is given and cannot be read
 */
export async function loadShellSchema(client: AnyClient, options: SchemaOptions): Promise<ShellSchema> {
  const { version, commands: serverCommands } = await serverVersionOf(client, options.kind);
  const label = version ? `QEMU ${version}` : "server";
  let fromServer: WireSchema | undefined;
  if (options.kind !== "qga") {
    try {
      const schema = (await client.execute("query-qmp-schema")) as SchemaInfo[];
      // A greeting whose version is malformed does not make the server's own schema unusable.
      const parsed = greetingVersion(client.greeting?.version);
      const stated = { qemu: parsed ?? { major: 0, minor: 0, micro: 0 }, package: "" };
      // Flags introspection does not show ('gen': false) come from the SDK's own schema; integer widths
      // from the SDK's knowledge of the server's release (its history), where it has it.
      fromServer = withIntegerWidths(
        withSourceFlags(wireFromIntrospection({ version: stated, schema }, label), options.sdk.wire?.()),
        await releaseSchemaOf(options.sdk, parsed),
      );
    } catch (error) {
      // A server that does not answer is not an older one; a malformed schema (a hostile server's) is not used.
      if (!(error instanceof ExecuteError) && !(error instanceof IntrospectionFileError)) throw error;
      fromServer = undefined; // an older or restricted server: fall back to a source schema
    }
  }
  const source = fromServer ? undefined : loadSource(options, version);
  let docSource: DocSource | undefined | null = null;
  const docs = () => {
    if (docSource === null) {
      const loaded = source ?? loadSource(options, version);
      docSource = loaded ? docsFromSchema(loaded.schema) : undefined;
    }
    return docSource;
  };
  if (fromServer)
    return {
      wire: fromServer,
      validators: createValidators(fromServer),
      docs,
      docText: options.docs,
      origin: "the server's query-qmp-schema",
      serverVersion: version,
    };
  if (source) {
    const wire = narrowToServer(wireFromModel(source.schema, label, version), serverCommands, version, options);
    return {
      wire,
      validators: createValidators(wire),
      docs,
      docText: options.docs,
      origin: `the source schema ${source.file}`,
      serverVersion: version,
    };
  }
  const commands = new Map<string, WireCommand>(
    Object.keys(options.sdk.commands).map((name) => [
      name,
      { name, features: [], argType: "", retType: "", allowOob: false },
    ]),
  );
  const events = new Map(Object.keys(options.sdk.events).map((name) => [name, { name, features: [], argType: "" }]));
  return {
    wire: narrowToServer(
      { origin: "source", label, commands, events, types: new Map() },
      serverCommands,
      version,
      options,
    ),
    docs: () => undefined,
    docText: false,
    validators: options.sdk.validators,
    origin: `the SDK (${options.sdk.qemuVersion ?? sdkRelease}; no source schema)`,
    serverVersion: version,
  };
}

/** A generated SDK's version index (generated/<sdk>/versions.ts `qemuVersionIndex`) as `commandVersions`. */
export function commandVersionsOf(index: {
  readonly releases: readonly string[];
  readonly commands: Readonly<Record<string, string>>;
}): NonNullable<SchemaOptions["commandVersions"]> {
  const commands = Object.entries(index.commands).map(([name, ranges]) => [
    name,
    [...decodeRanges(index.releases, ranges)],
  ]);
  return { versions: index.releases, commands: Object.fromEntries(commands) };
}

/** Keeps the commands the server says it has, or else those the version index gives its release. */
export function narrowToServer(
  wire: WireSchema,
  serverCommands: string[] | undefined,
  version: string | undefined,
  options: SchemaOptions,
): WireSchema {
  const index = options.commandVersions;
  if (serverCommands) {
    const have = new Set(serverCommands);
    return narrowed(wire, (name) => have.has(name));
  }
  // An unlisted stable release (7.2.22) counts as its series' newest listed release at or below it (7.2.15).
  const [major, minor, micro] = (version ?? "").split(".").map(Number);
  const indexed =
    micro !== undefined && micro < 50
      ? index?.versions
          .filter((v) => {
            const [a, b, c] = v.split(".").map(Number);
            return a === major && b === minor && c! <= micro;
          })
          .at(-1)
      : undefined;
  if (indexed)
    return narrowed(wire, (name) => !Object.hasOwn(index!.commands, name) || index!.commands[name]!.includes(indexed));
  return wire;
}
