/**
 * Example: live migration between two QEMU processes over a unix socket.
 * The destination is started with `-incoming defer` and told where to listen
 * (`listenForMigration`); the source migrates there (`migrate`), reporting
 * progress, and the destination is resumed once everything has arrived.
 * Migration targets can be given as channels: for a QEMU whose `migrate`
 * takes only a URI, the version history says so and the URI is sent instead.
 *
 *   node migration.js [/usr/bin/qemu-system-x86_64]
 */
import { join } from "node:path";
import { launchQemu } from "qapi-ts/runtime";
import { listenForMigration, migrate, type MigrationTarget } from "qapi-ts/operations";
import { sdk, type CommandMap, type EventMap } from "qapi-ts/qemu";

const binary = process.argv[2] ?? "qemu-system-x86_64";
const machine = ["-machine", "pc", "-m", "64", "-nodefaults", "-display", "none"];
await using source = await launchQemu<CommandMap, EventMap>({ binary, args: machine, sdk, validate: "strict" });
await using destination = await launchQemu<CommandMap, EventMap>({
  binary,
  args: [...machine, "-incoming", "defer"],
  sdk,
  validate: "strict",
});

// A paused source: its memory does not change while it is copied.
await source.client.execute("stop");
const path = join(destination.dir, "migrate.sock");
const target: MigrationTarget = {
  channels: [{ "channel-type": "main", addr: { transport: "socket", type: "unix", path } }],
};
const incoming = await listenForMigration(destination.client, target, { then: "running" });
let reports = 0;
const outcome = await migrate(source.client, target, { onProgress: () => reports++ });
await incoming.finished;
console.log(`migration ${outcome.status}: ${outcome.transferred} bytes sent, ${reports} progress reports`);
console.log(`source: ${(await source.client.execute("query-status")).status}`);
console.log(`destination: ${(await destination.client.execute("query-status")).status}`);
