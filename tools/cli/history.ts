/**
 * `qapi-ts history [--check]`: rebuilds the version histories
 * (generated/history/{qemu,qga,qsd}.json) from every snapshot at hand —
 * fetched sources (.cache/qemu/), libvirt's recorded binaries
 * (.cache/libvirt-caps/) — and the per-SDK version modules
 * (generated/<sdk>/versions.ts) from them. `--check` writes nothing and exits
 * 1 when a committed file differs. The work is in tools/history/ and
 * tools/versions/emit-versions.ts.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { CommandModule } from "yargs";
import { buildHistory, historyText } from "../history/build.js";
import { historySdks, type HistorySdk } from "../history/snapshots.js";
import { emitVersionModule, versionData } from "../versions/emit-versions.js";
import { formatTypeScript } from "../../generator/printer/format.js";

interface HistoryArgs {
  check: boolean;
  root: string;
  cache: string;
}

/**
 * The files `qapi-ts history` writes, path relative to `root` → content. The
 * version modules go through the generated code's one prettier pass: this is a
 * maintainer's command, not `generate`'s hot path, and the SDK's files must all
 * be in the pinned style (test/generator/printer/prettier-stable.test.ts).
 */
export async function historyOutputs(root: string, cache: string, notes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const sdk of Object.keys(historySdks) as HistorySdk[]) {
    const history = buildHistory(
      sdk,
      { qemuRoot: join(cache, "qemu"), recordingsDir: join(cache, "libvirt-caps") },
      notes,
    );
    out.set(join("generated", "history", `${sdk}.json`), historyText(history));
    const sources = `(generated/history/${sdk}.json: ${history.snapshots.length} snapshots, ${history.releases[0]}–${history.releases.at(-1)})`;
    out.set(
      join("generated", sdk, "versions.ts"),
      await formatTypeScript(emitVersionModule(versionData(history), sdk, sources).toString()),
    );
  }
  void root;
  return out;
}

/** The yargs module of `qapi-ts history`. */
export const historyCommand: CommandModule<object, HistoryArgs> = {
  command: "history",
  describe: "Rebuild the version histories (generated/history/) and version modules from the fetched snapshots",
  builder: (yargs) =>
    yargs
      .option("check", {
        type: "boolean",
        default: false,
        describe: "write nothing; exit 1 when a committed file is stale",
      })
      .option("root", { type: "string", default: ".", describe: "the qapi-ts checkout" })
      .option("cache", {
        type: "string",
        default: ".cache",
        describe: "where fetch-qemu and fetch-libvirt-caps put their files",
      })
      .example("$0 history  # rebuild generated/history/ and generated/*/versions.ts (npm run history)", "")
      .example("$0 history --check  # in CI: exit 1 when a committed file is stale", "") as never,
  handler: async (argv) => {
    const notes: string[] = [];
    const outputs = await historyOutputs(argv.root, argv.cache, notes);
    for (const note of notes) process.stderr.write(`qapi-ts history: ${note}\n`);
    let stale = 0;
    for (const [path, text] of outputs) {
      const file = join(argv.root, path);
      const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
      if (current === text) continue;
      if (argv.check) {
        process.stderr.write(`qapi-ts history: ${path} is stale; run: npm run history\n`);
        stale++;
      } else {
        mkdirSync(join(file, ".."), { recursive: true });
        writeFileSync(file, text);
        process.stderr.write(`qapi-ts history: wrote ${path} (${text.length} bytes)\n`);
      }
    }
    if (stale > 0) process.exitCode = 1;
  },
};
