/**
 * What real QEMU cannot be made to do on demand, against the mock: a monitor
 * that never answers (every call still ends, at its kind's documented
 * default; `qapi-ts shell -c` exits non-zero), an event sent before the reply
 * of the command that caused it (executeAndWait still sees it), and
 * `await using` closing a client at the end of its scope, a migration aborted
 * from an event that came before `migrate` returned. Also the kinds of
 * command behind the default time limits.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AbortError,
  commandKind,
  connect,
  defaultCommandTimeouts,
  TimeoutError,
  UsageError,
} from "../../runtime/index.js";
import { createMockQemu } from "../../runtime/mock/index.js";
import { executeAndWait, migrate } from "../../runtime/operations/index.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const dir = mkdtempSync(join(tmpdir(), "qapi-ts-operations-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A monitor that greets and negotiates, then never answers anything. */
async function silentMonitor(name: string) {
  const mock = createMockQemu({ faults: { commands: { "*": { reply: "none" }, qmp_capabilities: {} } } });
  const path = join(dir, name);
  await mock.listen({ path });
  return { mock, path };
}

test("commands fall in the kinds the default time limits are documented for", () => {
  assert.deepEqual(defaultCommandTimeouts, { query: 10_000, command: 60_000, long: 600_000 });
  for (const name of ["query-status", "x-query-ramblock", "qom-get", "guest-get-osinfo", "guest-info", "guest-ping"])
    assert.equal(commandKind(name), "query", name);
  for (const name of ["cont", "device_del", "job-complete", "migrate", "guest-exec", "qmp_capabilities"])
    assert.equal(commandKind(name), "command", name);
  for (const name of ["blockdev-add", "stop", "guest-fsfreeze-freeze", "human-monitor-command", "dump-guest-memory"])
    assert.equal(commandKind(name), "long", name);
});

test("a monitor that never answers: a call without a timeout rejects with TimeoutError at the query default", async () => {
  const { mock, path } = await silentMonitor("silent.sock");
  await using client = await connect({ path });
  await assert.rejects(client.execute("query-status"), (error: unknown) => {
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.timeout, defaultCommandTimeouts.query);
    assert.equal(error.message, "query-status: no reply within 10000 ms");
    return true;
  });
  await mock.close();
});

test("the defaults are overridden per client (by kind, or one for all) and per call; Infinity turns them off", async () => {
  const { mock, path } = await silentMonitor("override.sock");
  const timeoutOf = (call: Promise<unknown>) =>
    call.then(
      () => assert.fail("answered"),
      (error: unknown) => (error instanceof TimeoutError ? error.timeout : assert.fail(String(error))),
    );
  {
    await using client = await connect({ path, commandTimeouts: { query: 30, command: 40 } });
    assert.equal(await timeoutOf(client.execute("query-status")), 30);
    assert.equal(await timeoutOf(client.execute("cont")), 40);
    assert.equal(await timeoutOf(client.executeWith("cont", undefined, { timeout: 20 })), 20);
  }
  {
    await using client = await connect({ path, commandTimeout: 25, commandTimeouts: { query: 1 } });
    assert.equal(await timeoutOf(client.execute("query-status")), 25);
  }
  {
    await using client = await connect({ path, commandTimeouts: { query: Infinity } });
    const pending = client.execute("query-status");
    pending.catch(() => undefined);
    assert.equal(client.pendingCount, 1);
    // Still pending when the scope ends: closing ends it with InterruptedError, not a timeout.
  }
  await assert.rejects(
    connect({ path, commandTimeouts: { long: -1 } }),
    (error: unknown) => error instanceof UsageError && /^commandTimeouts\.long must be/.test(error.message),
  );
  await mock.close();
});

test("qapi-ts shell -c against a monitor that never answers exits non-zero with the timeout", async () => {
  const { mock, path } = await silentMonitor("shell.sock");
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [join(repoRoot, "bin/qapi-ts"), "shell", "--connect", `unix:${path}`, "-c", "query-status"],
      { encoding: "utf8", timeout: 120_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stdout, "");
  assert.equal(run.stderr, "shell: query-qmp-schema: no reply within 10000 ms\n");
  await mock.close();
});

