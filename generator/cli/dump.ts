/**
 * `qapi-ts dump [--doc-lint] SCHEMA`: print the resolved model in the text
 * format of QEMU's tests/qapi-schema/*.out files.
 *
 * Loads the schema through generator/load-schema.ts and writes
 * generator/model/dump.ts's text to stdout. A schema error is a QapiError,
 * which generator/cli/main.ts prints in QEMU's shape with exit status 1.
 */
import type { CommandModule } from "yargs";
import { loadSchema } from "../load-schema.js";
import { dumpSchema } from "../model/dump.js";
import { rejectIntrospectionFile } from "./schema-argument.js";

interface DumpArgs {
  schema: string;
  "doc-lint": boolean;
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
          "apply QEMU 10.2's rules in full (doc line-format lint, no legacy doc sections, none of older releases' constructs); by default each release's schema is read as that release read it",
      })
      .example("$0 dump qapi/qapi-schema.json  # the model, as QEMU's tests/qapi-schema/*.out", "")
      .example("$0 dump my-schema.json --doc-lint  # also QEMU 10.2's doc comment rules", ""),
  handler: (args) => {
    rejectIntrospectionFile(args.schema, "dump", "dump reads QAPI source schemas only");
    const schema = loadSchema(args.schema, { docLint: args["doc-lint"] });
    process.stdout.write(dumpSchema(schema));
  },
};
