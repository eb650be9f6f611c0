/**
 * Migration between two real qemu-system-x86_64 processes (Debian's 7.2) over
 * a unix socket (runtime/operations/migration.ts): the destination started
 * with `-incoming defer` listens, the paused source migrates with progress,
 * and the destination ends paused or running as asked. The target is given
 * as channels, which 7.2 does not take: the version history makes it a URI.
 * Plus the argument shape per release, from the history, without QEMU.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { AbortError, launchQemu, UsageError } from "../../runtime/index.js";
import {
  acceptsChannels,
  listenForMigration,
  migrate,
  migrationArguments,
  type MigrationProgress,
  type MigrationTarget,
} from "../../runtime/operations/index.js";
import { sdk, type CommandMap, type EventMap } from "../../generated/qemu/index.js";
import { cleanupAll, makeTempDir, qemuSystem } from "./qemu-helpers.js";

after(cleanupAll);

const machine = ["-machine", "pc", "-accel", "tcg", "-m", "64", "-nodefaults", "-display", "none"];

function launch(extra: string[] = []) {
  return launchQemu<CommandMap, EventMap>({
    binary: qemuSystem,
    args: [...machine, ...extra],
    sdk,
    validate: "strict",
  });
}

for (const then of ["paused", "running"] as const) {
  test(`a paused VM migrates to another QEMU over a unix socket; the destination ends ${then}`, async () => {
    const path = join(makeTempDir(), "migrate.sock");
    await using source = await launch();
    await using destination = await launch(["-incoming", "defer"]);
    await source.client.execute("stop");
    const target: MigrationTarget = {
      channels: [{ "channel-type": "main", addr: { transport: "socket", type: "unix", path } }],
    };
    const incoming = await listenForMigration(destination.client, target, { then, pollInterval: 50 });
    const reports: MigrationProgress[] = [];
    const outcome = await migrate(source.client, target, { onProgress: (p) => reports.push(p), pollInterval: 50 });
    assert.equal(outcome.status, "completed");
    assert.ok(reports.length >= 2, JSON.stringify(reports));
    assert.ok(
      reports.some((p) => Number(p.transferred ?? 0) > 0),
      `some report counts bytes sent: ${JSON.stringify(reports)}`,
    );
    assert.equal(reports.at(-1)!.status, "completed");
    assert.equal((await incoming.finished).status, "completed");
    assert.equal((await source.client.execute("query-status")).status, "postmigrate");
    const status = await destination.client.execute("query-status");
    assert.equal(status.status, then);
    assert.equal(status.running, then === "running");
  });
}

test("a migration cancelled through its AbortSignal rejects with AbortError; the source can go on", async () => {
  await using source = await launch();
  await source.client.execute("stop");
  // At 4 KiB/s the 64 MiB guest takes far longer than the test: the migration is active until cancelled.
  await source.client.execute("migrate-set-parameters", { "max-bandwidth": 4096 });
  const abort = new AbortController();
  const migrating = migrate(
    source.client,
    { uri: "exec:cat >/dev/null" },
    {
      signal: abort.signal,
      pollInterval: 50,
      onProgress: (p) => {
        if (p.status === "active") abort.abort(new Error("changed my mind"));
      },
    },
  );
  await assert.rejects(migrating, (error: unknown) => {
    assert.ok(error instanceof AbortError, String(error));
    assert.equal((error.cause as Error).message, "changed my mind");
    return true;
  });
  const info = await source.client.execute("query-migrate");
  assert.equal(info.status, "cancelled");
});

test("the argument shape follows the release: channels from the history's first release with them, else a URI", () => {
  const unix: MigrationTarget = {
    channels: [{ "channel-type": "main", addr: { transport: "socket", type: "unix", path: "/run/m.sock" } }],
  };
  const v = (major: number, minor: number, micro = 0) => ({ major, minor, micro });
  assert.equal(acceptsChannels("migrate", v(7, 2)), false);
  assert.equal(acceptsChannels("migrate", v(10, 2, 2)), true);
  assert.equal(acceptsChannels("migrate-incoming", v(9, 0)), true);
  // Older than the history and newer than it: judged as its oldest and newest release.
  assert.equal(acceptsChannels("migrate", v(2, 12)), false);
  assert.equal(acceptsChannels("migrate", v(99, 0)), true);
  assert.deepEqual(migrationArguments("migrate", unix, v(7, 2)), { uri: "unix:/run/m.sock" });
  assert.deepEqual(migrationArguments("migrate", unix, v(10, 2, 2)), unix);
  assert.deepEqual(migrationArguments("migrate", { uri: "tcp:h:1" }, v(10, 2, 2)), { uri: "tcp:h:1" });
  const inet: MigrationTarget = {
    channels: [{ "channel-type": "main", addr: { transport: "socket", type: "inet", host: "::1", port: "4444" } }],
  };
  assert.deepEqual(migrationArguments("migrate-incoming", inet, v(7, 2)), { uri: "tcp:::1:4444" });
  const exec: MigrationTarget = {
    channels: [{ "channel-type": "main", addr: { transport: "exec", args: ["cat", ">", "/tmp/x"] } }],
  };
  assert.deepEqual(migrationArguments("migrate", exec, v(7, 2)), { uri: "exec:cat > /tmp/x" });
  assert.throws(
    () => migrationArguments("migrate", { channels: [] }, v(7, 2)),
    (e: unknown) => e instanceof UsageError && /give one channel of type main/.test(e.message),
  );
});
