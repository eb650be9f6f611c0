/**
 * Example: unplug a device and wait until QEMU has really removed it.
 * `device_del` only asks; `DEVICE_DELETED` says it is gone. QEMU may send
 * that event before its reply to `device_del`, so a wait armed after the
 * reply can miss it: `executeAndWait` arms the wait first. A USB tablet is
 * removed without the guest's help, so no guest is needed here.
 *
 *   node hot-unplug.js [/usr/bin/qemu-system-x86_64]
 */
import { launchQemu } from "qapi-ts/runtime";
import { executeAndWait } from "qapi-ts/operations";
import { sdk, type CommandMap, type EventMap } from "qapi-ts/qemu";

const binary = process.argv[2] ?? "qemu-system-x86_64";
await using qemu = await launchQemu<CommandMap, EventMap>({
  binary,
  args: [
    ...["-machine", "pc", "-nodefaults", "-display", "none", "-S"],
    ...["-device", "qemu-xhci,id=xhci", "-device", "usb-tablet,id=tablet0,bus=xhci.0"],
  ],
  sdk,
  validate: "strict",
});
const qmp = qemu.client;
const peripherals = async () => (await qmp.execute("qom-list", { path: "/machine/peripheral" })).map((p) => p.name);

console.log(`devices: ${(await peripherals()).sort().join(" ")}`);
const { event } = await executeAndWait(
  qmp,
  "device_del",
  { id: "tablet0" },
  "DEVICE_DELETED",
  (data) => data.device === "tablet0",
  { timeout: 30_000 },
);
console.log(`${event.event} ${event.data.path}`);
console.log(`devices: ${(await peripherals()).sort().join(" ")}`);
