/**
 * `qapi-ts generate`: schema in, SDK directory out.
 *
 * The schema is a source schema (`--schema`, read by the front end), an
 * introspection file (`--introspection`, what one QEMU binary offers, with
 * readable names made up for its masked types), or both: the source's names
 * and docs cut down to what the binary has (tools/introspection/introspected-schema.ts).
 * The generator (generator/index.ts) then writes changed files, or with
 * `--check` only lists the stale ones and exits 1, which CI uses on the
 * committed SDKs.
 */
import { existsSync } from "node:fs";
import { basename } from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { UserFacingError } from "../../generator/errors.js";
import { type DocsMode, checkFiles, generate, loadSchema, qemuReference, writeFiles } from "../../generator/index.js";
import type { Schema } from "../../generator/model/schema.js";
import { loadIntrospectedSchema } from "../introspection/introspected-schema.js";
import { prettierAvailable } from "../../generator/printer/format.js";
import { provenanceLabel, rejectIntrospectionFile } from "../schema-argument.js";
import { historyFile, readHistory, readHistoryFile } from "../history/files.js";
import type { History } from "../../core/history.js";

/** The shipped histories of schemas a binary can be introspected for. */
const shippedSdks = ["qemu", "qsd"];

/** A shipped history, or none in a checkout that has not built it. */
function shippedHistory(sdk: string): History[] {
  return existsSync(historyFile(sdk)) ? [readHistory(sdk)] : [];
}
import { historyCoverage } from "../../generator/emitters/history-facts.js";
import { releaseModel } from "../history/release-model.js";

interface GenerateArgs {
  schema: string | undefined;
  introspection: string | undefined;
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
  history: string | undefined;
  release: string | undefined;
  sdk: "qemu" | "qga" | "qsd";
}

