/**
 * Type-level narrowing of the generated 10.2.2 SDK to a QEMU version. The
 * `@ts-expect-error` lines are the assertions the compiler makes (the build
 * fails if a call the version lacks compiles); the run-time test checks that
 * the same facts hold in the index the types come from.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { CommandMap, EventMap } from "../../../generated/qemu/index.js";
import { narrow, qemuVersionIndex, type CommandsSince, type EventsSince } from "../../../generated/qemu/versions.js";
import {
  blockdevAdd,
  driveBackup,
  queryAccelerators,
  queryBlock,
  queryStatus,
  type Client,
} from "../../../generated/qemu/commands.js";
import type { QmpClient } from "../../../runtime/index.js";
import type { CommandMap as QgaCommandMap, EventMap as QgaEventMap } from "../../../generated/qga/index.js";
import {
  qgaVersionIndex,
  type CommandsSince as QgaCommandsSince,
  type EventsSince as QgaEventsSince,
} from "../../../generated/qga/versions.js";

type Qemu72Client = QmpClient<CommandsSince<CommandMap, "7.2.0">, EventsSince<EventMap, "7.2.0">>;
type Qemu102Client = QmpClient<CommandsSince<CommandMap, "10.2.2">, EventsSince<EventMap, "10.2.2">>;

/** Never called: only type-checked. */
export async function typeLevelChecks(c72: Qemu72Client, c102: Qemu102Client): Promise<void> {
  await c72.execute("query-status");
  // @ts-expect-error query-accelerators was added after 7.2
  await c72.execute("query-accelerators");
  await c102.execute("query-accelerators");

  // The per-command functions follow the client's map: a narrowed client cannot call a function of a later command.
  await queryStatus(c72);
  // @ts-expect-error query-accelerators was added after 7.2, so its function does not take a 7.2 client
  await queryAccelerators(c72);
  await queryAccelerators(c102);
  await driveBackup(c72, { device: "d0", target: "t.qcow2", sync: "full" });

  await c72.execute("drive-backup", { device: "d0", target: "t.qcow2", sync: "full" });
  // @ts-expect-error drive-backup's discard-source argument was added after 7.2
  await c72.execute("drive-backup", { device: "d0", target: "t.qcow2", sync: "full", "discard-source": true });
  await c102.execute("drive-backup", { device: "d0", target: "t.qcow2", sync: "full", "discard-source": true });

  // Enum values of arguments: 10.2.2 net.json adds NetClientDriver 'passt' (with its union branch).
  await c72.execute("netdev_add", { id: "n0", type: "user" });
  // @ts-expect-error the 'passt' netdev type (and its branch) came after 7.2
  await c72.execute("netdev_add", { id: "n0", type: "passt" });
  await c102.execute("netdev_add", { id: "n0", type: "passt" });
  // @ts-expect-error dump-guest-memory's format 'kdump-raw-zlib' came after 7.2
  await c72.execute("dump-guest-memory", { paging: false, protocol: "file:/tmp/d", format: "kdump-raw-zlib" });
  await c72.execute("dump-guest-memory", { paging: false, protocol: "file:/tmp/d", format: "kdump-zlib" });

  c72.on("STOP", () => undefined);
  // @ts-expect-error VFIO_MIGRATION was added after 7.2
  c72.on("VFIO_MIGRATION", () => undefined);
  c102.on("VFIO_MIGRATION", () => undefined);
}

/** Never called: the guest agent's SDK narrowed the same way. */
export async function guestAgentTypeLevelChecks(
  g72: QmpClient<QgaCommandsSince<QgaCommandMap, "7.2.0">, QgaEventsSince<QgaEventMap, "7.2.0">>,
  g102: QmpClient<QgaCommandsSince<QgaCommandMap, "10.2.2">, QgaEventsSince<QgaEventMap, "10.2.2">>,
): Promise<void> {
  await g72.execute("guest-ping");
  // @ts-expect-error guest-get-load was added after 7.2
  await g72.execute("guest-get-load");
  await g102.execute("guest-get-load");
}