test("executeAndWait sees an event sent before the command's reply, and one sent after it", async () => {
  const mock = createMockQemu({
    handlers: {
      device_del: (args, context) => {
        const { id } = args as { id: string };
        // QEMU may send the event first (the unplug finishes within the command) or later.
        if (id === "early") mock.emit("DEVICE_DELETED", { device: "early", path: "/machine/peripheral/early" });
        else context.emitAfterReply("DEVICE_DELETED", { device: id, path: `/machine/peripheral/${id}` });
      },
    },
  });
  await mock.listen({ path: join(dir, "events.sock") });
  await using client = await connect({ path: join(dir, "events.sock") });
  for (const id of ["early", "late"]) {
    const { reply, event } = await executeAndWait(
      client,
      "device_del",
      { id },
      "DEVICE_DELETED",
      (data) => (data as { device: string }).device === id,
      { timeout: 10_000 },
    );
    assert.deepEqual(reply, {});
    assert.deepEqual(event.data, { device: id, path: `/machine/peripheral/${id}` });
  }
  await mock.close();
});

test("executeAndWait: an event that never comes ends in TimeoutError or, through the signal, AbortError", async () => {
  const mock = createMockQemu({ handlers: { device_del: () => undefined } });
  await mock.listen({ path: join(dir, "no-event.sock") });
  await using client = await connect({ path: join(dir, "no-event.sock") });
  await assert.rejects(
    executeAndWait(client, "device_del", { id: "x" }, "DEVICE_DELETED", undefined, { timeout: 50 }),
    (error: unknown) => error instanceof TimeoutError && error.timeout === 50,
  );
  const abort = new AbortController();
  const waiting = executeAndWait(client, "device_del", { id: "x" }, "DEVICE_DELETED", undefined, {
    signal: abort.signal,
  });
  abort.abort(new Error("no longer needed"));
  await assert.rejects(waiting, (error: unknown) => error instanceof AbortError);
  await assert.rejects(
    executeAndWait(client, "device_del", { id: "x" }, "DEVICE_DELETED", undefined, { signal: abort.signal }),
    (error: unknown) => error instanceof AbortError && /before it was sent/.test(error.message),
  );
  await mock.close();
});

test(
  "a migration aborted from progress reported before `migrate` returned is still cancelled",
  { timeout: 30_000 },
  async () => {
    let status = "none";
    const mock = createMockQemu({
      handlers: {
        "migrate-set-capabilities": () => undefined,
        // Real QEMU's migration thread may announce `active` before the command's reply is written.
        migrate: () => {
          status = "active";
          mock.emit("MIGRATION", { status });
        },
        migrate_cancel: () => {
          status = "cancelled";
          mock.emit("MIGRATION", { status });
        },
        "query-migrate": () => (status === "none" ? {} : { status }),
      },
    });
    await mock.listen({ path: join(dir, "migrate.sock") });
    await using client = await connect({ path: join(dir, "migrate.sock") });
    const abort = new AbortController();
    const seen: string[] = [];
    const migrating = migrate(
      client,
      { uri: "exec:cat >/dev/null" },
      {
        signal: abort.signal,
        pollInterval: 20,
        onProgress: (p) => {
          seen.push(p.status);
          if (p.status === "active") abort.abort(new Error("changed my mind"));
        },
      },
    );
    await assert.rejects(migrating, (error: unknown) => error instanceof AbortError);
    assert.equal(status, "cancelled", `migrate_cancel was sent (progress seen: ${seen.join(", ")})`);
    await mock.close();
  },
);

test("await using closes the client at the end of its scope", async () => {
  const mock = createMockQemu();
  await mock.listen({ path: join(dir, "dispose.sock") });
  let outer;
  {
    await using client = await connect({ path: join(dir, "dispose.sock") });
    outer = client;
    assert.equal(client.state, "running");
  }
  assert.equal(outer.state, "closed");
  assert.equal(await outer.closed, undefined);
  await mock.close();
});
