/**
 * The arguments of `migrate` and `migrate-incoming` in the connected
 * release's own shape, decided by the shipped version history
 * (generated/history/qemu.json): older releases take only `uri`; newer ones
 * also take `channels` (a list of typed addresses). A target given as
 * channels is turned into the equivalent URI for a release without them, and
 * a URI is sent as a URI everywhere.
 *
 * Data flow: runtime/operations/migration.ts → `migrationArguments` (the
 * server's greeting version → runtime/history.ts) → the command's arguments.
 */
import { HistoryReader, placeServerRelease, shippedHistory } from "../history.js";
import { UsageError } from "../errors.js";
import type { QmpVersion } from "../messages.js";

/** Where a migration goes (source) or comes from (destination). */
export type MigrationTarget = { uri: string } | { channels: readonly MigrationChannel[] };

/** One channel (QAPI `MigrationChannel`), as much of it as the URI form can express. */
export interface MigrationChannel {
  "channel-type": "main" | (string & {});
  addr: MigrationAddress;
}

/** QAPI `MigrationAddress`: a socket, a program, RDMA, or a file. */
export type MigrationAddress =
  | ({ transport: "socket" } & SocketAddress)
  | { transport: "exec"; args: readonly string[] }
  | { transport: "rdma"; host: string; port: string }
  | { transport: "file"; filename: string; offset?: number };

/** QAPI `SocketAddress`. */
export type SocketAddress =
  | { type: "unix"; path: string }
  | { type: "inet"; host: string; port: string }
  | { type: "vsock"; cid: string; port: string }
  | { type: "fd"; str: string };

/** Whether release `version` of QEMU accepts `channels` in `command` (the history's facts). */
export function acceptsChannels(
  command: "migrate" | "migrate-incoming",
  version: QmpVersion["qemu"] | undefined,
): boolean {
  const history = shippedHistory("qemu");
  const placed = version ? placeServerRelease(history, version) : undefined;
  // Newer and development builds are judged as the newest release known, older ones as the oldest.
  const release =
    placed?.release ?? (placed?.relation === "uncovered" ? history.releases[0]! : history.releases.at(-1)!);
  const read = new HistoryReader(history);
  const entry = history.commands[command];
  const args = entry && history.types[read.slot(entry.arg, release)];
  const channels = args?.members?.["channels"];
  // Both the member and the type of its addresses must exist in the release.
  const address = history.types["MigrationAddress"];
  return (
    channels !== undefined &&
    read.has(channels, release, false, args) &&
    address !== undefined &&
    read.has(address, release)
  );
}

/** The URI that means the same as a one-channel list. @throws UsageError when there is none. */
export function channelsToUri(channels: readonly MigrationChannel[]): string {
  const main = channels.filter((c) => c["channel-type"] === "main");
  if (channels.length !== 1 || main.length !== 1)
    throw new UsageError("this QEMU takes a migration URI: give one channel of type main, or a uri");
  const addr = main[0]!.addr;
  switch (addr.transport) {
    case "exec":
      return `exec:${addr.args.join(" ")}`;
    case "rdma":
      return `rdma:${addr.host}:${addr.port}`;
    case "file":
      return `file:${addr.filename}${addr.offset !== undefined ? `,offset=${addr.offset}` : ""}`;
    case "socket":
      switch (addr.type) {
        case "unix":
          return `unix:${addr.path}`;
        case "inet":
          return `tcp:${addr.host}:${addr.port}`;
        case "vsock":
          return `vsock:${addr.cid}:${addr.port}`;
        case "fd":
          return `fd:${addr.str}`;
      }
  }
  throw new UsageError(
    `a migration address of transport ${JSON.stringify((addr as { transport: unknown }).transport)} has no URI form`,
  );
}

/** `migrate` / `migrate-incoming` arguments for the server at `version`. */
export function migrationArguments(
  command: "migrate" | "migrate-incoming",
  target: MigrationTarget,
  version: QmpVersion["qemu"] | undefined,
): { uri: string } | { channels: readonly MigrationChannel[] } {
  if ("uri" in target) return { uri: target.uri };
  if (acceptsChannels(command, version)) return { channels: target.channels };
  return { uri: channelsToUri(target.channels) };
}
