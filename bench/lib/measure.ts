/**
 * Timing for the benchmarks in bench/: runs a piece of work several times and
 * keeps the median, in process (a function) or as a whole process (a command).
 *
 * The resulting Measurement goes to bench/lib/ratio-table.ts, which prints it
 * beside a baseline. Medians rather than means, because on a shared two-core
 * machine a single slow run says more about the neighbours than about the code.
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";

/** Wall-clock times of the measured runs of one piece of work, in milliseconds. */
export interface Measurement {
  /** What was timed, for the table ("qapi-ts parse+check", "QEMU scripts/qapi"). */
  label: string;
  samplesMs: number[];
  medianMs: number;
}

/** How many runs to time, after how many untimed warm-up runs. */
export interface RunCounts {
  runs?: number;
  warmups?: number;
}

/**
 * The median of `values` (the mean of the middle two for an even count).
 * @throws RangeError when `values` is empty.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function toMeasurement(label: string, samplesMs: number[]): Measurement {
  return { label, samplesMs, medianMs: median(samplesMs) };
}

/**
 * Times `work` in this process: `warmups` untimed runs (JIT, file cache), then
 * `runs` timed ones. A rejected or throwing run aborts the measurement.
 */
export async function measure(
  label: string,
  work: () => unknown,
  { runs = 7, warmups = 1 }: RunCounts = {},
): Promise<Measurement> {
  for (let i = 0; i < warmups; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return toMeasurement(label, samples);
}

/** A program to time as a whole process. */
export interface Command {
  program: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Times `command` as a whole process, start to exit, the same way as `measure`.
 * @throws Error when a run exits non-zero, with the end of its stderr, so a
 *   broken baseline is never reported as a fast one.
 */
export function measureCommand(
  label: string,
  command: Command,
  { runs = 5, warmups = 1 }: RunCounts = {},
): Measurement {
  const runOnce = (): number => {
    const start = performance.now();
    const result = spawnSync(command.program, command.args, {
      cwd: command.cwd,
      env: command.env ?? process.env,
      encoding: "utf8",
      stdio: ["ignore", "ignore", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
    const elapsed = performance.now() - start;
    if (result.error) throw new Error(`${label}: cannot run ${command.program}: ${result.error.message}`);
    if (result.status !== 0) {
      const tail = (result.stderr ?? "").trim().split("\n").slice(-5).join("\n");
      throw new Error(`${label}: ${command.program} exited with ${result.status ?? result.signal}:\n${tail}`);
    }
    return elapsed;
  };
  for (let i = 0; i < warmups; i++) runOnce();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(runOnce());
  return toMeasurement(label, samples);
}
