/**
 * A generated SDK end to end with the runtime and a real QEMU: the SDK
 * generated from QEMU's 7.2.0 schema (golden test/golden/qemu-7.2) connects to
 * Debian's qemu-system-x86_64 with strict validation on, its typed functions
 * return validated replies, a typed event arrives, and wrong arguments are
 * refused by the generated validators before they reach QEMU.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ValidationError } from "../runtime/index.js";
import { type Client, connect, queryBlock, queryStatus, queryVersion } from "./golden/qemu-7.2/index.js";
import { type PausedQemu, startPausedQemu, waitForMonitor } from "./validators-session.js";

let qemu: PausedQemu;
let client: Client;

before(async () => {
  qemu = startPausedQemu();
  await waitForMonitor(qemu);
  client = await connect({ path: qemu.socketPath, validate: "strict" });
});

after(async () => {
  await client?.close();
  qemu?.stop();
});

test("typed calls return validated replies", async () => {
  const status = await queryStatus(client);
  assert.equal(status.status, "prelaunch");
  assert.equal(status.running, false);
  const version = await queryVersion(client);
  assert.equal(version.qemu.major, 7);
  const blocks = await queryBlock(client);
  assert.ok(blocks.some((b) => b.inserted?.["node-name"] === "disk0"));
});

test("a typed event arrives", async () => {
  await client.execute("cont");
  const stopped = client.waitFor("STOP");
  await client.execute("stop");
  const event = await stopped;
  assert.equal(event.event, "STOP");
});

test("wrong arguments are refused before they are sent", async () => {
  await assert.rejects(
    client.execute("blockdev-del", { "node-name": 42 } as never),
    (error: unknown) => error instanceof ValidationError && error.path === '$.arguments["node-name"]',
  );
  // The session is still usable.
  assert.equal((await queryStatus(client)).status, "paused");
});