/** Never called: narrowing to releases the history has only from recordings and `Since:` facts, at depth. */
export async function olderReleaseChecks(client: Client): Promise<void> {
  const c62 = narrow(client, "6.2.0");
  const c50 = narrow(client, "5.0.0");
  const c42 = narrow(client, "4.2.0");
  // aio-max-batch of the file driver (a member of a union branch of blockdev-add's argument): 6.2.
  await c62.execute("blockdev-add", { driver: "file", "node-name": "n", filename: "/tmp/x", "aio-max-batch": 4 });
  // @ts-expect-error aio-max-batch came in 6.2
  await c50.execute("blockdev-add", { driver: "file", "node-name": "n", filename: "/tmp/x", "aio-max-batch": 4 });
  await c50.execute("blockdev-add", { driver: "file", "node-name": "n", filename: "/tmp/x" });
  // The 'compress' block driver (an enum value of the tag, with its branch): 5.0.
  await c50.execute("blockdev-add", { driver: "compress", "node-name": "c", file: "n" });
  // @ts-expect-error the compress driver came in 5.0
  await c42.execute("blockdev-add", { driver: "compress", "node-name": "c", file: "n" });
  await c42.execute("query-status");

  // The per-command helpers follow the narrowing: commands and arguments the release lacks do not compile.
  await queryStatus(c42);
  await queryAccelerators(client);
  // @ts-expect-error query-accelerators came in 10.2
  await queryAccelerators(c62);
  await blockdevAdd(c62, { driver: "file", "node-name": "n", filename: "/tmp/x", "aio-max-batch": 4 });
  // @ts-expect-error aio-max-batch came in 6.2
  await blockdevAdd(c50, { driver: "file", "node-name": "n", filename: "/tmp/x", "aio-max-batch": 4 });
}

/** Replies, event data and optionality follow the release too (never called: only type-checked). */
export async function replyAndOptionalityChecks(client: Client): Promise<void> {
  const c72 = narrow(client, "7.2.0");
  const c80 = narrow(client, "8.0.0");
  const c821 = narrow(client, "8.2.1");
  const c822 = narrow(client, "8.2.2");
  const c102 = narrow(client, "10.2.2");

  // BlockDeviceInfo.active came with 10.0: a 7.2 client reads query-block's reply without it.
  const blocks72 = await c72.execute("query-block");
  // @ts-expect-error 7.2 never sends `active`
  void blocks72[0]?.inserted?.active;
  // The per-command functions resolve to the narrowed reply too.
  const viaHelper72 = await queryBlock(c72);
  // @ts-expect-error 7.2 never sends `active`
  void viaHelper72[0]?.inserted?.active;
  void (await queryBlock(c102))[0]?.inserted?.active;
  const blocks102 = await c102.execute("query-block");
  const active: boolean | undefined = blocks102[0]?.inserted?.active;
  void active;

  // Event data: BLOCK_IO_ERROR's qom-path came with 9.2.
  c72.on("BLOCK_IO_ERROR", (data) => {
    // @ts-expect-error 7.2 never sends qom-path
    void data["qom-path"];
    void data.device;
  });
  c102.on("BLOCK_IO_ERROR", (data) => void data["qom-path"]);

  // migrate: channels came with 8.2.0; uri became optional in 8.2.2 (required up to 8.2.1).
  const channels = [
    { "channel-type": "main" as const, addr: { transport: "socket" as const, type: "unix" as const, path: "/m" } },
  ];
  await c80.execute("migrate", { uri: "unix:/m" });
  // @ts-expect-error an 8.0 client cannot name channels
  await c80.execute("migrate", { uri: "unix:/m", channels });
  await c822.execute("migrate", { channels });
  // @ts-expect-error 8.2.1 requires uri
  await c821.execute("migrate", { channels });
  await c821.execute("migrate", { uri: "unix:/m", channels });
}

test("the narrowing's facts are in the index it is generated from", () => {
  assert.equal(typeof typeLevelChecks, "function");
  assert.equal(typeof olderReleaseChecks, "function");
  assert.equal(typeof replyAndOptionalityChecks, "function");
  assert.equal(qemuVersionIndex.commands["query-accelerators"], "10.2.0-10.2.2");
  assert.match(qemuVersionIndex.events["VFIO_MIGRATION"], /^9\.1\.0-/);
  assert.equal(qemuVersionIndex.releases[0], "4.2.0");
  assert.equal(qemuVersionIndex.releases.at(-1), "10.2.2");
  assert.equal(qgaVersionIndex.commands["guest-get-load"], "10.0.0-10.2.2");
  assert.equal(typeof guestAgentTypeLevelChecks, "function");
});
