/**
 * `qapi-ts validate-log`: checks a recorded QMP conversation against a schema.
 *
 * The log holds the raw wire messages of both directions, as JSON Lines or as
 * concatenated (also pretty-printed) JSON texts; runtime/json-stream.ts cuts
 * them apart and runtime/json.ts parses them losslessly. Each message's
 * direction follows from its shape: `{"QMP": …}` greeting, `execute` /
 * `exec-oob` command, `return` / `error` reply, `event`. Replies are matched to
 * commands by `id`, or in order when there are none, in constant time each
 * (log-pending.ts); a log is read in chunks (log-reader.ts). Command arguments, return
 * values, error replies and event data are checked by the runtime's validator
 * engine (runtime/validate/) over the schema's wire form (the same engine and
 * data a generated SDK uses). The schema is a source schema, an introspection
 * file, a recorded conversation or a release of the version history
 * (`--schema 7.2.0`), or, with `--schema-from-log`, the log's own
 * `query-qmp-schema` reply. Prints each violation and a summary; exits 1 on
 * any violation.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { parseJson, stringifyJson } from "../../runtime/json.js";
import type { SdkValidators, ValidationResult } from "../../runtime/sdk.js";
import { createValidators } from "../../runtime/validate/index.js";
import { wireFromIntrospection } from "../../runtime/wire/introspection-file.js";
import { introspectionFromReplies, RepliesFormatError } from "../../runtime/wire/replies-file.js";
import { UserFacingError } from "../errors.js";
import { modelOfSide, modelOfWire } from "../introspection/model-of-side.js";
import type { Schema } from "../model/schema.js";
import { wireFromModel } from "../model/wire-from-model.js";
import { inertText } from "../terminal-text.js";
import { PendingCommands } from "./log-pending.js";
import { readLog, readWholeLog, splitLog, type LogText } from "./log-reader.js";

export { splitLog } from "./log-reader.js";

/** One finding in a log: which message, where in it, what is wrong. */
export interface LogFinding {
  /** 1-based index of the message in the log. */
  readonly message: number;
  /** 1-based line the message starts on. */
  readonly line: number;
  readonly path: string;
  readonly text: string;
  readonly notice: boolean;
}

/** What a log contained and what was wrong with it. */
export interface LogReport {
  /** How many messages (and malformed stretches) the log held. */
  readonly messages: number;
  readonly counts: { greetings: number; commands: number; replies: number; errors: number; events: number };
  readonly findings: LogFinding[];
  /** Commands that got no reply before the log ended (not a violation: logs may be cut short). */
  readonly unanswered: number;
}

/**
 * Checks the messages of one log.
 * @param texts the JSON texts in order, with the line each starts on (read one at a time:
 *   log-reader.ts `readLog` streams them from a file)
 * @param successResponse tells whether a command is answered at all (`success-response`)
 */
