/**
 * `connect({ waitForServer })`: a client started together with its server
 * retries while the socket is missing or not yet listening, and only then.
 * The server is the mock QEMU, listening on a unix socket a moment later.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { connect } from "../../runtime/index.js";
import { createMockQemu } from "../../runtime/mock/index.js";

test("waitForServer: connects once the server listens; without it a missing socket fails at once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "qapi-ts-connect-wait-"));
  const path = join(dir, "qmp.sock");
  const mock = createMockQemu({ handlers: { "query-status": () => ({ running: true, status: "running" }) } });
  try {
    await assert.rejects(connect({ path }), { name: "ConnectionError", message: /ENOENT/ });
    const connecting = connect({ path, waitForServer: 20_000 });
    await sleep(200); // the client is retrying now
    await mock.listen({ path });
    const client = await connecting;
    assert.deepEqual(await client.execute("query-status"), { running: true, status: "running" });
    await client.close();
  } finally {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("waitForServer gives up after its limit with the last connection error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "qapi-ts-connect-wait-"));
  try {
    await assert.rejects(connect({ path: join(dir, "never.sock"), waitForServer: 150 }), {
      name: "ConnectionError",
      message: /ENOENT/,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
