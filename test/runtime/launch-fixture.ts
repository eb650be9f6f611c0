/**
 * A program for test/runtime/launch.test.ts: launches QEMU with launchQemu,
 * prints `{"pid":…,"dir":…}` on one line, then ends the way argv[2] says:
 * `wait` (until a signal arrives), `throw` (an uncaught exception) or `exit`
 * (process.exit without closing anything). `throw` and `exit` wait for the
 * test to close the fixture's stdin first, so that the test has seen QEMU
 * alive before the launcher ends, however loaded the machine is. The test then
 * checks that QEMU is gone and its temporary directory removed.
 */
import { launchQemu } from "../../runtime/index.js";

const mode = process.argv[2] ?? "wait";
const launched = await launchQemu({
  binary: "/usr/bin/qemu-system-x86_64",
  args: ["-machine", "none", "-nodefaults", "-display", "none"],
});
process.stdout.write(JSON.stringify({ pid: launched.process.pid, dir: launched.dir }) + "\n");
if (mode === "throw")
  process.stdin.once("end", () => {
    throw new Error("fixture: deliberate uncaught exception");
  });
else if (mode === "exit") process.stdin.once("end", () => process.exit(3));
else setInterval(() => undefined, 1000); // keep running until signalled
process.stdin.resume();
