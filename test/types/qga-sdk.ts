/**
 * Type-level tests of the committed guest agent SDK (generated/qga): its own
 * commands are typed, QMP commands of the system emulator are not accepted.
 * Every `@ts-expect-error` line must fail to compile. Compiled, never run.
 */
import type { Int64 } from "../../runtime/index.js";
import { type Client, guestExec, guestPing, sdk } from "../../generated/qga/index.js";

export async function guestAgentUsage(client: Client): Promise<void> {
  await guestPing(client);
  const pid: Int64 = (await guestExec(client, { path: "/bin/true", arg: ["-x"], "capture-output": true })).pid;
  const status = await client.execute("guest-exec-status", { pid });
  const exited: boolean = status.exited;
  const protocol: "qmp" | "qga" | undefined = sdk.protocol;
  (void exited, protocol);

  // A command of the system emulator, not of the guest agent.
  // @ts-expect-error
  await client.execute("query-status");
  // Wrong argument type.
  // @ts-expect-error
  await guestExec(client, { path: "/bin/true", arg: "-x" });
}