/** The yargs module of `generate`. */
export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: "generate",
  describe: "Generate a typed SDK (types, commands, events, validators) from a QAPI schema",
  builder: (y: Argv<object>) =>
    y
      .option("schema", { type: "string", describe: "the main schema file (e.g. qapi/qapi-schema.json)" })
      .option("introspection", {
        type: "string",
        describe:
          "introspection file (qapi-ts introspect): generate for what that binary offers; with --schema, names and docs come from the source",
      })
      .option("out", { type: "string", demandOption: true, describe: "output directory" })
      .option("docs", {
        choices: ["full", "facts", "none"] as const,
        default: "facts" as DocsMode,
        describe: "doc text, facts only, or no docs",
      })
      .option("check", {
        type: "boolean",
        default: false,
        describe: "write nothing; exit 1 listing files that would change",
      })
      .option("format", {
        type: "boolean",
        default: false,
        describe:
          "also run prettier over the output (already in the pinned style; prettier is an optional peer dependency)",
      })
      .option("runtime-import", {
        type: "string",
        default: "qapi-ts/runtime",
        describe: "module specifier of the runtime",
      })
      .option("name", { type: "string", describe: "SDK name in the descriptor (default: the output directory's name)" })
      .option("source-label", {
        type: "string",
        describe:
          "schema path shown in headers (default: relative to the project holding --out, whatever the current directory)",
      })
      .option("qemu-version", {
        type: "string",
        describe:
          "QEMU release recorded in the descriptor, and whose rules read --schema (default: the VERSION of the QEMU tree holding it)",
      })
      .option("protocol", {
        choices: ["qmp", "qga"] as const,
        describe: "wire dialect recorded in the descriptor (qga: the guest agent)",
      })
      .option("reference", {
        choices: ["qmp", "qga", "qsd", "none"] as const,
        default: "none" as const,
        describe: "link docs to this QEMU reference manual (of --qemu-version's release when given)",
      })
      .option("history", {
        type: "string",
        describe:
          "version history of the schema (qapi-ts's generated/history/<sdk>.json): the SDK carries it, so validation follows the server's release, and docs say which release first had each command, event and member",
      })
      .option("release", {
        type: "string",
        describe:
          "generate for this QEMU release from the version history qapi-ts ships (nothing fetched): its types exactly, the pinned SDK's names, facts-only docs",
      })
      .option("sdk", {
        choices: ["qemu", "qga", "qsd"] as const,
        default: "qemu" as const,
        describe: "with --release: QMP (qemu), the guest agent (qga) or the storage daemon (qsd)",
      })
      .example("$0 generate --schema qapi/qapi-schema.json --out src/qmp  # from QEMU's sources", "")
      .example("$0 generate --release 6.2.0 --out src/qmp62  # any listed release, nothing fetched", "")
      .example("$0 generate --schema qapi/qapi-schema.json --out src/qmp --check  # CI: exit 1 if stale", "")
      .example("$0 generate --introspection qemu-here.json --out src/qmp  # what one binary offers", "")
      .example("$0 generate --schema my.json --out src/my --history history.json  # @since per member", "")
      .example("$0 generate --schema qga/qapi-schema.json --out src/qga --protocol qga  # guest agent", "")
      .example(
        "$0 generate --schema my.json --out src/my --docs full  # with the doc text",
        "",
      ) as unknown as Argv<GenerateArgs>,
  handler: async (args: ArgumentsCamelCase<GenerateArgs>) => {
    const input = await loadInput(args);
    if (args.format && !(await prettierAvailable())) {
      process.stderr.write(
        "qapi-ts generate: prettier is not installed: files keep the emitters' own layout (npm install prettier for the formatted one)\n",
      );
    }
    const qemuVersion = args["qemu-version"] ?? input.qemuVersion;
    const history = args.history !== undefined ? readHistoryFile(args.history) : input.history;
    if (history && args.history !== undefined) {
      const { unknown, total } = historyCoverage(history, input.schema);
      if (unknown.length > 0)
        process.stderr.write(
          `qapi-ts generate: warning: ${args.history} does not know ${unknown.length} of the schema's ${total} commands and events (${unknown.slice(0, 3).join(", ")}${unknown.length > 3 ? ", …" : ""}); their docs say only what the doc comments say\n`,
        );
    }
    const files = await generate(input.schema, {
      name:
        args.name ??
        (args.out
          .replace(/[\\/]+$/, "")
          .split(/[\\/]/)
          .pop() ||
          "sdk"),
      sourceLabel: args["source-label"] ?? input.label,
      docs: args.docs,
      runtimeImport: args["runtime-import"],
      format: args.format,
      ...(qemuVersion !== undefined ? { qemuVersion } : {}),
      ...(args.protocol !== undefined
        ? { protocol: args.protocol }
        : input.protocol
          ? { protocol: input.protocol }
          : {}),
      // Links go to the manual of the release generated from, when it is known.
      ...(args.reference !== "none" ? { reference: qemuReference(args.reference, qemuVersion) } : {}),
      ...(history ? { history } : {}),
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

/**
 * The model to generate from, the label the file headers show (the source
 * schema's path relative to the output's project, else the introspection file's name) and the
 * QEMU version an introspection file records.
 * @throws UserFacingError when neither input is given or the introspection file is unreadable; QapiError for an invalid source schema
 */
async function loadInput(args: GenerateArgs): Promise<{
  schema: Schema;
  label: string;
  qemuVersion?: string;
  history?: History;
  protocol?: "qga";
}> {
  // Checked here rather than with yargs' .check(): under parseAsync a failed
  // builder-level check escapes as an unhandled rejection instead of reaching .fail().
  if (args.release !== undefined) {
    if (args.schema !== undefined || args.introspection !== undefined)
      throw new UserFacingError("qapi-ts generate: --release takes no --schema or --introspection", 2);
    const { schema, history, release } = releaseModel(args.sdk, args.release);
    const label = `QEMU ${release} (qapi-ts version history, ${args.sdk})`;
    return { schema, label, qemuVersion: release, history, ...(args.sdk === "qga" ? { protocol: "qga" } : {}) };
  }
  if (args.schema === undefined && args.introspection === undefined) {
    throw new UserFacingError(
      "qapi-ts generate: give --schema, --introspection, both, or --release\nRun 'qapi-ts generate --help' for usage.",
      2,
    );
  }
  if (args.schema !== undefined) {
    rejectIntrospectionFile(args.schema, "generate", `give it as --introspection ${args.schema}`);
  }
  const label =
    args.schema !== undefined ? provenanceLabel(args.schema, args.out) : basename(args.introspection as string);
  if (args.introspection !== undefined) {
    // Type names: --history's, else the shipped QMP histories' (the one covering the binary's release).
    const histories =
      args.history !== undefined ? [readHistoryFile(args.history)] : shippedSdks.flatMap((sdk) => shippedHistory(sdk));
    const { schema, qemuVersion, warnings } = loadIntrospectedSchema(args.introspection, args.schema, histories);
    for (const warning of warnings) process.stderr.write(`qapi-ts generate: warning: ${warning}\n`);
    return { schema, qemuVersion, label };
  }
  const qemuVersion = args["qemu-version"];
  return { schema: await loadSchema(args.schema as string, qemuVersion !== undefined ? { qemuVersion } : {}), label };
}
