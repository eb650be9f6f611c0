/**
 * `qapi-ts dump [--doc-lint | --qemu-version V] SCHEMA`: print the resolved
 * model in the text format of QEMU's tests/qapi-schema/*.out files.
 *
 * Loads the schema through generator/load-schema.ts, by the rules of the
 * release it belongs to, and writes generator/model/dump.ts's text to
 * stdout. A schema error is a QapiError, which tools/cli/main.ts prints
 * at QEMU's location with exit status 1.
 */
import type { CommandModule } from "yargs";
import { UserFacingError } from "../../generator/errors.js";
import { loadSchema } from "../../generator/load-schema.js";
import { dumpSchema } from "../../generator/model/dump.js";
import { rejectIntrospectionFile } from "../schema-argument.js";

interface DumpArgs {
  schema: string;
  "doc-lint": boolean;
  "qemu-version": string | undefined;
}

/** The `dump` subcommand. */
export const dumpCommand: CommandModule<object, DumpArgs> = {
  command: "dump <schema>",
  describe: "Print a schema's resolved model in the format of QEMU's qapi-schema test dumps",
  builder: (yargs) =>
    yargs
      .positional("schema", { type: "string", demandOption: true, describe: "the main schema file" })
      .option("doc-lint", {
        type: "boolean",
        default: false,
        describe:
          "apply QEMU 10.2's rules in full (doc line-format lint, no legacy doc sections, none of older releases' constructs), whatever the schema's release",
      })
      .option("qemu-version", {
        type: "string",
        describe:
          "read the schema by the rules of this QEMU release (default: the VERSION of the QEMU tree holding it, else the newest rules that accept it)",
      })
      .example("$0 dump qapi/qapi-schema.json  # the model, as QEMU's tests/qapi-schema/*.out", "")
      .example("$0 dump my-schema.json --doc-lint  # also QEMU 10.2's doc comment rules", "")
      .example("$0 dump old/qapi-schema.json --qemu-version 6.1.0  # as QEMU 6.1 read it", ""),
  handler: (args) => {
    rejectIntrospectionFile(args.schema, "dump", "dump reads QAPI source schemas only");
    const version = args["qemu-version"];
    if (version !== undefined && args["doc-lint"]) {
      throw new UserFacingError(
        "qapi-ts dump: --doc-lint is QEMU 10.2's rules; give it or --qemu-version, not both",
        2,
      );
    }
    const schema = loadSchema(
      args.schema,
      version !== undefined ? { qemuVersion: version } : { docLint: args["doc-lint"] },
    );
    process.stdout.write(dumpSchema(schema));
  },
};
