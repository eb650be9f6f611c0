/**
 * `qapi-ts mcp`: the yargs module and the wiring of one MCP server — open
 * the QMP session (tools/shell/session.ts: `--connect`, `--launch`,
 * `--qga`, `--qsd`), learn the server's schema (server-schema.ts), build the
 * policy (policy.ts) and the tools (tools.ts), keep the events
 * (events.ts), then serve MCP (server.ts) on standard input and output, or
 * over streamable HTTP on loopback with `--http PORT`. Listed in
 * tools/cli/index.ts.
 */
import { readFileSync } from "node:fs";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { QmpError } from "../../runtime/errors.js";
import { UserFacingError } from "../../generator/errors.js";
import { ConversationRecorder } from "../shell/record.js";
import {
  openSession,
  sessionTarget,
  withSessionOptions,
  type SessionArgs,
  type ShellConnection,
} from "../shell/session.js";
import { EventLog } from "./events.js";
import { globMatcher, Policy, profiles, type Profile } from "./policy.js";
import { serveHttp, serveStdio } from "./server.js";
import { loadServerSchema } from "./server-schema.js";
import { QmpTools } from "./tools.js";

interface McpArgs extends SessionArgs {
  schema?: string;
  profile: Profile;
  allow: string[];
  deny: string[];
  deprecated: boolean;
  unstable: boolean;
  tools: string[];
  events: number;
  http?: number;
  host: string;
  record?: string;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string })
    .version;
}

/** Splits `a,b` in repeated options into single names. */
const names = (values: readonly string[] | undefined) =>
  (values ?? []).flatMap((v) => String(v).split(",")).filter((v) => v !== "");

async function runMcp(argv: ArgumentsCamelCase<McpArgs>): Promise<void> {
  let session: ShellConnection;
  try {
    session = await openSession(sessionTarget(argv, "mcp"), "mcp");
  } catch (error) {
    if (error instanceof QmpError) throw new UserFacingError(`qapi-ts mcp: ${error.message}`);
    throw error;
  }
  let recorder: ConversationRecorder | undefined;
  try {
    const schema = await loadServerSchema(session.client, session.kind, session.sdk, argv.schema);
    const policy = new Policy(
      {
        profile: argv.profile,
        allow: names(argv.allow),
        deny: names(argv.deny),
        deprecated: argv.deprecated,
        unstable: argv.unstable,
      },
      schema.wire,
    );
    if (argv.record) {
      recorder = new ConversationRecorder(argv.record);
      recorder.start(session.client.greeting, session.client.capabilities);
    }
    const events = new EventLog(argv.events);
    session.client.on("*", (_data, event) => {
      recorder?.event(event);
      events.add(event);
    });
    const chosen = names(argv.tools).map(globMatcher);
    const tools = new QmpTools(session.client, schema, policy, (name) => chosen.some((m) => m(name)), recorder);
    const server =
      session.kind === "qga" ? "a QEMU guest agent" : session.kind === "qsd" ? "a QEMU storage daemon" : "QEMU";
    const instructions =
      `Connected to ${server}${schema.version ? ` ${schema.version}` : ""}, described by ${schema.origin}; ` +
      `policy profile ${argv.profile}, ${policy.allowedCommands().length} of ${schema.wire.commands.size} commands allowed. ` +
      `Find commands with qmp_search, read their arguments with qmp_describe, run them with qmp_execute. ` +
      `Events arrive as log messages (logger qemu-event) and in the resource qapi-ts://events/recent.`;
    const content = { tools, events, instructions, version: packageVersion() };
    if (argv.http === undefined) {
      await serveStdio(content, session.client.closed);
      return;
    }
    const endpoint = await serveHttp(content, argv.host, argv.http);
    process.stderr.write(`qapi-ts mcp: serving ${endpoint.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      void session.client.closed.then(stop);
    });
    await endpoint.close();
  } finally {
    recorder?.close();
    await session.close();
  }
}

/** The yargs module of `qapi-ts mcp`. */
export const mcpCommand: CommandModule<object, McpArgs> = {
  command: "mcp",
  describe: "MCP server for agents in front of QEMU, the guest agent or the storage daemon, from the server's schema",
  builder: (y: Argv<object>) =>
    withSessionOptions(y)
      .option("schema", { type: "string", describe: "QAPI source schema whose doc comments describe the commands" })
      .option("profile", {
        choices: profiles,
        default: "vm-control" as Profile,
        describe: "read-only: changes nothing; vm-control: also run state and devices; full: everything",
      })
      .option("allow", { type: "string", array: true, default: [], describe: "commands to allow (names or globs)" })
      .option("deny", { type: "string", array: true, default: [], describe: "commands to deny (names or globs)" })
      .option("deprecated", { type: "boolean", default: false, describe: "show commands marked deprecated" })
      .option("unstable", { type: "boolean", default: false, describe: "show commands marked unstable" })
      .option("tools", {
        type: "string",
        array: true,
        default: [],
        describe: "commands that also get a tool of their own (names or globs)",
      })
      .option("events", { type: "number", default: 100, describe: "how many recent events the resource keeps" })
      .option("http", { type: "number", describe: "serve streamable HTTP on this port (0: any) instead of stdio" })
      .option("host", { type: "string", default: "127.0.0.1", describe: "loopback address for --http" })
      .option("record", { type: "string", describe: "write the QMP conversation to FILE (JSON Lines)" })
      .example("$0 mcp --connect unix:/run/vm1.qmp  # stdio, for an agent's MCP configuration", "")
      .example("$0 mcp --connect unix:/run/vm1.qmp --profile read-only --tools 'query-*'", "")
      .example("$0 mcp --qga --connect unix:/run/vm1-qga.sock --http 8808  # http://127.0.0.1:8808/mcp", "")
      .example("$0 mcp --launch -- qemu-system-x86_64 -S -display none", "") as unknown as Argv<McpArgs>,
  handler: async (argv: ArgumentsCamelCase<McpArgs>) => {
    await runMcp(argv);
  },
};
