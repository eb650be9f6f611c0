/**
 * Benchmark of code generation and of what the generated SDK costs its users.
 *
 * 1. The whole `qapi-ts generate` run for QEMU 10.2.2's full qapi-schema.json
 *    (process start to exit, output into build/, formatted as committed)
 *    against QEMU's own whole `scripts/qapi-gen.py` run on the same schema in
 *    the same benchmark run (goal: at least as fast); then in process:
 *    loading the schema, emitting, and what an extra prettier pass would cost.
 * 2. The `tsc --noEmit` cost of a program importing the whole committed QEMU
 *    SDK (generated/qemu), against an empty program and against a program
 *    importing only the runtime (goal: under 2 s extra for the SDK).
 * Prints the medians and the ratio against qapi-gen.py.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate, loadSchema, qemuReferences } from "../generator/index.js";
import { qemuSourceDir, repoRoot } from "../scripts/lib/qemu-sources.js";
import { type Measurement, measure, measureCommand } from "./lib/measure.js";
import { timeQapiGen } from "./lib/python-baseline.js";
import { formatRatioTable } from "./lib/ratio-table.js";

const qemuDir = qemuSourceDir("10.2.2");
const schemaFile = join(qemuDir, "qapi/qapi-schema.json");
const work = join(repoRoot, "build", "bench-codegen");

function row(label: string, m: Measurement): string {
  return `| ${label.padEnd(58)} | ${m.medianMs.toFixed(0).padStart(7)} ms | ${m.samplesMs.length} runs |`;
}

async function main(): Promise<void> {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const rows: string[] = [];

  // Same run, same schema: QEMU's generator first, then ours; each writes into a fresh directory of build/.
  const qapiGen = timeQapiGen("qapi-gen.py", qemuDir, "qapi/qapi-schema.json", join(work, "qapi-gen"), {
    runs: 5,
    warmups: 1,
  });
  const generateArgs = [
    join(repoRoot, "build/tools/cli/main.js"),
    "generate",
    "--schema",
    schemaFile,
    "--out",
    join(work, "qemu"),
  ];
  const cli = measureCommand(
    "qapi-ts generate",
    {
      program: process.execPath,
      args: [...generateArgs, "--reference", "qmp", "--name", "qemu", "--qemu-version", "10.2.2"],
    },
    { runs: 5, warmups: 1 },
  );
  rows.push(row("whole `qapi-ts generate` run, 10.2.2 qapi-schema.json", cli));
  process.stdout.write(
    formatRatioTable("Whole generator run, QEMU 10.2.2 qapi/qapi-schema.json (process start to exit)", [
      { workload: "qapi-ts generate vs scripts/qapi-gen.py", ours: cli, baseline: qapiGen, goal: 1 },
    ]) + "\n",
  );

  const load = await measure("load", () => loadSchema(schemaFile), { runs: 3, warmups: 1 });
  rows.push(row("  loadSchema (parse, check, resolve)", load));
  const schema = loadSchema(schemaFile);
  const raw = await measure("emit", () => generate(schema, { reference: qemuReferences.qmp }), { runs: 3, warmups: 1 });
  rows.push(row("  emit all files (final layout, no prettier)", raw));
  const formatted = await measure(
    "emit+format",
    () => generate(schema, { reference: qemuReferences.qmp, format: true }),
    { runs: 3, warmups: 0 },
  );
  rows.push(row("  emit all files + an extra prettier pass (--format)", formatted));
  const files = await generate(schema, { reference: qemuReferences.qmp });
  const lines = files.reduce((n, f) => n + f.content.split("\n").length, 0);

  // tsc --noEmit: empty program, runtime only, runtime + the whole QEMU SDK.
  const programs: [string, string][] = [
    ["empty", "export {};\n"],
    ["runtime", 'import type { QmpClient } from "../../runtime/index.js";\nexport type C = QmpClient;\n'],
    [
      "sdk",
      'import { connect, queryStatus, type CommandMap } from "../../generated/qemu/index.js";\nexport { connect, queryStatus };\nexport type M = CommandMap;\n',
    ],
  ];
  const tsc = join(repoRoot, "node_modules", ".bin", "tsc");
  const times = new Map<string, Measurement>();
  for (const [name, source] of programs) {
    writeFileSync(join(work, `${name}.ts`), source);
    const config = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: "ES2022",
        lib: ["ES2022"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        types: ["node"],
        skipLibCheck: true,
      },
      files: [`${name}.ts`],
    };
    writeFileSync(join(work, `tsconfig.${name}.json`), JSON.stringify(config));
    const m = measureCommand(
      `tsc ${name}`,
      { program: tsc, args: ["-p", join(work, `tsconfig.${name}.json`)] },
      { runs: 3, warmups: 1 },
    );
    times.set(name, m);
    rows.push(
      row(
        `tsc --noEmit: program importing ${name === "sdk" ? "the whole QEMU SDK" : name === "runtime" ? "the runtime only" : "nothing"}`,
        m,
      ),
    );
  }
  const extra = times.get("sdk")!.medianMs - times.get("empty")!.medianMs;
  const extraOverRuntime = times.get("sdk")!.medianMs - times.get("runtime")!.medianMs;

  process.stdout.write(
    [
      "Code generation (QEMU 10.2.2 qapi/qapi-schema.json) and type-check cost of the generated SDK",
      `| ${"what".padEnd(58)} | ${"median".padStart(10)} | runs   |`,
      `| ${"-".repeat(58)} | ${"-".repeat(10)} | ------ |`,
      ...rows,
      `generated: ${files.length} files, ${lines} lines`,
      `tsc extra for the whole QEMU SDK: ${extra.toFixed(0)} ms over an empty program, ${extraOverRuntime.toFixed(0)} ms over the runtime alone (goal < 2000 ms: ${extra < 2000 ? "met" : "NOT met"})`,
      "",
    ].join("\n"),
  );
  rmSync(work, { recursive: true, force: true });
}

await main();
