/**
 * `qapi-ts jsonschema (--schema SRC | --introspection FILE | --release V) --out DIR`:
 * writes DIR/schema.json, one JSON Schema 2020-12 document for every
 * command's arguments and return and every event's data
 * (tools/jsonschema/). Numbers are written losslessly: 64-bit bounds
 * stay exact.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CommandModule } from "yargs";
import { stringifyJson } from "../../runtime/json.js";
import { UserFacingError } from "../../generator/errors.js";
import { jsonSchemaDocument } from "../../core/json-schema.js";
import { loadDescribedSchema } from "../jsonschema/load.js";

interface JsonSchemaArgs {
  schema?: string;
  introspection?: string;
  release?: string;
  sdk: "qemu" | "qga" | "qsd";
  out: string;
}

/** The document as text: two-space indented, bigints as exact JSON numbers. */
export function jsonSchemaText(document: unknown): string {
  return stringifyJson(document, 2) + "\n";
}

/** The yargs module of `qapi-ts jsonschema`. */
export const jsonSchemaCommand: CommandModule<object, JsonSchemaArgs> = {
  command: "jsonschema",
  describe: "Write JSON Schema 2020-12 for every command's arguments and return and every event's data",
  builder: (yargs) =>
    yargs
      .option("schema", { type: "string", describe: "QAPI source schema (its docs become descriptions)" })
      .option("introspection", { type: "string", describe: "introspection file (qapi-ts introspect)" })
      .option("release", { type: "string", describe: "a QEMU release as the shipped version history has it" })
      .option("sdk", {
        choices: ["qemu", "qga", "qsd"] as const,
        default: "qemu" as const,
        describe: "whose history --release reads: QMP, guest agent, storage daemon",
      })
      .option("out", { type: "string", demandOption: true, describe: "output directory (gets schema.json)" })
      .example("$0 jsonschema --release 7.2.0 --out qmp-schema  # QEMU 7.2's QMP", "")
      .example("$0 jsonschema --schema qemu/qga/qapi-schema.json --out qga-schema  # with the docs", "") as never,
  handler: (argv) => {
    const { wire, facts } = loadDescribedSchema(argv, "jsonschema");
    const document = jsonSchemaDocument(wire, facts);
    try {
      mkdirSync(argv.out, { recursive: true });
      writeFileSync(join(argv.out, "schema.json"), jsonSchemaText(document));
    } catch (error) {
      throw new UserFacingError(`qapi-ts jsonschema: --out ${argv.out}: ${(error as Error).message}`);
    }
    const defs = Object.keys(document["$defs"] as object).length;
    process.stderr.write(
      `${join(argv.out, "schema.json")}: ${defs} definitions (${wire.commands.size} commands, ${wire.events.size} events)\n`,
    );
  },
};
