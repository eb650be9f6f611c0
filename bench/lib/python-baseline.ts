/**
 * Runs QEMU's Python QAPI front end as a benchmark baseline, through the
 * driver bench/lib/qemu-qapi-driver.py: either timed inside Python (the
 * front end alone) or as a whole process (interpreter start-up included).
 * When Python or QEMU's scripts/qapi is missing, or the front end rejects the
 * schema, the result says why instead, and the benchmark skips that row.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { measureCommand, median, type Measurement, type RunCounts } from "./measure.js";

/** A measurement, or why there is none. */
export type Baseline = Measurement | { skipped: string };

/** Where the driver lives in the source tree (it is not compiled). */
function driverPath(repoRoot: string): string {
  return join(repoRoot, "bench", "lib", "qemu-qapi-driver.py");
}

/** Why QEMU's front end under `qemuDir` cannot run here, or undefined when it can. */
export function pythonFrontendUnavailable(qemuDir: string): string | undefined {
  if (!existsSync(join(qemuDir, "scripts", "qapi", "schema.py"))) {
    return `no QEMU scripts/qapi in ${qemuDir} (run: npm run fetch-qemu -- VERSION --with-python-frontend)`;
  }
  const probe = spawnSync("python3", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return "python3 is not installed";
  return undefined;
}

/** QEMU's front end (from `qemuDir`) on `schema`, timed inside Python: the front end alone. */
export function timePythonInProcess(
  label: string,
  repoRoot: string,
  qemuDir: string,
  schema: string,
  { runs = 5, warmups = 1 }: RunCounts = {},
): Baseline {
  const unavailable = pythonFrontendUnavailable(qemuDir);
  if (unavailable) return { skipped: unavailable };
  const result = spawnSync(
    "python3",
    [driverPath(repoRoot), join(qemuDir, "scripts"), schema, String(runs), String(warmups)],
    {
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (result.status !== 0)
    return { skipped: `${label} rejects this schema: ${firstLineOf(result.stderr || String(result.error))}` };
  const { samplesMs } = JSON.parse(result.stdout) as { samplesMs: number[] };
  return { label, samplesMs, medianMs: median(samplesMs) };
}

/** QEMU's front end on `schema` as a whole process: interpreter start, imports, one parse and check. */
export function timePythonProcess(
  label: string,
  repoRoot: string,
  qemuDir: string,
  schema: string,
  counts: RunCounts = {},
): Baseline {
  const unavailable = pythonFrontendUnavailable(qemuDir);
  if (unavailable) return { skipped: unavailable };
  try {
    return measureCommand(
      label,
      { program: "python3", args: [driverPath(repoRoot), join(qemuDir, "scripts"), schema, "1", "0"] },
      counts,
    );
  } catch (error) {
    return { skipped: firstLineOf((error as Error).message) };
  }
}

function firstLineOf(text: string): string {
  return (
    text
      .trim()
      .split("\n")
      .filter((line) => line.trim() !== "")
      .at(-1) ?? "(no message)"
  );
}

/**
 * QEMU's whole code generator as a process: `python3 scripts/qapi-gen.py -o
 * OUT qapi/qapi-schema.json` run in the QEMU tree (its scripts/qapi), writing
 * all of its C output into `outDir`. The baseline for a whole `qapi-ts generate`.
 */
export function timeQapiGen(
  label: string,
  qemuDir: string,
  schema: string,
  outDir: string,
  counts: RunCounts = {},
): Baseline {
  const unavailable = pythonFrontendUnavailable(qemuDir);
  if (unavailable) return { skipped: unavailable };
  if (!existsSync(join(qemuDir, "scripts", "qapi-gen.py")))
    return {
      skipped: `no scripts/qapi-gen.py in ${qemuDir} (run: npm run fetch-qemu -- VERSION --with-python-frontend)`,
    };
  try {
    return measureCommand(
      label,
      { program: "python3", args: ["scripts/qapi-gen.py", "-o", outDir, schema], cwd: qemuDir },
      counts,
    );
  } catch (error) {
    return { skipped: firstLineOf((error as Error).message) };
  }
}
