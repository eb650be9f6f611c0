/**
 * `device_add` as QEMU takes it ('gen': false: the device's properties beyond
 * its declared members), end to end against a real QEMU: the typed SDK call
 * with `drive` and `bootindex`, validated strictly, hot-plugs a virtio-blk
 * disk; the shell sends the same line and QEMU plugs a second one; the
 * client of connectWithCapabilities validates against the server's own schema
 * and plugs a third.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { connect, deviceAdd, sdk, type CommandMap, type EventMap } from "../../generated/qemu/index.js";
import { connectWithCapabilities } from "../../runtime/capabilities.js";
import { ValidationError } from "../../runtime/errors.js";
import { cleanupAll, makeTempDir, qemuSystem, startProcess } from "./qemu-helpers.js";
import { waitUntilListening } from "../support/monitor-ready.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const dir = makeTempDir("qapi-ts-device-add-");
const socket = join(dir, "qmp.sock");

before(async () => {
  // A PC machine (its PCI bus takes hot-plugged devices), never started: -S.
  const qemu = startProcess(qemuSystem, [
    ...["-machine", "pc", "-nodefaults", "-display", "none", "-accel", "tcg", "-S"],
    ...["-qmp", `unix:${socket},server=on,wait=off`],
  ]);
  await waitUntilListening(socket, () => qemu.exitCode === null);
});

after(cleanupAll);

test("the SDK hot-plugs a virtio-blk disk with drive and bootindex, validating strictly", async () => {
  const client = await connect({ path: socket, validate: "strict" });
  try {
    await client.execute("blockdev-add", { driver: "null-co", "node-name": "disk0", size: 1048576 });
    await deviceAdd(client, { driver: "virtio-blk-pci", drive: "disk0", id: "vd0", bootindex: 1 });
    assert.equal(await client.execute("qom-get", { path: "/machine/peripheral/vd0", property: "drive" }), "disk0");
    assert.equal(await client.execute("qom-get", { path: "/machine/peripheral/vd0", property: "bootindex" }), 1);
  } finally {
    await client.close();
  }
});

test("the shell sends device_add with the device's properties, and QEMU plugs the disk", () => {
  const run = spawnSync(
    process.execPath,
    [
      join(repoRoot, "bin/qapi-ts"),
      "shell",
      "--connect",
      `unix:${socket}`,
      "-c",
      "blockdev-add driver=null-co node-name=disk1 size=1048576",
      "-c",
      "device_add driver=virtio-blk-pci drive=disk1 id=vd1 bootindex=2",
      "-c",
      "qom-get path=/machine/peripheral/vd1 property=bootindex",
    ],
    { encoding: "utf8" },
  );
  assert.equal(run.stderr, "");
  assert.equal(run.status, 0);
  assert.equal(run.stdout, "{}\n{}\n2\n");
});

test("connectWithCapabilities validates against the schema it probed, device properties included", async () => {
  const { client, capabilities } = await connectWithCapabilities<CommandMap, EventMap>(sdk, {
    path: socket,
    validate: "strict",
  });
  try {
    const bad = capabilities.validators.commandArgs("device_add", { drive: "disk2" }, "strict")!;
    assert.deepEqual(bad.errors, [{ path: "$.arguments.driver", message: "missing required member" }]);
    // The client's own checks use the server's schema: its enum names are the server's masked ones.
    await assert.rejects(
      client.execute("blockdev-add", { driver: "nul-co" as "null-co", "node-name": "disk2" }),
      (error: unknown) => error instanceof ValidationError && /unknown value "nul-co" of enum \d+/.test(error.message),
    );
    await client.execute("blockdev-add", { driver: "null-co", "node-name": "disk2", size: 1048576 });
    await client.execute("device_add", { driver: "virtio-blk-pci", drive: "disk2", id: "vd2", bootindex: 3 });
    assert.equal(await client.execute("qom-get", { path: "/machine/peripheral/vd2", property: "drive" }), "disk2");
  } finally {
    await client.close();
  }
});
