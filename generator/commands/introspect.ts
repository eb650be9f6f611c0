/**
 * `qapi-ts introspect`: records what a QEMU binary or running monitor offers,
 * as one JSON file `{ "version": …, "schema": … }` that `diff`, `generate
 * --introspection` and the version index read. Work is done by
 * generator/sync/introspect.ts.
 */
import { writeFileSync } from "node:fs";
import type { CommandModule } from "yargs";
import { QmpError } from "../../runtime/index.js";
import { UserFacingError } from "../errors.js";
import { introspectBinary, introspectMonitor } from "../sync/introspect.js";
import type { IntrospectionFile } from "../sync/introspection-file.js";

interface IntrospectArgs {
  connect?: string;
  qemu?: string;
  output?: string;
  "--"?: (string | number)[];
}

/** Writes the file with one schema entry per line: diffable, and still plain JSON. */
export function formatIntrospectionFile(file: IntrospectionFile): string {
  const entries = file.schema.map((e) => "    " + JSON.stringify(e)).join(",\n");
  return `{\n  "version": ${JSON.stringify(file.version)},\n  "schema": [\n${entries}\n  ]\n}\n`;
}

/** The yargs module of `qapi-ts introspect`. */
export const introspectCommand: CommandModule<object, IntrospectArgs> = {
  command: "introspect",
  describe: "Record a QEMU's query-version and query-qmp-schema as an introspection file",
  builder: (yargs) =>
    yargs
      .parserConfiguration({ "populate--": true })
      .option("connect", { type: "string", describe: "monitor address: unix:PATH or tcp:HOST:PORT" })
      .option("qemu", { type: "string", describe: "QEMU binary to start (arguments after --)" })
      .option("output", { alias: "o", type: "string", describe: "file to write (default: standard output)" })
      .check((argv) => {
        if (!argv.connect === !argv.qemu) throw new Error("give exactly one of --connect and --qemu");
        return true;
      })
      .example("$0 introspect --qemu /usr/bin/qemu-system-x86_64 -o qemu-7.2.json", "")
      .example("$0 introspect --qemu /usr/bin/qemu-storage-daemon -o qsd-7.2.json", "")
      .example("$0 introspect --connect unix:/run/qmp.sock", "") as never,
  handler: async (argv) => {
    let file: IntrospectionFile;
    try {
      file = argv.connect
        ? await introspectMonitor(argv.connect)
        : await introspectBinary(argv.qemu!, (argv["--"] ?? []).map(String));
    } catch (error) {
      // Reaching QEMU is the user's setup, not our bug: report it without a stack.
      if (error instanceof QmpError) throw new UserFacingError(`introspect: ${error.message}`);
      throw error;
    }
    const text = formatIntrospectionFile(file);
    if (argv.output) writeFileSync(argv.output, text);
    else process.stdout.write(text);
  },
};
