/**
 * `qapi-ts versions NAME`: in which QEMU releases a command, event, type,
 * `Type.member`, enum value (`Type.value`) or `command.argument` exists,
 * under which build conditions, since when it is deprecated or unstable, and
 * how that is known (sources, recorded binaries, `Since:`). Reads the
 * committed history (generated/history/<sdk>.json); the lookup is in
 * tools/history/lookup.ts.
 */
import type { CommandModule } from "yargs";
import { UserFacingError } from "../../generator/errors.js";
import { readHistory } from "../history/files.js";
import { lookUpVersions, similarNames, type VersionsAnswer } from "../history/lookup.js";
import { writeStdout } from "./stdout.js";

interface VersionsArgs {
  name: string;
  sdk: "qemu" | "qga" | "qsd";
  format: "text" | "json";
}

/** Range lists read better with an en dash and spaces: "4.2.0–7.2.0, 10.2.2". */
const pretty = (ranges: string) => (ranges === "" ? "none" : ranges.replaceAll("-", "–").replaceAll(",", ", "));

function formatAnswer(a: VersionsAnswer): string {
  const lines = [`${a.what}`, `  exists in: ${pretty(a.releases)}${a.since ? ` (Since: ${a.since})` : ""}`];
  lines.push(`  seen in: sources ${pretty(a.seenIn.sources)}; recorded binaries ${pretty(a.seenIn.recordings)}`);
  if (a.maybe) lines.push(`  undecided (no snapshot or fact): ${pretty(a.maybe)}`);
  for (const [ranges, cond] of Object.entries(a.conditions ?? {}))
    lines.push(`  built only if ${cond === "" ? "(unconditional)" : cond}: ${pretty(ranges)}`);
  for (const [release, archs] of Object.entries(a.targets ?? {})) lines.push(`  ${release}: recorded only on ${archs}`);
  for (const [feature, ranges] of Object.entries(a.features)) lines.push(`  ${feature}: ${pretty(ranges)}`);
  if (a.optionality) {
    lines.push(`  required: ${pretty(a.optionality.required)}`);
    lines.push(`  optional: ${pretty(a.optionality.optional)}`);
  }
  return lines.join("\n");
}

/** The yargs module of `qapi-ts versions`. */
export const versionsCommand: CommandModule<object, VersionsArgs> = {
  command: "versions <name>",
  describe: "In which QEMU releases a command, event, Type.member or enum value exists",
  builder: (yargs) =>
    yargs
      .positional("name", {
        type: "string",
        demandOption: true,
        describe: "command, event, type, Type.member, Type.value, command.argument",
      })
      .option("sdk", {
        choices: ["qemu", "qga", "qsd"] as const,
        default: "qemu" as const,
        describe: "whose history: QMP, guest agent, storage daemon",
      })
      .option("format", { choices: ["text", "json"] as const, default: "text" as const })
      .example("$0 versions query-accelerators", "")
      .example("$0 versions StatusInfo.singlestep  # a member", "")
      .example("$0 versions NetClientDriver.passt  # an enum value", "") as never,
  handler: (argv) => {
    const history = readHistory(argv.sdk);
    const answers = lookUpVersions(history, argv.name);
    if (answers.length === 0) {
      const similar = similarNames(history, argv.name);
      const hint = similar.length > 0 ? `; similar: ${similar.join(", ")}` : "";
      throw new UserFacingError(
        `${argv.name}: not in the ${argv.sdk} history (QEMU ${history.releases[0]}–${history.releases.at(-1)})${hint}`,
      );
    }
    writeStdout(
      argv.format === "json" ? JSON.stringify(answers, null, 2) + "\n" : answers.map(formatAnswer).join("\n\n") + "\n",
    );
  },
};
