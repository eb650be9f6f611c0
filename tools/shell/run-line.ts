/**
 * Carrying out one line of input, the same for the interactive shell and for
 * scripts: the shell's own words (`help`, `events`, `hmp`, `watch`, `exit`), or a QMP
 * command that is parsed (arg-syntax.ts), typed (coerce.ts), checked against
 * the server's schema by the validator engine (worded by explain.ts) — and refused, unsent, with the JSON
 * path of each problem — then sent; its reply is shown (render.ts) and
 * recorded (record.ts). Events are shown as they arrive, through `events`'
 * filter, by whoever owns the output (repl.ts writes them above the prompt).
 *
 * Data flow: a line → `ShellRunner.run` → the client → output via `print`.
 */
import type { QmpClient } from "../../runtime/client.js";
import { ExecuteError, InterruptedError, QmpError } from "../../runtime/errors.js";
import type { QmpEventMessage } from "../../runtime/messages.js";
import { ArgSyntaxError, parseLine, splitWords } from "./arg-syntax.js";
import { coerceArguments } from "./coerce.js";
import { explainArguments } from "./explain.js";
import { renderHelp } from "./help.js";
import type { ConversationRecorder } from "./record.js";
import { renderError, renderEvent, renderProblem, renderReturn, type Palette } from "./render.js";
import type { ShellSchema } from "./schema-source.js";
import { watchJob, watchMigration } from "./watch.js";

/** What running a line came to: fine, failed (an error reply, a refusal), or the user asked to leave. */
export type LineOutcome = "ok" | "failed" | "exit";

/** Where the runner's text goes. */
export interface ShellOutput {
  /** A reply, help text, an event. */
  print(text: string): void;
  /** A problem (refused input, error reply); scripts send it to standard error. */
  problem(text: string): void;
  /** A terminal's one progress line, rewritten in place (undefined: take it away); scripts show none. */
  progress?(line: string | undefined): void;
}

/** Which events are shown. */
export type EventFilter =
  { readonly kind: "all" } | { readonly kind: "none" } | { readonly kind: "only"; readonly names: ReadonlySet<string> };

/** Settings of a runner. */
export interface RunnerOptions {
  readonly palette: Palette;
  /** Colours of problems (they may go to another stream: standard error). */
  readonly problemPalette: Palette;
  /** Raw one-line wire JSON instead of pretty output. */
  readonly json: boolean;
  readonly recorder?: ConversationRecorder | undefined;
}

