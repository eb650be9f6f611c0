/**
 * Benchmark of the schema front end: qapi-ts against QEMU's own Python front
 * end (scripts/qapi), on QEMU's full qapi/qapi-schema.json, measured in the
 * same run. Rows: parse+check in process (median of several runs in one
 * process); a whole process that only loads the schema
 * (bench/lib/load-schema-once.ts); and the whole CLI command (`qapi-ts dump`,
 * start to exit, which also prints the model). Both process rows are set
 * against a Python process that imports scripts/qapi and builds the schema once.
 * Compared on 10.2.2 with QEMU 10.2.2's front end and on 7.2.0 with 7.2's;
 * QEMU 7.2's front end cannot read the 10.2.2 schema (the row says so).
 * Rows whose Python side is unavailable are skipped with the reason.
 * Run with `npm run bench`; the figures go into README.md's benchmark table.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserFacingError } from "../generator/errors.js";
import { loadSchema } from "../generator/load-schema.js";
import { measure, measureCommand } from "./lib/measure.js";
import { timePythonInProcess, timePythonProcess } from "./lib/python-baseline.js";
import { printRatioTable, type Comparison } from "./lib/ratio-table.js";
import { repoRoot } from "../scripts/lib/qemu-sources.js";

/** The speed-up the project aims for over QEMU's front end. */
const goal = 10;

const qemuDir = (version: string) => join(repoRoot, ".cache", "qemu", version);
const mainSchema = (version: string) => join(qemuDir(version), "qapi", "qapi-schema.json");

/** QEMU 10.2's rules include the doc-comment lint; 7.2's schema predates it. */
const docLintFor = (version: string) => version !== "7.2.0";

async function compareOn(schemaVersion: string, frontendVersion: string): Promise<Comparison[]> {
  const schema = mainSchema(schemaVersion);
  const docLint = docLintFor(schemaVersion);
  const pythonLabel = `QEMU ${frontendVersion} scripts/qapi`;
  // Warm-ups let V8 optimise the front end, as in any long-lived process;
  // the whole-process row below shows the cold cost.
  const ours = await measure("loadSchema", () => loadSchema(schema, { docLint }), { runs: 20, warmups: 10 });
  const cliArgs = [join(repoRoot, "bin", "qapi-ts"), "dump", ...(docLint ? ["--doc-lint"] : []), schema];
  const oursCli = measureCommand("qapi-ts dump", { program: process.execPath, args: cliArgs }, { runs: 5, warmups: 1 });
  const loaderArgs = [
    join(repoRoot, "build", "bench", "lib", "load-schema-once.js"),
    schema,
    ...(docLint ? ["--doc-lint"] : []),
  ];
  const oursProcess = measureCommand(
    "node + loadSchema",
    { program: process.execPath, args: loaderArgs },
    { runs: 5, warmups: 1 },
  );
  const pythonProcess = timePythonProcess(`python3 + ${pythonLabel}`, repoRoot, qemuDir(frontendVersion), schema, {
    runs: 5,
    warmups: 1,
  });
  return [
    {
      workload: `${schemaVersion} qapi-schema.json, parse+check in process`,
      ours,
      baseline: timePythonInProcess(pythonLabel, repoRoot, qemuDir(frontendVersion), schema, { runs: 5, warmups: 1 }),
      goal,
    },
    {
      workload: `${schemaVersion} qapi-schema.json, whole process, front end only`,
      ours: oursProcess,
      baseline: pythonProcess,
      goal,
    },
    {
      workload: `${schemaVersion} qapi-schema.json, whole process, CLI (dump prints the model)`,
      ours: oursCli,
      baseline: pythonProcess,
      goal,
    },
  ];
}

async function main(): Promise<void> {
  const comparisons: Comparison[] = [];
  for (const version of ["10.2.2", "7.2.0"]) {
    if (!existsSync(mainSchema(version))) {
      process.stderr.write(
        `frontend.bench: QEMU ${version} sources are missing; run: npm run fetch-qemu -- ${version}\n`,
      );
      continue;
    }
    try {
      comparisons.push(...(await compareOn(version, version)));
    } catch (error) {
      // Our own front end failing is a finding to report, not a reason to lose the other rows.
      const report = error instanceof UserFacingError ? error.report() : String(error);
      process.stderr.write(
        `frontend.bench: QEMU ${version} rows skipped: qapi-ts cannot load the schema:\n${report}\n`,
      );
    }
  }
  // QEMU 7.2's front end on the newer schema: expected to refuse it; shown so the table says why.
  if (existsSync(mainSchema("10.2.2"))) {
    const ours = await measure("loadSchema", () => loadSchema(mainSchema("10.2.2"), { docLint: true }), {
      runs: 5,
      warmups: 1,
    });
    comparisons.push({
      workload: "10.2.2 qapi-schema.json with QEMU 7.2's front end",
      ours,
      baseline: timePythonInProcess("QEMU 7.2.0 scripts/qapi", repoRoot, qemuDir("7.2.0"), mainSchema("10.2.2"), {
        runs: 3,
        warmups: 0,
      }),
    });
  }
  if (comparisons.length === 0) throw new Error("no QEMU sources to benchmark on");
  printRatioTable(
    "Front end: qapi-ts against QEMU's Python front end (median wall-clock time; speed-up = QEMU's time / ours)",
    comparisons,
  );
}

await main();
