/**
 * The checker of `qapi-ts validate-log`: a recorded QMP conversation against a
 * schema's validators.
 *
 * Entries come from the runtime's log reader (runtime/conversation-log.ts: the
 * one splitter, lossless JSON, malformed stretches as entries with a problem)
 * and are sorted by the runtime's classifier (runtime/messages.ts), so a log
 * reads here as the client, the mock and replay read it. Replies are matched to
 * commands by `id`, or in order when there are none, in constant time each
 * (pending.ts). Command arguments, return values, error replies and event data
 * are checked by the validator engine (runtime/validate/) over the schema's
 * wire form, the same engine and data a generated SDK uses. The report goes to
 * tools/cli/validate-log.ts, which prints it.
 */
import { stringifyJson } from "../../runtime/json.js";
import type { LogEntry } from "../../runtime/conversation-log.js";
import { classifyMessage } from "../../runtime/messages.js";
import type { SdkValidators, ValidationResult } from "../../runtime/sdk.js";
import { PendingCommands } from "./pending.js";

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

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * Checks the entries of one log.
 * @param entries the log's entries in order (read one at a time: `readLogFile` streams them from a file)
 * @param successResponse tells whether a command is answered at all (`success-response`)
 */
export function checkConversation(
  entries: Iterable<LogEntry>,
  validators: SdkValidators,
  mode: "strict" | "lenient",
  successResponse: (command: string) => boolean,
): LogReport {
  const counts = { greetings: 0, commands: 0, replies: 0, errors: 0, events: 0 };
  const findings: LogFinding[] = [];
  const pending = new PendingCommands();
  const checkOne = (entry: LogEntry, index: number) => {
    const at = (path: string, message: string, notice = false) =>
      findings.push({ message: index + 1, line: entry.line, path, text: message, notice });
    const report = (result: ValidationResult) => {
      for (const e of result.errors) at(e.path, e.message);
      for (const n of result.notices) at(n.path, n.message, true);
    };
    if (entry.problem !== undefined) return void at("$", entry.problem);
    const raw = entry.value as Record<string, unknown>;
    const m = classifyMessage(entry.value);
    switch (m.kind) {
      case "unknown":
        return void at(m.path, m.problem);
      case "greeting":
        counts.greetings++;
        if (!isRecord(m.greeting.version)) at("$.QMP", "expected a greeting with 'version' and 'capabilities'");
        return;
      case "command": {
        counts.commands++;
        const result = validators.commandArgs(m.name, m.arguments, mode, "$.arguments");
        // An unknown command still waits for its (error) reply, so later replies stay matched.
        if (!result) at("$.execute", `unknown command '${m.name}'`);
        else report(result);
        const id = m.hasId ? stringifyJson(m.id) : undefined;
        pending.add({ name: m.name, id, noReply: result !== undefined && !successResponse(m.name) });
        return;
      }
      case "return":
      case "error": {
        const isError = m.kind === "error";
        if (isError) counts.errors++;
        else counts.replies++;
        const id = m.hasId ? stringifyJson(m.id) : undefined;
        const command = pending.take(id);
        // QEMU's reply to a message it could not parse has no id: an id-less error may answer nothing.
        if (!command && !(id === undefined && isError)) {
          const which = id === undefined ? "reply without id" : `reply id ${id}`;
          return void at("$", `${which} matches no pending command`);
        }
        if (m.kind === "error") {
          // The classifier fills in a missing class or desc for the client; a log must have both.
          const e = raw["error"];
          if (!isRecord(e) || typeof e["desc"] !== "string")
            return void at("$.error", "expected an object with 'class' and 'desc'");
          const cls = validators.type("QapiErrorClass", e["class"], mode, "$.error.class");
          if (cls) report(cls);
          else if (typeof e["class"] !== "string") at("$.error.class", "expected a string");
        } else if (command) {
          const result = validators.commandReturn(command.name, m.value, mode, "$.return");
          if (result) report(result);
        }
        return;
      }
      case "event": {
        counts.events++;
        const name = m.event.event;
        const result = validators.event(name, m.event.data, mode, "$.data");
        if (!result) at("$.event", `unknown event ${JSON.stringify(name)}`);
        else report(result);
        // The classifier gives a missing timestamp as -1/-1 for the client; a log must have one.
        const ts = raw["timestamp"];
        if (!isRecord(ts) || typeof ts["seconds"] !== "number" || typeof ts["microseconds"] !== "number")
          at("$.timestamp", "expected {seconds, microseconds}");
        return;
      }
    }
  };
  let messages = 0;
  for (const entry of entries) checkOne(entry, messages++);
  return { messages, counts, findings, unanswered: pending.answerable };
}
