/**
 * `qapi-ts validate-log`: checks a recorded QMP conversation against a schema.
 * This module only reads the options and prints: the log is read by the
 * runtime's log reader (runtime/conversation-log.ts, streamed from the file),
 * checked by tools/validate-log/check.ts against the validators of
 * tools/validate-log/schema.ts, and each finding printed as
 * `LOG:LINE: message N: PATH: TEXT`, then a summary; exits 1 on any violation.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import {
  LogFileError,
  readLogFile,
  readWholeLogFile,
  splitLog,
  type LogEntry,
} from "../../runtime/conversation-log.js";
import { UserFacingError } from "../../generator/errors.js";
import { inertText } from "../terminal-text.js";
import { checkConversation, type LogReport } from "../validate-log/check.js";
import { logSchema, logSchemaOfSide, schemaFromLog } from "../validate-log/schema.js";

interface ValidateLogArgs {
  schema?: string;
  "schema-from-log": boolean;
  log: string[];
  mode: "strict" | "lenient";
}

/** The yargs module of `validate-log`. */
export const validateLogCommand: CommandModule<object, ValidateLogArgs> = {
  command: "validate-log <log..>",
  describe: "Check a recorded QMP conversation (JSON Lines or concatenated JSON) against a schema",
  builder: (y: Argv<object>) =>
    y
      // No default: yargs would show "[default: []]" beside "[required]".
      .positional("log", {
        type: "string",
        default: undefined,
        describe: "log files (JSON Lines or concatenated JSON)",
      })
      .option("schema", {
        type: "string",
        describe: "source schema, introspection file, recorded conversation, or a QEMU release (7.2.0)",
      })
      .option("schema-from-log", {
        type: "boolean",
        default: false,
        describe: "check each log against its own query-qmp-schema reply",
      })
      .option("mode", {
        choices: ["strict", "lenient"] as const,
        default: "strict" as const,
        describe: "strict: unknown members/values are violations; lenient: notices",
      })
      .example("$0 validate-log session.jsonl --schema qapi/qapi-schema.json  # exit 1 on violations", "")
      .example(
        "$0 validate-log a.log b.log --schema qapi/qapi-schema.json --mode lenient",
        "",
      ) as unknown as Argv<ValidateLogArgs>,
  handler: async (args: ArgumentsCamelCase<ValidateLogArgs>) => {
    const fromLog = args["schema-from-log"];
    if ((args.schema === undefined) === !fromLog) {
      throw new UserFacingError(
        "qapi-ts validate-log: give --schema or --schema-from-log (one of them)\nRun 'qapi-ts validate-log --help' for usage.",
        2,
      );
    }
    const shared = args.schema !== undefined ? logSchemaOfSide(args.schema) : undefined;
    let violations = 0;
    for (const log of args.log) {
      let report: LogReport;
      if (shared) {
        report = checkConversation(cannotRead(readLogFile(log)), shared.validators, args.mode, shared.successResponse);
      } else {
        // The log's own schema comes first, so this log is read whole.
        let text: string;
        try {
          text = readWholeLogFile(log); // a regular file or a pipe, bounded: never /dev/zero
        } catch (error) {
          if (error instanceof LogFileError) throw new UserFacingError(error.message);
          throw error;
        }
        const { validators, successResponse } = logSchema(schemaFromLog(text, log), log);
        report = checkConversation(splitLog(text), validators, args.mode, successResponse);
      }
      for (const f of report.findings) {
        // Paths and messages quote the log's own values: one line each, whatever they hold.
        process.stdout.write(
          `${log}:${f.line}: message ${f.message}: ${f.notice ? "notice: " : ""}${inertText(`${f.path}: ${f.text}`)}\n`,
        );
      }
      const errors = report.findings.filter((f) => !f.notice).length;
      const notices = report.findings.length - errors;
      violations += errors;
      const c = report.counts;
      process.stdout.write(
        `${log}: ${report.messages} messages (${c.greetings} greeting, ${c.commands} commands, ${c.replies} returns, ${c.errors} error replies, ${c.events} events); ` +
          `${errors} violation(s), ${notices} notice(s)${report.unanswered ? `, ${report.unanswered} command(s) without reply` : ""}\n`,
      );
    }
    if (violations > 0) process.exitCode = 1;
  },
};

/** The entries of a log file, its read errors as one line on stderr. */
function* cannotRead(entries: Iterable<LogEntry>): Generator<LogEntry> {
  try {
    yield* entries;
  } catch (error) {
    throw error instanceof LogFileError ? new UserFacingError(error.message) : error;
  }
}
