/**
 * The `qapi-ts` command line: yargs wiring only.
 *
 * Each subcommand lives in tools/cli/<name>.ts and is listed in
 * tools/cli/index.ts, which loads only the one being run. User
 * errors (UserFacingError) are printed in the shape their class chooses, with
 * their exit status; anything else is a bug and keeps its stack.
 * `--version` prints the version in the package's package.json.
 */
import { readFileSync } from "node:fs";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { loadCommands } from "./index.js";
import { UserFacingError } from "../../generator/errors.js";

/** The package's version: build/tools/cli/main.js is three folders below package.json. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName("qapi-ts")
    .strict()
    .demandCommand(1, "name a command; see --help")
    .recommendCommands()
    .help()
    .version(packageVersion())
    .example("$0 generate --schema qapi/qapi-schema.json --out src/qmp  # a typed SDK", "")
    .example("$0 introspect --qemu qemu-system-x86_64 -o qemu-here.json  # what a QEMU offers", "")
    .example("$0 generate --help  # every option of one command", "")
    .wrap(Math.min(100, process.stdout.columns || 100))
    // Leave error printing to us: usage errors to stderr with the usage text,
    // user errors without a stack.
    .fail((message, error) => {
      if (error) throw error;
      process.stderr.write(`qapi-ts: ${message}\nRun 'qapi-ts --help' for usage.\n`);
      process.exit(2);
    });
  for (const command of await loadCommands(argv)) cli = cli.command(command);
  await cli.parseAsync();
}

main(hideBin(process.argv)).catch((error: unknown) => {
  if (error instanceof UserFacingError) {
    process.stderr.write(error.report().replace(/\n?$/, "\n"));
    process.exit(error.exitCode);
  }
  throw error;
});
