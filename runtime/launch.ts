/**
 * Launching a QEMU program (qemu-system-*, qemu-storage-daemon) with a QMP
 * monitor, and cleaning up after it whatever happens.
 *
 * We listen on a unix socket in a fresh temporary directory and start QEMU with
 * a monitor chardev in client mode pointing at it, so QEMU connects to us as
 * soon as its monitor exists: no polling for a socket file, no race. The
 * process is stopped and the directory removed when the session closes (by
 * `close()`, an error, or QEMU exiting), when this process exits, and on
 * SIGINT/SIGTERM/SIGHUP (after which the signal's default action proceeds);
 * and, when this process dies without running any of that (SIGKILL), by a
 * watchdog process (runtime/watchdog.ts). The directory is owner-only; its
 * path goes into QEMU's options with commas doubled, as QEMU's option syntax
 * wants. Time limits follow the rules of call timeouts (runtime/deadline.ts).
 *
 * Data flow: `LaunchOptions` → child process + runtime/connect.ts in listening
 * mode → `LaunchedQemu` (the client plus the process) → the caller.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { connectWith } from "./connect.js";
import type { QmpClient, SessionOptions } from "./client.js";
import { ConnectionError, InterruptedError, QmpError } from "./errors.js";
import { genericSdk } from "./generic-sdk.js";
import { armDeadline, checkTimeout } from "./deadline.js";
import { startWatchdog, type Watchdog } from "./watchdog.js";
import { asyncDispose } from "./dispose.js";
import type { CommandMapBase, EventMapBase, SdkDescriptor } from "./sdk.js";

/** How to start QEMU. */
export interface LaunchOptions extends SessionOptions {
  /** The program, e.g. `/usr/bin/qemu-system-x86_64` or `qemu-storage-daemon`. */
  binary: string;
  /** Arguments besides the QMP monitor, which is added. */
  args?: readonly string[];
  /** The SDK to type and validate with (default: the generic one). */
  sdk?: SdkDescriptor;
  /** Monitor option style; default: `storage-daemon` when the binary's name says so, else `system`. */
  kind?: "system" | "storage-daemon";
  /** Time limit for QEMU to start and connect, in ms (default 30 000). */
  startTimeout?: number;
  /** Grace period for QEMU to exit after `quit` before it is killed, in ms (default 5 000). */
  quitTimeout?: number;
  /** Environment of the process (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

/** A running QEMU and its QMP session; `await using qemu = await launchQemu(…)` closes it at the end of the scope. */
export interface LaunchedQemu<C extends CommandMapBase, E extends EventMapBase> extends AsyncDisposable {
  readonly client: QmpClient<C, E>;
  readonly process: ChildProcess;
  /** The temporary directory holding the QMP socket; removed on cleanup. Usable for other files of the run. */
  readonly dir: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The end of QEMU's standard error (the last 8 KiB), for diagnosis. */
  stderr(): string;
  /** Closes the session, asks QEMU to quit, kills it after the grace period, removes the directory. Idempotent. */
  close(): Promise<void>;
}

interface Cleanup {
  child: ChildProcess;
  dir: string;
  watchdog: Watchdog;
}
const live = new Set<Cleanup>();
const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
let hooksInstalled = false;

function cleanupNow(entry: Cleanup): void {
  live.delete(entry);
  if (entry.child.exitCode === null && entry.child.signalCode === null) entry.child.kill("SIGKILL");
  rmSync(entry.dir, { recursive: true, force: true });
  entry.watchdog.release();
}

function onProcessExit(): void {
  for (const entry of [...live]) cleanupNow(entry);
}

function onSignal(signal: NodeJS.Signals): void {
  onProcessExit();
  uninstallHooks();
  // Let the signal do what it would have done without us, unless someone else handles it.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", onProcessExit);
  for (const signal of signals) process.on(signal, onSignal);
}

function uninstallHooks(): void {
  if (!hooksInstalled) return;
  hooksInstalled = false;
  process.off("exit", onProcessExit);
  for (const signal of signals) process.off(signal, onSignal);
}

/**
 * Starts QEMU with a QMP monitor and connects to it.
 * @throws ConnectionError when QEMU exits or does not connect in time (the message holds its stderr);
 *   GreetingError / NegotiationError from the handshake.
 */
export async function launchQemu<C extends CommandMapBase = any, E extends EventMapBase = any>(
  options: LaunchOptions,
): Promise<LaunchedQemu<C, E>> {
  const startTimeout = checkTimeout(options.startTimeout ?? 30_000, "startTimeout");
  const quitTimeout = checkTimeout(options.quitTimeout ?? 5_000, "quitTimeout");
  const dir = mkdtempSync(join(tmpdir(), "qapi-ts-qemu-")); // mode 0700
  const watchdog = startWatchdog(dir);
  const socketPath = join(dir, "qmp.sock");
  const kind = options.kind ?? (basename(options.binary).includes("storage-daemon") ? "storage-daemon" : "system");
  // QEMU's option syntax: a comma in a value is written twice (a TMPDIR with a comma must not add options).
  const chardev = `socket,id=qapi-ts-qmp,path=${socketPath.replaceAll(",", ",,")}`;
  const monitorArgs =
    kind === "storage-daemon"
      ? ["--chardev", chardev, "--monitor", "chardev=qapi-ts-qmp"]
      : ["-chardev", chardev, "-mon", "chardev=qapi-ts-qmp,mode=control"];
  let stderrTail = "";
  const gaveUp = new AbortController();
  let child: ChildProcess | undefined;
  let entry: Cleanup | undefined;
  let exited!: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  const disarm = armDeadline({
    timeout: startTimeout,
    onTimeout: () => gaveUp.abort(new ConnectionError(`${options.binary} did not connect within ${startTimeout} ms`)),
  });
  try {
    const client = await connectWith<C, E>(options.sdk ?? genericSdk, {
      ...options,
      listen: { path: socketPath },
      signal: gaveUp.signal,
      onListening: () => {
        child = spawn(options.binary, [...(options.args ?? []), ...monitorArgs], {
          stdio: ["ignore", "ignore", "pipe"],
          env: options.env,
        });
        if (child.pid !== undefined) watchdog.adopt(child.pid);
        entry = { child, dir, watchdog };
        live.add(entry);
        installHooks();
        child.stderr!.setEncoding("utf8");
        child.stderr!.on("data", (text: string) => (stderrTail = (stderrTail + text).slice(-8192)));
        exited = new Promise((resolve) => child!.once("exit", (code, signal) => resolve({ code, signal })));
        child.once("error", (error) =>
          gaveUp.abort(new ConnectionError(`cannot start ${options.binary}: ${error.message}`, { cause: error })),
        );
        void exited.then(({ code, signal }) =>
          gaveUp.abort(
            new ConnectionError(
              `${options.binary} exited (${signal ?? `code ${code}`}) before connecting: ${stderrTail.trim()}`,
            ),
          ),
        );
      },
    });
    disarm();
    const launched = makeLaunched(client, child!, dir, exited, () => stderrTail, entry!, quitTimeout);
    return launched;
  } catch (error) {
    disarm();
    if (entry) cleanupNow(entry);
    else {
      rmSync(dir, { recursive: true, force: true });
      watchdog.release();
    }
    if (live.size === 0) uninstallHooks();
    const reason = gaveUp.signal.aborted ? (gaveUp.signal.reason as Error) : undefined;
    if (
      reason instanceof QmpError &&
      !(error instanceof QmpError && error.name !== "ConnectionError" && error.name !== "InterruptedError")
    )
      throw reason;
    throw error;
  }
}

function makeLaunched<C extends CommandMapBase, E extends EventMapBase>(
  client: QmpClient<C, E>,
  child: ChildProcess,
  dir: string,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  stderr: () => string,
  entry: Cleanup,
  quitTimeout: number | undefined,
): LaunchedQemu<C, E> {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      let askedToQuit = false;
      if (client.state === "running") {
        // `quit` lets QEMU shut down cleanly (flush images); the reply may be cut off by the exit.
        askedToQuit = await client.executeWith("quit" as any, undefined as any, { timeout: quitTimeout }).then(
          () => true,
          (error: unknown) => error instanceof InterruptedError,
        );
      }
      await client.close();
      const alive = () => child.exitCode === null && child.signalCode === null;
      if (alive()) {
        if (!askedToQuit) child.kill("SIGTERM");
        let disarmQuit = () => undefined as void;
        await Promise.race([
          exited,
          new Promise<void>((resolve) => (disarmQuit = armDeadline({ timeout: quitTimeout, onTimeout: resolve }))),
        ]);
        disarmQuit();
        if (alive()) {
          child.kill("SIGKILL");
          await exited;
        }
      }
      cleanupNow(entry);
      if (live.size === 0) uninstallHooks();
    })());
  // However the session ends (QEMU died, protocol error, the user closed the client), clean up.
  void client.closed.then(() => close());
  void exited.then(() => void client.close());
  return { client, process: child, dir, exited, stderr, close, [asyncDispose]: close };
}
