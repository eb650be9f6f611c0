/**
 * The interactive shell on a terminal (node:readline): a prompt with Tab
 * completion from the schema (completion.ts), history across sessions
 * (history.ts), and output that never garbles the line being typed — an
 * event arriving while the user types is written above the prompt, and the
 * prompt and the half-typed line are drawn again below it, cursor in place.
 * Lines run one at a time (run-line.ts); lines typed meanwhile wait their turn.
 *
 * Data flow: keys → readline → `ShellRunner.run` → replies and events →
 * `printAbove` → the terminal.
 */
import { clearLine, clearScreenDown, createInterface, cursorTo, moveCursor, type Interface } from "node:readline";
import type { WireSchema } from "../../core/schema.js";
import { completeLine } from "./completion.js";
import { loadHistory, saveHistory, historySize } from "./history.js";
import type { ShellOutput, ShellRunner } from "./run-line.js";
import { terminalSafe } from "../terminal-text.js";

/** Settings of the interactive shell. */
export interface ReplOptions {
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WriteStream;
  readonly prompt: string;
  /** undefined: no history file. */
  readonly historyFile: string | undefined;
  readonly banner: string;
  /** Tells the reason when the session ends underneath the shell. */
  readonly closed: Promise<Error | undefined>;
}

/**
 * Output for a runner that writes above the prompt while the user types.
 * Until `attach`, it writes plainly.
 */
export class PromptOutput implements ShellOutput {
  private rl: Interface | undefined;
  /** True while the prompt is shown (no command running). */
  prompting = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  attach(rl: Interface): void {
    this.rl = rl;
  }

  /** The progress line on screen (the cursor is at its end), if any. */
  private progressShown = false;

  progress(raw: string | undefined): void {
    const line = raw === undefined ? undefined : terminalSafe(raw);
    // A command is running (no prompt): the line is rewritten in place, on one row.
    cursorTo(this.stream, 0);
    clearLine(this.stream, 0);
    this.progressShown = line !== undefined;
    if (line !== undefined) this.stream.write(line.slice(0, Math.max(1, (this.stream.columns ?? 80) - 1)));
  }

  print(raw: string): void {
    // The one sink of the interactive shell: nothing a peer sent may act on the terminal.
    const text = terminalSafe(raw);
    const rl = this.rl;
    if (this.progressShown) {
      // An event during a watch: it goes above, the progress line is drawn again by the next report.
      this.progress(undefined);
    }
    if (!rl || !this.prompting) {
      this.stream.write(text + "\n");
      return;
    }
    // Go to the start of the prompt's first row (the typed line may wrap), clear it, write, redraw.
    this.erasePrompt(rl);
    this.stream.write(text + "\n");
    // readline redraws from where it believes the prompt starts: `prevRows` rows above the cursor
    // as of its last redraw. The cursor is now at the start of a fresh row, so that is zero.
    (rl as unknown as { prevRows: number }).prevRows = 0;
    rl.prompt(true);
  }

  private erasePrompt(rl: Interface): void {
    const { rows } = rl.getCursorPos();
    moveCursor(this.stream, 0, -rows);
    cursorTo(this.stream, 0);
    clearScreenDown(this.stream);
  }

  /** Takes the prompt off the screen for good (the session is over). */
  clearPrompt(): void {
    if (this.rl && this.prompting) this.erasePrompt(this.rl);
    this.prompting = false;
  }

  problem(text: string): void {
    this.print(text);
  }
}

/**
 * Runs the shell until `exit`, Ctrl-D or the end of the session.
 * @returns the exit status: 0, or 1 when the session ended underneath the shell
 */
export function runRepl(
  runner: ShellRunner,
  output: PromptOutput,
  schema: WireSchema,
  options: ReplOptions,
): Promise<number> {
  const { entries, problem } = options.historyFile ? loadHistory(options.historyFile) : { entries: [] };
  const rl = createInterface({
    input: options.input,
    output: options.output,
    prompt: options.prompt,
    terminal: true,
    history: entries,
    historySize,
    removeHistoryDuplicates: true,
    completer: (line: string): [string[], string] => {
      try {
        return completeLine(schema, line);
      } catch {
        return [[], line]; // a completion bug must not end the session; Tab just offers nothing
      }
    },
  });
  output.attach(rl);
  options.output.write(terminalSafe(options.banner) + "\n");
  if (problem) options.output.write(terminalSafe(problem) + "\n");
  let historyProblemShown = false;
  rl.on("history", (history: string[]) => {
    if (!options.historyFile) return;
    const trouble = saveHistory(options.historyFile, history);
    if (trouble && !historyProblemShown) output.print((historyProblemShown = true) && trouble);
  });
  return new Promise((resolve) => {
    let status = 0;
    let queue = Promise.resolve();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      output.prompting = false;
      rl.close();
      resolve(status);
    };
    rl.on("line", (line) => {
      queue = queue.then(async () => {
        if (done) return;
        output.prompting = false;
        const outcome = await runner.run(line);
        if (outcome === "exit") return finish();
        if (done) return;
        output.prompting = true;
        rl.prompt();
      });
    });
    rl.on("SIGINT", () => {
      if (!output.prompting) {
        if (runner.interrupt()) return; // a watch stops; the job or migration goes on
        // QMP cannot cancel a command that was sent: keep waiting for its reply, and say so.
        options.output.write("^C (a command is running; its reply is still awaited)\n");
        return;
      }
      // Ctrl-C drops the line being typed, as in a shell; Ctrl-D or `exit` leaves.
      options.output.write("^C\n");
      rl.write(null, { ctrl: true, name: "u" });
      rl.prompt();
    });
    rl.on("close", () => {
      if (!done) options.output.write("\n");
      finish();
    });
    void options.closed.then((reason) => {
      if (done) return;
      output.clearPrompt(); // the last words replace the prompt, which is not drawn again
      if (runner.serverToldToQuit) output.print("the server quit; leaving");
      else {
        output.print(`connection closed${reason ? `: ${reason.message}` : ""}`);
        status = 1;
      }
      finish();
    });
    output.prompting = true;
    rl.prompt();
  });
}
