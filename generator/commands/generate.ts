/**
 * `qapi-ts generate`: schema file in, SDK directory out.
 *
 * Loads the schema with the front end, runs the generator (generator/index.ts)
 * and writes changed files, or with `--check` only lists the files that are
 * stale and exits 1, which CI uses on the committed SDKs.
 */
import { relative, sep } from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { UserFacingError } from "../errors.js";
import { type DocsMode, checkFiles, generate, loadSchema, qemuReferences, writeFiles } from "../index.js";

interface GenerateArgs {
  schema: string;
  out: string;
  docs: DocsMode;
  check: boolean;
  format: boolean;
  "runtime-import": string;
  name: string | undefined;
  "source-label": string | undefined;
  "qemu-version": string | undefined;
  reference: "qmp" | "qga" | "qsd" | "none";
  protocol: "qmp" | "qga" | undefined;
}

/** The yargs module of `generate`. */
export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: "generate",
  describe: "Generate a typed SDK (types, commands, events, validators) from a QAPI schema",
  builder: (y: Argv<object>) =>
    y
      .option("schema", { type: "string", demandOption: true, describe: "the main schema file (e.g. qapi/qapi-schema.json)" })
      .option("out", { type: "string", demandOption: true, describe: "output directory" })
      .option("docs", { choices: ["full", "facts", "none"] as const, default: "facts" as DocsMode, describe: "doc text, facts only, or no docs" })
      .option("check", { type: "boolean", default: false, describe: "write nothing; exit 1 listing files that would change" })
      .option("format", { type: "boolean", default: true, describe: "run prettier (--no-format to see raw emitter output)" })
      .option("runtime-import", { type: "string", default: "qapi-ts/runtime", describe: "module specifier of the runtime" })
      .option("name", { type: "string", describe: "SDK name in the descriptor (default: the output directory's name)" })
      .option("source-label", { type: "string", describe: "schema path shown in headers (default: relative to the current directory)" })
      .option("qemu-version", { type: "string", describe: "QEMU version recorded in the descriptor" })
      .option("protocol", { choices: ["qmp", "qga"] as const, describe: "wire dialect recorded in the descriptor (qga: the guest agent)" })
      .option("reference", { choices: ["qmp", "qga", "qsd", "none"] as const, default: "none" as const, describe: "link docs to this QEMU reference manual" }) as unknown as Argv<GenerateArgs>,
  handler: async (args: ArgumentsCamelCase<GenerateArgs>) => {
    const schema = await loadSchema(args.schema, { docLint: false });
    const files = await generate(schema, {
      name: args.name ?? (args.out.replace(/[\\/]+$/, "").split(/[\\/]/).pop() || "sdk"),
      sourceLabel: args["source-label"] ?? relative(process.cwd(), args.schema).split(sep).join("/"),
      docs: args.docs,
      runtimeImport: args["runtime-import"],
      format: args.format,
      ...(args["qemu-version"] !== undefined ? { qemuVersion: args["qemu-version"] } : {}),
      ...(args.protocol !== undefined ? { protocol: args.protocol } : {}),
      ...(args.reference !== "none" ? { reference: qemuReferences[args.reference] } : {}),
    });
    if (args.check) {
      const stale = await checkFiles(args.out, files);
      if (stale.length > 0) {
        throw new UserFacingError(
          `${args.out}: ${stale.length} generated file(s) are stale:\n${stale.map((p) => `  ${p}`).join("\n")}\nrun qapi-ts generate without --check to update them`,
        );
      }
      process.stdout.write(`${args.out}: up to date (${files.length} files)\n`);
      return;
    }
    const written = await writeFiles(args.out, files);
    process.stdout.write(`${args.out}: ${written.length} of ${files.length} files written\n`);
  },
};
