/**
 * The one error type the command line prints without a stack trace.
 *
 * Every failure that is the user's input rather than our bug (a schema error, a
 * missing file, a stale output directory, an invalid log) is a UserFacingError.
 * tools/cli/main.ts catches this class, writes `error.report()` to stderr and
 * exits with `error.exitCode`; anything else escapes with its stack, because it
 * is a bug in qapi-ts.
 */
export class UserFacingError extends Error {
  /** Exit status the CLI uses for this error. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }

  /** The full text for stderr: subclasses add context lines (include chain, definition). */
  report(): string {
    return this.message;
  }
}
