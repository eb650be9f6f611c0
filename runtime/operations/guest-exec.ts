/**
 * The guest agent's `guest-exec` run to its exit: start the program, poll
 * `guest-exec-status` until it has exited, and hand back its exit status and
 * its output decoded from base64 (as text and as bytes).
 *
 * Data flow: the caller → `guestExec` → the guest agent client (`guest-exec`,
 * then `guest-exec-status` polls) → `GuestExecResult`.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { QmpClient } from "../client.js";
import { AbortError, TimeoutError } from "../errors.js";
import { checkTimeout } from "../deadline.js";
import type { CommandMapBase, EventMapBase, Int64 } from "../sdk.js";

/** Options of `guestExec`. */
export interface GuestExecOptions {
  /** Arguments after the program path. */
  args?: readonly string[];
  /** Environment entries, `NAME=value`. */
  env?: readonly string[];
  /** Standard input for the program (text is sent as UTF-8). */
  input?: string | Uint8Array;
  /** Capture standard output and error (default true). */
  captureOutput?: boolean;
  /** Milliseconds between `guest-exec-status` polls (default 100). */
  pollInterval?: number;
  /** Give up waiting after this many ms (TimeoutError; default: none). The program keeps running in the guest. */
  timeout?: number;
  /** Give up waiting when the signal fires (AbortError). The program keeps running in the guest. */
  signal?: AbortSignal;
}

/** How the program ended, and what it wrote. */
export interface GuestExecResult {
  readonly pid: Int64;
  /** The exit code, when it exited normally. */
  readonly exitCode: number | undefined;
  /** The signal that ended it (POSIX guests), when one did. */
  readonly signal: number | undefined;
  /** Standard output as UTF-8 text (empty when not captured). */
  readonly stdout: string;
  readonly stderr: string;
  /** The same, as bytes. */
  readonly stdoutBytes: Uint8Array;
  readonly stderrBytes: Uint8Array;
  /** True when the agent cut an output short (it keeps a limited amount). */
  readonly truncated: boolean;
}

interface ExecStatus {
  exited: boolean;
  exitcode?: Int64;
  signal?: Int64;
  "out-data"?: string;
  "err-data"?: string;
  "out-truncated"?: boolean;
  "err-truncated"?: boolean;
}

/**
 * Runs `path` in the guest and resolves when it has exited.
 *
 *   const { exitCode, stdout } = await guestExec(agent, "/bin/echo", { args: ["hi"] }); // 0, "hi\n"
 *
 * @throws ExecuteError (the agent refused, e.g. no such program), TimeoutError, AbortError.
 */
export async function guestExec<C extends CommandMapBase, E extends EventMapBase>(
  agent: QmpClient<C, E>,
  path: string,
  options: GuestExecOptions = {},
): Promise<GuestExecResult> {
  const qga = agent as unknown as QmpClient;
  const interval = checkTimeout(options.pollInterval ?? 100, "pollInterval") ?? 100;
  const limit = checkTimeout(options.timeout, "timeout");
  const deadline = limit === undefined ? Infinity : Date.now() + limit;
  const { signal } = options;
  const args: Record<string, unknown> = { path, "capture-output": options.captureOutput ?? true };
  if (options.args) args["arg"] = options.args;
  if (options.env) args["env"] = options.env;
  if (options.input !== undefined) args["input-data"] = Buffer.from(options.input).toString("base64");
  const { pid } = (await qga.executeWith("guest-exec", args, signal ? { signal } : {})) as { pid: Int64 };
  for (;;) {
    const status = (await qga.executeWith("guest-exec-status", { pid }, signal ? { signal } : {})) as ExecStatus;
    if (status.exited) return result(pid, status);
    if (Date.now() >= deadline) throw new TimeoutError(`guest-exec ${path}: still running after ${limit} ms`, limit!);
    try {
      await sleep(Math.min(interval, deadline - Date.now()), undefined, signal ? { signal } : {});
    } catch {
      throw new AbortError(`guest-exec ${path}: stopped waiting`, { cause: signal?.reason });
    }
  }
}

function result(pid: Int64, status: ExecStatus): GuestExecResult {
  const stdoutBytes = Buffer.from(status["out-data"] ?? "", "base64");
  const stderrBytes = Buffer.from(status["err-data"] ?? "", "base64");
  return {
    pid,
    exitCode: status.exitcode === undefined ? undefined : Number(status.exitcode),
    signal: status.signal === undefined ? undefined : Number(status.signal),
    stdout: stdoutBytes.toString("utf8"),
    stderr: stderrBytes.toString("utf8"),
    stdoutBytes,
    stderrBytes,
    truncated: (status["out-truncated"] ?? false) || (status["err-truncated"] ?? false),
  };
}
