/**
 * The mock's `listen` on a unix path that is taken: a socket file left by a
 * killed process (removed, then listened on), a live listener and a regular
 * file (a MockListenError saying which, the file left alone), and a TCP port
 * in use (a MockListenError, not a raw EADDRINUSE).
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMockQemu, MockListenError } from "../../runtime/mock/index.js";
import { connect } from "../../runtime/index.js";

const dir = mkdtempSync(join(tmpdir(), "qapi-ts-mock-listen-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("a socket file left by a killed process is replaced, and the mock serves on it", async () => {
  const path = join(dir, "leftover.sock");
  // A process that listens and is killed leaves its socket file behind.
  const child = spawnSync(process.execPath, [
    "-e",
    `require("net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"))`,
  ]);
  assert.equal(child.signal, "SIGKILL");
  assert.ok(existsSync(path));
  const mock = createMockQemu();
  await mock.listen({ path });
  const client = await connect({ path });
  assert.equal(client.state, "running");
  await client.close();
  await mock.close();
});

test("a path with a live listener, or a regular file, is a MockListenError; nothing is removed", async () => {
  const live = join(dir, "live.sock");
  const other = createServer();
  await new Promise<void>((resolve) => other.listen(live, resolve));
  const mock = createMockQemu();
  await assert.rejects(
    mock.listen({ path: live }),
    (e: unknown) => e instanceof MockListenError && /another process is listening/.test(e.message),
  );
  assert.ok(existsSync(live));
  await new Promise((resolve) => other.close(resolve));

  const file = join(dir, "not-a-socket");
  writeFileSync(file, "keep me");
  await assert.rejects(
    mock.listen({ path: file }),
    (e: unknown) => e instanceof MockListenError && /not a socket/.test(e.message),
  );
  assert.equal(readFileSync(file, "utf8"), "keep me");
  await mock.close();
});

test("a TCP port in use is a MockListenError naming the address", async () => {
  const other = createServer();
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  const port = (other.address() as { port: number }).port;
  const mock = createMockQemu();
  await assert.rejects(
    mock.listen({ port }),
    (e: unknown) => e instanceof MockListenError && e.code === "EADDRINUSE" && e.message.includes(`127.0.0.1:${port}`),
  );
  await mock.close();
  await new Promise((resolve) => other.close(resolve));
});
