/**
 * The time limit a call gets when its caller gave none: every call has a
 * deadline, so a monitor that stops answering fails the call instead of
 * hanging it forever. The limit depends on what the command does:
 *
 * - `query`: reads state (core/reads.ts: `query-*`, `qom-get`, `guest-get-*`, …);
 *   answered at once by a healthy server — 10 s.
 * - `long`: waits on storage or on the guest (`blockdev-add` of a network
 *   disk, `stop` draining I/O, `guest-fsfreeze-freeze`, `dump-guest-memory`,
 *   `human-monitor-command`, …) — 10 min.
 * - `command`: everything else — 60 s.
 *
 * A client overrides them with `commandTimeout` (one limit for all) or
 * `commandTimeouts` (per kind); a call with its own `timeout`. `Infinity`
 * means no limit. Jobs and migrations (runtime/operations/) run for as long
 * as they run: only their individual calls have these limits.
 *
 * Data flow: runtime/session.ts `call` asks `defaultTimeoutOf` for each call
 * without `timeout`; README "Timeouts" documents the table.
 */
import { onlyReads } from "../core/reads.js";

/** The kinds of command, by how long a healthy server may take to answer. */
export type CommandKind = "query" | "command" | "long";

/** The defaults, in milliseconds. */
export const defaultCommandTimeouts: Readonly<Record<CommandKind, number>> = Object.freeze({
  query: 10_000,
  command: 60_000,
  long: 600_000,
});

/** Commands that wait on storage (open, flush, drain, write a file) or on the guest. */
const long = new Set([
  // storage: opening network disks, flushing, draining
  "blockdev-add",
  "blockdev-del",
  "blockdev-reopen",
  "x-blockdev-reopen",
  "blockdev-snapshot",
  "blockdev-snapshot-sync",
  "blockdev-snapshot-internal-sync",
  "blockdev-snapshot-delete-internal-sync",
  "block_resize",
  "block-export-add",
  "block-export-del",
  "nbd-server-add",
  "nbd-server-remove",
  "transaction",
  "stop",
  "quit",
  "system_reset",
  "device_add",
  "object-add",
  "memsave",
  "pmemsave",
  "screendump",
  "dump-guest-memory",
  "human-monitor-command",
  "migrate-incoming",
  // the guest agent doing real work in the guest
  "guest-fsfreeze-freeze",
  "guest-fsfreeze-freeze-list",
  "guest-fsfreeze-thaw",
  "guest-fstrim",
  "guest-file-open",
  "guest-file-close",
  "guest-file-read",
  "guest-file-write",
  "guest-file-flush",
  "guest-file-seek",
  "guest-set-user-password",
  "guest-set-vcpus",
  "guest-set-memory-blocks",
  "guest-ssh-add-authorized-keys",
  "guest-ssh-remove-authorized-keys",
]);

/** What kind of command `name` is. */
export function commandKind(name: string): CommandKind {
  if (long.has(name)) return "long";
  if (onlyReads(name)) return "query";
  return "command";
}
