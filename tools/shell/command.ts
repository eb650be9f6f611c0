/**
 * `qapi-ts shell`: the yargs module and the wiring of one shell session —
 * connect (session.ts), learn the schema (schema-source.ts), then run
 * interactively on a terminal (repl.ts) or as a script from `-c` or standard
 * input (script.ts), with `--record` (record.ts), `--json` and the history
 * file (history.ts). Listed in tools/cli/index.ts.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { QmpError } from "../../runtime/errors.js";
import { UserFacingError } from "../../generator/errors.js";
import { defaultHistoryFile } from "./history.js";
import { ConversationRecorder } from "./record.js";
import { paletteFor } from "./render.js";
import { PromptOutput, runRepl } from "./repl.js";
import { ShellRunner } from "./run-line.js";
import { commandVersionsOf, loadShellSchema, type ServerKind } from "./schema-source.js";
import { runScript, scriptOutput } from "./script.js";
import { openSession, sessionTarget, withSessionOptions, type SessionArgs, type ShellConnection } from "./session.js";

interface ShellArgs extends SessionArgs {
  command?: string[];
  json?: boolean;
  record?: string;
  schema?: string;
  docs: boolean;
  history?: string | false;
  "stop-on-error"?: boolean;
}

const prompts: Record<ServerKind, string> = { qemu: "(QEMU) ", qsd: "(QSD) ", qga: "(QGA) " };

async function versionIndexFor(kind: ServerKind) {
  if (kind === "qga") return (await import("../../generated/qga/versions.js")).qgaVersionIndex;
  if (kind === "qsd") return (await import("../../generated/qsd/versions.js")).qsdVersionIndex;
  return (await import("../../generated/qemu/versions.js")).qemuVersionIndex;
}

async function runShell(argv: ArgumentsCamelCase<ShellArgs>): Promise<number> {
  let session: ShellConnection;
  try {
    session = await openSession(sessionTarget(argv, "shell"));
  } catch (error) {
    if (error instanceof QmpError) throw new UserFacingError(`shell: ${error.message}`);
    throw error;
  }
  let recorder: ConversationRecorder | undefined;
  try {
    const index = await versionIndexFor(session.kind);
    const schema = await loadShellSchema(session.client, {
      kind: session.kind,
      schemaFile: argv.schema,
      docs: argv.docs,
      sdk: session.sdk,
      commandVersions: commandVersionsOf(index),
    }).catch((error: unknown) => {
      if (error instanceof QmpError) throw new UserFacingError(`shell: ${error.message}`);
      throw error;
    });
    if (argv.record) {
      try {
        recorder = new ConversationRecorder(argv.record);
      } catch (error) {
        throw new UserFacingError(`shell: --record ${argv.record}: ${(error as Error).message}`);
      }
      recorder.start(session.client.greeting, session.client.capabilities);
    }
    const interactive = argv.command === undefined && process.stdin.isTTY === true;
    const palette = paletteFor(process.stdout);
    // Interactive problems are written above the prompt (stdout); a script's go to stderr.
    const problemPalette = interactive ? palette : paletteFor(process.stderr);
    const options = { palette, problemPalette, json: argv.json === true, recorder };
    if (!interactive) {
      const runner = new ShellRunner(session.client, schema, scriptOutput(process.stdout, process.stderr), options);
      return await runScript(runner, argv.command, process.stdin, argv["stop-on-error"] === true);
    }
    const output = new PromptOutput(process.stdout);
    const runner = new ShellRunner(session.client, schema, output, options);
    const historyFile = argv.history === false ? undefined : (argv.history ?? defaultHistoryFile());
    const version = schema.serverVersion ? ` ${schema.serverVersion}` : "";
    const banner =
      `Connected to ${session.kind === "qga" ? "the guest agent" : session.kind === "qsd" ? "the storage daemon" : "QEMU"}${version} at ${session.description}; ` +
      `${schema.wire.commands.size} commands from ${schema.origin}.\n'help' for help, Tab completes, Ctrl-D or 'exit' leaves.`;
    return await runRepl(runner, output, schema.wire, {
      input: process.stdin,
      output: process.stdout,
      prompt: prompts[session.kind],
      historyFile,
      banner,
      closed: session.client.closed,
    });
  } finally {
    recorder?.close();
    await session.close();
  }
}

/** The yargs module of `qapi-ts shell`. */
export const shellCommand: CommandModule<object, ShellArgs> = {
  command: "shell",
  describe: "Interactive QMP shell that knows the server's schema (completion, help, checks before sending)",
  builder: (y: Argv<object>) =>
    withSessionOptions(y)
      .option("command", {
        alias: "c",
        type: "string",
        array: true,
        describe: "run this line (repeatable) instead of reading input",
      })
      .option("json", { type: "boolean", describe: "print replies and events as one-line wire JSON" })
      .option("record", {
        type: "string",
        describe: "write the conversation to FILE (JSON Lines, as validate-log reads)",
      })
      .option("schema", {
        type: "string",
        describe:
          "QAPI source schema for docs (and checks when the server has no query-qmp-schema); sdk: none, the SDK's facts",
      })
      .option("docs", {
        type: "boolean",
        default: true,
        describe: "show the source schema's doc text in help (--no-docs: facts such as since when only)",
      })
      .option("history", {
        type: "string",
        describe: "history file (default $XDG_STATE_HOME/qapi-ts/history); --no-history: none",
      })
      .option("stop-on-error", { type: "boolean", describe: "scripts: stop at the first failing line" })
      .example("$0 shell --connect unix:/run/vm1.qmp", "")
      .example("$0 shell --launch -- qemu-system-x86_64 -S -display none", "")
      .example("$0 shell --connect unix:/run/vm1.qmp -c query-status -c 'hmp info block'", "")
      .example("$0 shell --qga --connect unix:/run/vm1-qga.sock", "") as unknown as Argv<ShellArgs>,
  handler: async (argv: ArgumentsCamelCase<ShellArgs>) => {
    process.exitCode = await runShell(argv);
  },
};
