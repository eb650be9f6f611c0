/**
 * The I/O-error scenario end to end, with the typed SDK generated from QEMU's
 * schema, against a real qemu-system-x86_64 (Debian's 7.2).
 *
 * A qcow2 image with data in its first cluster is opened through a blkdebug
 * node that fails every data read (event read_aio, errno 5 = EIO) and attached
 * as an IDE disk with rerror=stop to a `pc` machine started paused. On `cont`
 * the BIOS reads the boot sector (`-boot c`), the read fails, and QEMU must
 * report BLOCK_IO_ERROR then STOP, with run state `io-error` and the device's
 * io-status `failed`; a second `cont` retries the read, giving RESUME and the
 * same stop again.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { launchQemu, ValidationError, type QmpEventMessage } from "../../runtime/index.js";
import { sdk, type CommandMap, type EventMap } from "../../generated/qemu/index.js";
import { cleanupAll, makeTempDir, qemuImg, qemuSystem } from "./qemu-helpers.js";

after(cleanupAll);

const eventTimeout = { timeout: 60_000 }; // safety net only: TCG needs a moment to reach the boot sector read

test("BLOCK_IO_ERROR then STOP, run state io-error, io-status failed; cont gives RESUME and stops again", async () => {
  const dir = makeTempDir();
  const image = join(dir, "disk.qcow2");
  execFileSync(qemuImg, ["create", "-q", "-f", "qcow2", image, "1M"]);
  // Allocate the first 64 KiB, so the boot sector read goes to the file (and through blkdebug).
  execFileSync("/usr/bin/qemu-io", ["-c", "write -P 0x55 0 64k", image], { stdio: "ignore" });

  const launched = await launchQemu<CommandMap, EventMap>({
    binary: qemuSystem,
    sdk,
    args: [
      "-machine",
      "pc",
      "-accel",
      "tcg",
      "-m",
      "32",
      "-nodefaults",
      "-display",
      "none",
      "-S",
      "-boot",
      "c",
      "-blockdev",
      `driver=file,node-name=file0,filename=${image}`,
      "-blockdev",
      "driver=blkdebug,node-name=dbg0,image=file0,inject-error.0.event=read_aio,inject-error.0.errno=5",
      "-blockdev",
      "driver=qcow2,node-name=disk0,file=dbg0",
      "-device",
      "ide-hd,drive=disk0,id=hd0,bus=ide.0,rerror=stop,werror=stop",
    ],
  });
  const client = launched.client;
  try {
    assert.equal((await client.execute("query-status")).status, "prelaunch");

    // Armed before `cont`: the order in which the two events arrive.
    const sequence = client.events("BLOCK_IO_ERROR", "STOP");
    const firstTwo = (async () => {
      const seen: QmpEventMessage[] = [];
      for await (const event of sequence) if (seen.push(event) === 2) break;
      return seen;
    })();
    await client.execute("cont");
    const [ioError, stop] = await firstTwo;
    assert.equal(ioError?.event, "BLOCK_IO_ERROR");
    assert.equal(stop?.event, "STOP");
    const data = ioError!.data as EventMap["BLOCK_IO_ERROR"];
    assert.equal(data["node-name"], "disk0");
    assert.equal(data.operation, "read");
    assert.equal(data.action, "stop");

    const status = await client.execute("query-status");
    assert.equal(status.status, "io-error");
    assert.equal(status.running, false);
    const disk = (await client.execute("query-block")).find((b) => b.qdev === "hd0");
    assert.equal(disk?.["io-status"], "failed");

    // The failed request is retried on `cont`: it fails again, and the VM stops again.
    const resume = client.waitFor("RESUME", eventTimeout);
    const againError = client.waitFor("BLOCK_IO_ERROR", eventTimeout);
    const againStop = client.waitFor("STOP", eventTimeout);
    await client.execute("cont");
    await resume;
    await againError;
    await againStop;
    assert.equal((await client.execute("query-status")).status, "io-error");
    const diskAgain = (await client.execute("query-block")).find((b) => b.qdev === "hd0");
    assert.equal(diskAgain?.["io-status"], "failed");

    // The SDK is generated from the 10.2.2 schema; this QEMU is 7.2, whose BlockDeviceInfo lacks
    // members 10.2.2 requires. Validation on request says exactly where.
    const skew = await client.executeWith("query-block", undefined, { validate: "lenient" }).catch((e: unknown) => e);
    assert.ok(skew instanceof ValidationError);
    assert.match(skew.path, /^\$\.return\[0\]\.inserted\./);
  } finally {
    await launched.close();
  }
});
