/**
 * The one body every generated per-command helper shares
 * (`queryBlock(client) → runCommand(client, "query-block", args)`).
 *
 * The helpers' signatures carry the typing (generic in the client's command
 * map, see sdk.ts `HelperArgs`); this call only forwards to `execute`, so a
 * helper is a single line and its types never have to be restated in a cast.
 */
import type { QmpClient } from "./client.js";

/** Runs `name` on `client` with the helper's rest arguments (none or one argument object). */
export function runCommand(client: QmpClient<any, any>, name: string, args: readonly unknown[]): Promise<any> {
  return (client as { execute(name: string, ...rest: unknown[]): Promise<unknown> }).execute(name, ...args);
}