export function checkConversation(
  texts: Iterable<LogText>,
  validators: SdkValidators,
  mode: "strict" | "lenient",
  successResponse: (command: string) => boolean,
): LogReport {
  const counts = { greetings: 0, commands: 0, replies: 0, errors: 0, events: 0 };
  const findings: LogFinding[] = [];
  const pending = new PendingCommands();
  const checkOne = ({ text, line, problem }: LogText, index: number) => {
    const at = (path: string, message: string, notice = false) =>
      findings.push({ message: index + 1, line, path, text: message, notice });
    const report = (result: ValidationResult) => {
      for (const e of result.errors) at(e.path, e.message);
      for (const n of result.notices) at(n.path, n.message, true);
    };
    if (problem !== undefined) {
      at("$", problem);
      return;
    }
    let msg: unknown;
    try {
      msg = parseJson(text);
    } catch (error) {
      at("$", `not valid JSON: ${(error as Error).message}`);
      return;
    }
    if (typeof msg !== "object" || msg === null || Array.isArray(msg)) {
      at("$", "expected a JSON object");
      return;
    }
    const m = msg as Record<string, unknown>;
    const id = "id" in m ? stringifyJson(m["id"]) : undefined;
    if ("QMP" in m) {
      counts.greetings++;
      const g = m["QMP"] as Record<string, unknown> | null;
      if (
        typeof g !== "object" ||
        g === null ||
        typeof g["version"] !== "object" ||
        !Array.isArray(g["capabilities"])
      ) {
        at("$.QMP", "expected a greeting with 'version' and 'capabilities'");
      }
    } else if ("execute" in m || "exec-oob" in m) {
      counts.commands++;
      const name = m["execute"] ?? m["exec-oob"];
      if (typeof name !== "string") {
        at("execute" in m ? "$.execute" : '$["exec-oob"]', "expected a command name");
        return;
      }
      const result = validators.commandArgs(name, m["arguments"], mode, "$.arguments");
      // An unknown command still waits for its (error) reply, so later replies stay matched.
      if (!result) at("$.execute", `unknown command '${name}'`);
      else report(result);
      pending.add({ name, id, noReply: result !== undefined && !successResponse(name) });
    } else if ("return" in m || "error" in m) {
      const isError = "error" in m;
      if (isError) counts.errors++;
      else counts.replies++;
      const command = pending.take(id);
      // QEMU's reply to a message it could not parse has no id: an id-less error may answer nothing.
      if (!command && !(id === undefined && isError)) {
        at(
          "$",
          id === undefined
            ? "reply without id matches no pending command"
            : `reply id ${id} matches no pending command`,
        );
        return;
      }
      if (isError) {
        const e = m["error"] as Record<string, unknown> | null;
        if (typeof e !== "object" || e === null || typeof e["desc"] !== "string")
          at("$.error", "expected an object with 'class' and 'desc'");
        else {
          const cls = validators.type("QapiErrorClass", e["class"], mode, "$.error.class");
          if (cls) report(cls);
          else if (typeof e["class"] !== "string") at("$.error.class", "expected a string");
        }
      } else if (command) {
        const result = validators.commandReturn(command.name, m["return"], mode, "$.return");
        if (result) report(result);
      }
    } else if ("event" in m) {
      counts.events++;
      const name = m["event"];
      const result = typeof name === "string" ? validators.event(name, m["data"], mode, "$.data") : undefined;
      if (!result) at("$.event", `unknown event ${JSON.stringify(name)}`);
      else report(result);
      const ts = m["timestamp"] as Record<string, unknown> | undefined;
      if (
        typeof ts !== "object" ||
        ts === null ||
        typeof ts["seconds"] !== "number" ||
        typeof ts["microseconds"] !== "number"
      ) {
        at("$.timestamp", "expected {seconds, microseconds}");
      }
    } else {
      at("$", `not a QMP message (keys: ${Object.keys(m).join(", ") || "none"})`);
    }
  };
  let messages = 0;
  for (const entry of texts) checkOne(entry, messages++);
  return { messages, counts, findings, unanswered: pending.answerable };
}

interface ValidateLogArgs {
  schema?: string;
  "schema-from-log": boolean;
  log: string[];
  mode: "strict" | "lenient";
}

/**
 * The schema a log carries: its `query-version` and `query-qmp-schema` replies.
 * @throws UserFacingError when the log has no such replies
 */
export function schemaFromLog(text: string, label: string): Schema {
  try {
    return modelOfWire(wireFromIntrospection(introspectionFromReplies(text, label).file, label), label);
  } catch (error) {
    if (error instanceof RepliesFormatError)
      throw new UserFacingError(`${error.message} (--schema-from-log needs the log to hold both replies)`);
    throw error;
  }
}

function loadValidators(
  schema: Schema,
  label: string,
): { validators: SdkValidators; successResponse: (c: string) => boolean } {
  const wire = wireFromModel(schema, label);
  const successResponse = (name: string) => wire.commands.get(name)?.successResponse !== false;
  return { validators: createValidators(wire), successResponse };
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
    const shared = args.schema !== undefined ? loadValidators(modelOfSide(args.schema), args.schema) : undefined;
    let violations = 0;
    for (const log of args.log) {
      let report: LogReport;
      if (shared) {
        report = checkConversation(readLog(log), shared.validators, args.mode, shared.successResponse);
      } else {
        // The log's own schema comes first, so this log is read whole.
        const text = readWholeLog(log);
        const { validators, successResponse } = loadValidators(schemaFromLog(text, log), log);
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
