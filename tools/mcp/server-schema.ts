/**
 * The schema the MCP server describes the connected server by, with its
 * docs facts:
 * - QEMU and the storage daemon: their own `query-qmp-schema`, exactly what
 *   this binary accepts;
 * - else (the guest agent has no introspection, or the command failed) the
 *   version history's view of the server's release (the greeting's version;
 *   the guest agent's `guest-info`), narrowed to the commands the guest
 *   agent says are enabled;
 * - a release the history does not cover: the SDK's own schema.
 * Since when each command and event exists comes from the history; with
 * `--schema SRC` the source's doc comments add the text.
 *
 * Data flow: an open session (tools/shell/session.ts) → `loadServerSchema`
 * → server.ts (tools, validators, JSON Schema).
 */
import type { QmpClient } from "../../runtime/client.js";
import type { SdkDescriptor } from "../../runtime/sdk.js";
import { historyAt, releaseOfVersion, type History } from "../../core/history.js";
import { releaseNumbers } from "../../core/release.js";
import { wireFromIntrospection, type SchemaInfo } from "../../core/introspection-file.js";
import { withSourceFlags } from "../../core/command-flags.js";
import { withIntegerWidths } from "../../core/integer-widths.js";
import type { WireSchema } from "../../core/schema.js";
import { readHistory } from "../history/files.js";
import { loadSchema } from "../../generator/load-schema.js";
import type { DocFacts } from "../../core/json-schema.js";
import { historyDocFacts, sourceDocFacts } from "../jsonschema/docs-facts.js";
import type { ServerKind } from "../shell/schema-source.js";

export interface ServerSchema {
  readonly wire: WireSchema;
  readonly facts: DocFacts;
  /** Where the wire view came from, for the server's instructions. */
  readonly origin: string;
  /** The server's version (`7.2.22`), when it said. */
  readonly version: string | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClient = QmpClient<any, any>;

interface AgentInfo {
  version?: string;
  supported_commands?: { name: string; enabled: boolean }[];
}

/** Docs from the history, with the source's text over them where it has some. */
function combinedFacts(history: History, schemaFile: string | undefined): DocFacts {
  const fromHistory = historyDocFacts(history);
  if (!schemaFile) return fromHistory;
  const source = sourceDocFacts(loadSchema(schemaFile, { docLint: false }));
  const both =
    <A extends unknown[]>(
      f: (...a: A) => { since?: string | undefined; text?: string | undefined } | undefined,
      h: (...a: A) => { since?: string | undefined } | undefined,
    ) =>
    (...a: A) => {
      const s = f(...a);
      const since = s?.since ?? h(...a)?.since;
      return s || since ? { text: s?.text, since } : undefined;
    };
  return {
    command: both(source.command, fromHistory.command),
    returns: source.returns,
    event: both(source.event, fromHistory.event),
    // Introspection's type names are numbers: only a history view's names match the source's.
    type: source.type,
    member: source.member,
  };
}

/**
 * Learns the server's schema.
 * @throws QapiError when `schemaFile` cannot be read
 */
export async function loadServerSchema(
  client: AnyClient,
  kind: ServerKind,
  sdk: SdkDescriptor,
  schemaFile: string | undefined,
): Promise<ServerSchema> {
  const history = readHistory(kind);
  const facts = combinedFacts(history, schemaFile);
  if (kind !== "qga") {
    const q = client.greeting?.version.qemu;
    const version = q ? `${q.major}.${q.minor}.${q.micro}` : undefined;
    try {
      const schema = (await client.execute("query-qmp-schema")) as SchemaInfo[];
      const introspected = wireFromIntrospection(
        { version: client.greeting!.version, schema },
        `QEMU ${version ?? "?"}`,
      );
      // What introspection leaves out ('gen': false, integer widths) from the history's view of the release.
      const release = q ? releaseOfVersion(history, q) : undefined;
      const known = release ? historyAt(history, release) : undefined;
      const wire = withIntegerWidths(withSourceFlags(introspected, known ?? sdk.wire?.()), known);
      return { wire, facts, origin: "the server's query-qmp-schema", version };
    } catch {
      const release = q ? releaseOfVersion(history, q) : undefined;
      if (release)
        return { wire: historyAt(history, release), facts, origin: `the version history's ${release}`, version };
      return { wire: sdk.wire!(), facts, origin: `the ${sdk.name} SDK's schema`, version };
    }
  }
  let info: AgentInfo = {};
  try {
    info = (await client.execute("guest-info")) as AgentInfo;
  } catch {
    // An agent that refuses guest-info: described by the SDK, unnarrowed.
  }
  const numbers = releaseNumbers(info.version ?? "");
  const version = numbers?.join(".");
  const release = numbers
    ? releaseOfVersion(history, { major: numbers[0], minor: numbers[1], micro: numbers[2] })
    : undefined;
  const base = release ? historyAt(history, release) : sdk.wire!();
  const enabled = info.supported_commands?.filter((c) => c.enabled).map((c) => c.name);
  const commands = enabled ? new Map([...base.commands].filter(([name]) => enabled.includes(name))) : base.commands;
  return {
    wire: { ...base, commands },
    facts,
    origin: release ? `the version history's ${release}, narrowed by guest-info` : `the ${sdk.name} SDK's schema`,
    version,
  };
}
