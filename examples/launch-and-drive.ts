/**
 * Example: start QEMU with a QMP monitor, drive it, stop it.
 *
 * launchQemu starts the binary with a monitor attached (no socket path to
 * choose) and removes everything when the session closes or this program ends.
 *
 *   node launch-and-drive.js [/usr/bin/qemu-system-x86_64]
 */
import { launchQemu } from "qapi-ts/runtime";
import { sdk, type CommandMap, type EventMap } from "qapi-ts/qemu";

const binary = process.argv[2] ?? "qemu-system-x86_64";

// The ready-made SDK describes QEMU 10.2.2; "lenient" reports what an older QEMU
// answers differently as diagnostics instead of failing.
const qemu = await launchQemu<CommandMap, EventMap>({
  binary,
  args: ["-machine", "none", "-nodefaults", "-display", "none"],
  sdk,
  validate: "lenient",
});
try {
  const { qemu: version } = await qemu.client.execute("query-version");
  console.log(`QEMU ${version.major}.${version.minor}.${version.micro}`);

  // Arm the wait before the command that causes the event.
  const stopped = qemu.client.waitFor("STOP", { timeout: 10_000 });
  await qemu.client.execute("stop");
  await stopped;
  console.log("status:", (await qemu.client.execute("query-status")).status);

  const resumed = qemu.client.waitFor("RESUME", { timeout: 10_000 });
  await qemu.client.execute("cont");
  await resumed;
  console.log("status:", (await qemu.client.execute("query-status")).status);
} finally {
  await qemu.close(); // quit, then kill after a grace period; the temporary socket folder goes too
}
