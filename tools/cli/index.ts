/**
 * The `qapi-ts` subcommands, in the order `--help` shows them.
 *
 * Each module exports one yargs CommandModule. They are loaded on demand:
 * tools/cli/main.ts imports only the module of the command being run (all of
 * them for `--help` or an unknown command), so `qapi-ts dump` does not pay for
 * prettier, the generator or the runtime.
 */
import type { CommandModule } from "yargs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

/** Command name (as typed on the command line) → loader of its module. */
export const commandLoaders: Readonly<Record<string, () => Promise<AnyCommand>>> = {
  dump: async () => (await import("./dump.js")).dumpCommand,
  generate: async () => (await import("./generate.js")).generateCommand,
  "validate-log": async () => (await import("./validate-log.js")).validateLogCommand,
  diff: async () => (await import("./diff.js")).diffCommand,
  introspect: async () => (await import("./introspect.js")).introspectCommand,
  shell: async () => (await import("../shell/command.js")).shellCommand,
  proxy: async () => (await import("./proxy.js")).proxyCommand,
  versions: async () => (await import("./versions.js")).versionsCommand,
  history: async () => (await import("./history.js")).historyCommand,
  jsonschema: async () => (await import("./jsonschema.js")).jsonSchemaCommand,
  mcp: async () => (await import("../mcp/command.js")).mcpCommand,
};

/**
 * The command modules needed to parse `argv`: the named command's alone when
 * the first word is a known command, else every one (for help and suggestions).
 */
export async function loadCommands(argv: readonly string[]): Promise<AnyCommand[]> {
  const first = argv.find((word) => !word.startsWith("-"));
  const names = first !== undefined && Object.hasOwn(commandLoaders, first) ? [first] : Object.keys(commandLoaders);
  return Promise.all(names.map((name) => commandLoaders[name]!()));
}
