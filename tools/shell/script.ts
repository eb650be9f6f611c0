/**
 * The shell without a terminal: lines from `-c` (each one line) or from
 * standard input, run in order, replies to standard output, problems to
 * standard error, events printed as they arrive. The exit status tells
 * whether every line went well: 0, or 1 when any line was refused or
 * answered with an error (the remaining lines still run, as `sh` does without
 * `-e`; `--stop-on-error` stops at the first).
 *
 * Data flow: lines → `ShellRunner.run` (run-line.ts) → stdout/stderr; outcome → exit status.
 */
import { createInterface } from "node:readline";
import type { ShellOutput, ShellRunner } from "./run-line.js";
import { terminalSafe } from "../terminal-text.js";

/** Output for scripts: results to one stream, problems to another; nothing a peer sent acts on a terminal. */
export function scriptOutput(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): ShellOutput {
  return {
    print: (text) => void stdout.write(terminalSafe(text) + "\n"),
    problem: (text) => void stderr.write(terminalSafe(text) + "\n"),
  };
}

/**
 * Runs lines until they end, `exit`, or (with `stopOnError`) the first failure.
 * @param lines the `-c` commands, or undefined to read standard input
 * @returns the exit status
 */
export async function runScript(
  runner: ShellRunner,
  lines: readonly string[] | undefined,
  input: NodeJS.ReadableStream,
  stopOnError: boolean,
): Promise<number> {
  let status = 0;
  const source: AsyncIterable<string> | Iterable<string> =
    lines ?? createInterface({ input, terminal: false, crlfDelay: Infinity });
  for await (const line of source) {
    const outcome = await runner.run(line);
    if (outcome === "exit") break;
    if (outcome === "failed") {
      status = 1;
      if (stopOnError) break;
    }
  }
  return status;
}