/** Runs lines against one session. */
export class ShellRunner {
  private filter: EventFilter = { kind: "all" };
  /** The running `watch`, which Ctrl-C stops. */
  private watching: AbortController | undefined;
  /** Set once the user ran a command that ends the server (`quit`): the session's end is then expected. */
  serverToldToQuit = false;

  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly client: QmpClient<any, any>,
    private readonly schema: ShellSchema,
    private readonly output: ShellOutput,
    private readonly options: RunnerOptions,
  ) {
    client.on("*", (_data, event) => this.onEvent(event));
  }

  private onEvent(event: QmpEventMessage): void {
    this.options.recorder?.event(event);
    const f = this.filter;
    if (f.kind === "none" || (f.kind === "only" && !f.names.has(event.event))) return;
    this.output.print(renderEvent(event, this.options.palette, this.options.json));
  }

  /** Runs one line of input. Never throws for the user's or the server's errors: they are printed. */
  async run(line: string): Promise<LineOutcome> {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return "ok";
    const first = /^\S+/.exec(trimmed)![0];
    const rest = trimmed.slice(first.length).trim();
    try {
      switch (first) {
        case "exit":
          return "exit";
        case "help": {
          const { text, ok } = renderHelp(
            this.schema,
            splitWords(rest, true).map((w) => w.text),
          );
          if (ok) this.output.print(text);
          else this.output.problem(renderProblem(text, this.options.problemPalette));
          return ok ? "ok" : "failed";
        }
        case "events":
          return this.setFilter(splitWords(rest, true).map((w) => w.text));
        case "watch":
          return this.watch(splitWords(rest, true).map((w) => w.text));
        case "hmp":
          if (rest === "") return this.refuse("hmp: give a human monitor command, e.g. hmp info block");
          return this.execute("human-monitor-command", { "command-line": rest });
      }
      const parsed = parseLine(trimmed)!;
      const wire = this.schema.wire;
      const command = wire.commands.get(parsed.command);
      if (!command && wire.commands.size > 0) {
        return this.refuse(
          `${parsed.command}: no such command in the server's schema (not sent); 'help' lists the shell's words, Tab completes names`,
        );
      }
      const args =
        parsed.args === undefined
          ? undefined
          : coerceArguments(wire, command ? wire.types.get(command.argType) : undefined, parsed.args);
      const check = this.schema.validators.commandArgs(parsed.command, args ?? {}, "strict", "$.arguments");
      if (check && check.errors.length > 0) {
        const lines = explainArguments(wire, command?.argType ?? "", args ?? {}, check.errors).map((l) => `  ${l}`);
        return this.refuse(`${parsed.command}: invalid arguments, not sent:\n${lines.join("\n")}`);
      }
      return await this.execute(parsed.command, args);
    } catch (error) {
      if (error instanceof ArgSyntaxError) return this.refuse(error.message);
      throw error;
    }
  }

  private async watch(words: string[]): Promise<LineOutcome> {
    const out = {
      print: (text: string) => this.output.print(text),
      problem: (text: string) => this.output.problem(renderProblem(text, this.options.problemPalette)),
      progress: (line: string | undefined) => this.output.progress?.(line),
    };
    const job = words[0] === "job" && words.length === 2;
    if (!job && !(words[0] === "migration" && words.length === 1))
      return this.refuse("watch: give 'watch job ID' or 'watch migration'");
    const stop = (this.watching = new AbortController());
    try {
      const ok = job
        ? await watchJob(this.client, words[1]!, out, stop.signal)
        : await watchMigration(this.client, out, stop.signal);
      return ok ? "ok" : "failed";
    } finally {
      this.watching = undefined;
    }
  }

  /** Ctrl-C while a line runs: stops a `watch` (true), or does nothing (false: a command's reply cannot be cancelled). */
  interrupt(): boolean {
    if (!this.watching) return false;
    this.watching.abort();
    return true;
  }

  private refuse(text: string): LineOutcome {
    this.output.problem(renderProblem(text, this.options.problemPalette));
    return "failed";
  }

  private setFilter(names: string[]): LineOutcome {
    if (names.length === 1 && (names[0] === "all" || names[0] === "none")) this.filter = { kind: names[0] };
    else if (names.length > 0) {
      const unknown = names.filter((n) => !this.schema.wire.events.has(n));
      if (unknown.length > 0 && this.schema.wire.events.size > 0)
        return this.refuse(`events: no event ${unknown.join(", ")} in the server's schema`);
      this.filter = { kind: "only", names: new Set(names) };
    }
    const f = this.filter;
    this.output.print(f.kind === "only" ? `events shown: ${[...f.names].join(" ")}` : `events shown: ${f.kind}`);
    return "ok";
  }

  private async execute(name: string, args: unknown): Promise<LineOutcome> {
    const { palette, json, recorder } = this.options;
    recorder?.command(name, args);
    if (name === "quit") this.serverToldToQuit = true;
    try {
      const value = await this.client.executeWith(name, args as never, { validate: "off" });
      const meta = this.client.sdk.commands[name];
      if (meta && !meta.successResponse) {
        this.output.print(palette.dim(`(${name} sends no reply)`));
        return "ok";
      }
      recorder?.reply(value);
      this.output.print(renderReturn(value, palette, json));
      return "ok";
    } catch (error) {
      if (error instanceof ExecuteError) {
        recorder?.error(error.errorClass, error.desc);
        this.output.problem(renderError(error.errorClass, error.desc, this.options.problemPalette, json));
        return "failed";
      }
      // QEMU may close the connection before `quit`'s reply is read: that is the command's success.
      if (name === "quit" && error instanceof InterruptedError) return "ok";
      if (error instanceof QmpError) return this.refuse(`${name}: ${error.message}`);
      throw error;
    }
  }
}
