/**
 * Kill-on-parent-death for a launched QEMU (runtime/launch.ts), which Node
 * cannot ask the kernel for (no prctl(PR_SET_PDEATHSIG)), and which exit and
 * signal hooks cannot give: SIGKILL runs no hook.
 *
 * A small `sh` watchdog, in a session of its own (so a terminal's Ctrl-C does
 * not stop it), reads from a pipe whose only writer is this process. The
 * kernel closes the pipe when this process ends, however it ends; the
 * watchdog then reads end-of-file, SIGKILLs QEMU and removes the temporary
 * directory. Before that, this process writes QEMU's pid once it is known,
 * and, when it has cleaned up itself, `exited`, after which the watchdog
 * leaves without killing anything (the pid may be reused by then).
 *
 * Data flow: launch.ts → `startWatchdog(dir)` → `adopt(pid)` → `release()`.
 */
import { spawn } from "node:child_process";

/** The watchdog's side: $1 is the directory. Line 1: the pid to kill (or none); line 2: `exited` to stand down. */
const script = `
read -r pid || pid=
read -r word || word=
if [ "$word" != exited ] && [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null; fi
rm -rf -- "$1"
`;

/** The parent's side of one watchdog. */
export interface Watchdog {
  /** The process to kill if this one dies. */
  adopt(pid: number): void;
  /** This process cleaned up itself: the watchdog leaves without killing. */
  release(): void;
}

/**
 * Starts a watchdog for `dir` (and, after `adopt`, a process). It keeps no
 * event-loop reference: it never holds this process open.
 */
export function startWatchdog(dir: string): Watchdog {
  const child = spawn("/bin/sh", ["-c", script, "qapi-ts-watchdog", dir], {
    stdio: ["pipe", "ignore", "ignore"],
    detached: true,
  });
  child.on("error", () => undefined); // no sh: the exit and signal hooks still clean up
  child.stdin!.on("error", () => undefined);
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  let adopted = false;
  let released = false;
  return {
    adopt(pid) {
      if (adopted || released) return;
      adopted = true;
      child.stdin!.write(`${pid}\n`);
    },
    release() {
      if (released) return;
      released = true;
      child.stdin!.end(adopted ? "exited\n" : "\nexited\n");
    },
  };
}
