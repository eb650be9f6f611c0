/**
 * `qapi-ts introspect`: records what a QEMU binary or running monitor offers,
 * (or, with --schema, what a source schema describes, with real type names: the
 * reference runtime/capabilities.ts uses) as one JSON file `{ "version": …, "schema": … }` that `diff`, `generate
 * --introspection` and the version index read. Work is done by
 * tools/introspection/introspect.ts.
 */
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { CommandModule } from "yargs";
import { QmpError } from "../../runtime/index.js";
import { UserFacingError } from "../../generator/errors.js";
import { loadSchema } from "../../generator/load-schema.js";
import { introspectBinary, introspectMonitor } from "../introspection/introspect.js";
import { resolveSide } from "../diff/load-side.js";
import { referenceFromModel } from "../introspection/reference.js";
import { writeStdout } from "./stdout.js";
import type { IntrospectionFile } from "../../core/introspection-file.js";

interface IntrospectArgs {
  connect?: string;
  schema?: string;
  qemu?: string;
  output?: string;
  "--"?: (string | number)[];
}

/** Writes the file with one schema entry per line: diffable, and still plain JSON. */
export function formatIntrospectionFile(file: IntrospectionFile): string {
  const entries = file.schema.map((e) => "    " + JSON.stringify(e)).join(",\n");
  return `{\n  "version": ${JSON.stringify(file.version)},\n  "schema": [\n${entries}\n  ]\n}\n`;
}

/**
 * The guest agent has no QMP monitor and no query-qmp-schema; started like
 * QEMU it only rejects QEMU's options. Say so, and what works instead.
 */
function rejectGuestAgent(binary: string): void {
  if (!/^qemu-ga(\.exe)?$/.test(basename(binary))) return;
  throw new UserFacingError(
    `qapi-ts introspect: ${binary} is QEMU's guest agent, which cannot describe itself (it has no query-qmp-schema); ` +
      "record its schema from QEMU's sources instead: qapi-ts introspect --schema QEMU-SOURCES/qga/qapi-schema.json -o qga.json",
    2,
  );
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
      .option("schema", { type: "string", describe: "source schema: write its reference (real type names) instead" })
      .option("output", { alias: "o", type: "string", describe: "file to write (default: standard output)" })
      .example("$0 introspect --qemu /usr/bin/qemu-system-x86_64 -o qemu-7.2.json", "")
      .example("$0 introspect --qemu /usr/bin/qemu-storage-daemon -o qsd-7.2.json", "")
      .example("$0 introspect --connect unix:/run/qmp.sock", "")
      .example("$0 introspect --schema qga/qapi-schema.json -o qga.json  # guest agent, from sources", "") as never,
  handler: async (argv) => {
    if ([argv.connect, argv.qemu, argv.schema].filter(Boolean).length !== 1) {
      throw new UserFacingError("qapi-ts introspect: give exactly one of --connect, --qemu and --schema", 2);
    }
    if (argv.qemu !== undefined) rejectGuestAgent(argv.qemu);
    let file: IntrospectionFile;
    try {
      if (argv.schema) {
        const path = resolveSide(argv.schema);
        file = referenceFromModel(loadSchema(path), /(\d+\.\d+\.\d+)\//.exec(path)?.[1]);
      } else if (argv.connect) file = await introspectMonitor(argv.connect);
      else file = await introspectBinary(argv.qemu!, (argv["--"] ?? []).map(String));
    } catch (error) {
      // Reaching QEMU is the user's setup, not our bug: report it without a stack.
      if (error instanceof QmpError) throw new UserFacingError(`introspect: ${error.message}`);
      throw error;
    }
    const text = formatIntrospectionFile(file);
    if (argv.output) writeFileSync(argv.output, text);
    else writeStdout(text);
  },
};
