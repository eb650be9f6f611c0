/**
 * `qapi-ts diff OLD NEW`: what changed between two QAPI schemas, as a client
 * sees it, and whether it breaks clients built against either side. Each side
 * is a source schema, an introspection file, a recorded conversation
 * (libvirt's `.replies`), or a QEMU release (`7.2.0`: its fetched sources, else
 * the shipped version history, which covers 4.2.0 to the pinned release). The work is in core/diff.ts; this module only wires
 * files, format and exit status (1 when `--fail-on` is met, for CI).
 */
import type { CommandModule } from "yargs";
import { diffSchemas } from "../../core/diff.js";
import { failsOn, formatDiff, type DiffFormat } from "../diff/format.js";
import { loadSide } from "../diff/load-side.js";
import { writeStdout } from "./stdout.js";

interface DiffArgs {
  old: string;
  new: string;
  format: DiffFormat;
  "fail-on"?: "breaking" | "any";
}

/** The yargs module of `qapi-ts diff`. */
export const diffCommand: CommandModule<object, DiffArgs> = {
  command: "diff <old> <new>",
  describe:
    "Compare two schemas (source, introspection file, recorded conversation or QEMU release) and classify each change",
  builder: (yargs) =>
    yargs
      .positional("old", { type: "string", demandOption: true, describe: "schema clients were built against" })
      .positional("new", { type: "string", demandOption: true, describe: "schema they meet" })
      .option("format", { choices: ["text", "json", "markdown"] as const, default: "text" as DiffFormat })
      .option("fail-on", {
        choices: ["breaking", "any"] as const,
        describe: "exit 1 when a change breaks clients built against OLD (breaking), or on any change",
      })
      .example("$0 diff 7.2.0 10.2.2 --format markdown", "")
      .example("$0 diff 6.2.0 qemu-here.json --fail-on breaking  # any release 4.2.0–10.2.2", "")
      .example("$0 diff 7.2.0:qga 10.2.2:qga  # the guest agent (qsd: storage daemon)", "")
      .example("$0 diff qapi/qapi-schema.json qemu-7.2.json --fail-on breaking", "") as never,
  handler: (argv) => {
    const diff = diffSchemas(loadSide(argv.old), loadSide(argv.new));
    writeStdout(formatDiff(diff, argv.format));
    if (failsOn(diff, argv["fail-on"])) process.exitCode = 1;
  },
};
