/**
 * Writing a command's (possibly large) report to standard output. When the
 * reader goes away early — `qapi-ts diff … | head` — the write fails with
 * EPIPE; that is the reader's choice, not an error, so the process ends
 * quietly instead of crashing with a stack. Used by the diff and introspect
 * commands.
 */

/** Writes `text` to standard output, ending the process quietly if the pipe closes. */
export function writeStdout(text: string): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.stdout.write(text);
}
