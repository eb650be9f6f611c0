/**
 * Driving a program in a real terminal for tests: a private tmux server
 * (its own socket in a temporary directory, `tmux -S PATH`), one window of a fixed size running the
 * program, keys sent with `send-keys`, the screen read with `capture-pane`.
 * The program runs under `sh -c '…; echo "[exit N]"'` so its exit status
 * shows on the screen. Waiting is by content ("until the screen shows X"),
 * with a generous safety limit that only turns a hang into a failure.
 *
 * Data flow: test → `TmuxTerminal` → tmux → the program under test.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const tmux = "/usr/bin/tmux";

/** Single-quotes a word for sh. */
const shQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** One program in one tmux window. */
export class TmuxTerminal {
  private constructor(
    /** The directory holding the server's socket; removed by `close`. */
    private readonly dir: string,
    private readonly socket: string,
  ) {}

  /**
   * Starts `argv` in a fresh tmux server, in `cwd`, with `env` added.
   * @throws Error when tmux cannot start
   */
  static start(
    argv: readonly string[],
    options: { cwd: string; env?: Record<string, string>; columns?: number; rows?: number },
  ): TmuxTerminal {
    const dir = mkdtempSync(join(tmpdir(), "qapi-ts-tmux-"));
    const socket = join(dir, "tmux.sock");
    const envWords = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${shQuote(v)}`);
    const script = `cd ${shQuote(options.cwd)} && env ${envWords.join(" ")} ${argv.map(shQuote).join(" ")}; echo "[exit $?]"; exec sleep 3600`;
    execFileSync(
      tmux,
      [
        "-S",
        socket,
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        String(options.columns ?? 200),
        "-y",
        String(options.rows ?? 50),
        "sh",
        "-c",
        script,
      ],
      {
        stdio: "pipe",
        env: { ...process.env, TERM: "xterm-256color" },
      },
    );
    return new TmuxTerminal(dir, socket);
  }

  private run(args: string[]): string {
    return execFileSync(tmux, ["-S", this.socket, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }

  /** Sends keys by tmux name (`Tab`, `Enter`, `C-d`, `Up`). */
  keys(...names: string[]): void {
    this.run(["send-keys", "-t", "t", ...names]);
  }

  /** Types text literally. */
  type(text: string): void {
    this.run(["send-keys", "-t", "t", "-l", text]);
  }

  /** The screen (and scroll-back) as text; `escapes` keeps colour codes. Wrapped lines are joined. */
  screen(escapes = false): string {
    return this.run(["capture-pane", "-t", "t", "-p", "-J", "-S", "-2000", ...(escapes ? ["-e"] : [])]).replace(
      /\n+$/,
      "",
    );
  }

  /** The visible screen only (no scroll-back): what a clear-screen sequence would wipe. */
  visible(): string {
    return this.run(["capture-pane", "-t", "t", "-p", "-J"]).replace(/\n+$/, "");
  }

  /** The pane's title (OSC 0 / OSC 2 set it). */
  title(): string {
    return this.run(["display-message", "-p", "-t", "t", "#{pane_title}"]).replace(/\n$/, "");
  }

  /** The names of tmux's paste buffers (OSC 52 adds one when `set-clipboard` is on). */
  buffers(): string[] {
    return this.run(["list-buffers", "-F", "#{buffer_name}"])
      .split("\n")
      .filter((b) => b !== "");
  }

  /** Sets a tmux option for the whole server (`set-option -g`). */
  option(name: string, value: string): void {
    this.run(["set-option", "-g", name, value]);
  }

  /** The last non-empty line on the screen (where the prompt is). */
  lastLine(): string {
    const lines = this.screen()
      .split("\n")
      .filter((l) => l.trim() !== "");
    return lines[lines.length - 1] ?? "";
  }

  /**
   * Waits until `test(screen)` holds.
   * @throws Error with the screen when it does not within `limitMs` (a hang, not a timing check)
   */
  async waitFor(what: string, test: (screen: string) => boolean, limitMs = 30_000): Promise<string> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const screen = this.screen();
      if (test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${what}; screen:\n${screen}`);
      await sleep(25);
    }
  }

  /** Waits until the screen contains `text`. */
  waitForText(text: string | RegExp, limitMs?: number): Promise<string> {
    return this.waitFor(String(text), (s) => (typeof text === "string" ? s.includes(text) : text.test(s)), limitMs);
  }

  /** Stops the tmux server and everything in it, and removes its socket. */
  close(): void {
    try {
      this.run(["kill-server"]);
    } catch {
      // already gone
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
