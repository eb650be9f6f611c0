/**
 * Which commands only read the state of QEMU or the guest: by name
 * (`query-*`, `x-query-*`, `guest-get-*`) or from a short table of reads
 * whose names do not say so. The schema itself has no such flag.
 *
 * Data flow: the client's default time limits (runtime/default-timeouts.ts)
 * give these the short limit of a query, and the MCP server's `read-only`
 * profile (tools/mcp/policy.ts) lets an agent run only these.
 */

/** Reads whose names do not say so. */
const readsNotNamedSo: ReadonlySet<string> = new Set([
  "qom-get",
  "qom-list",
  "qom-list-types",
  "qom-list-properties",
  "device-list-properties",
  "guest-info",
  "guest-ping",
  "guest-exec-status",
  "guest-network-get-interfaces",
  "guest-fsfreeze-status",
  "guest-ssh-get-authorized-keys",
]);

/** Whether command `name` only reads state. */
export function onlyReads(name: string): boolean {
  return readsNotNamedSo.has(name) || /^(x-)?query-|^guest-get-/.test(name);
}
