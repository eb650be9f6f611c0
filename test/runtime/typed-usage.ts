/**
 * Type-level tests of the client's public signatures with the generated qemu
 * SDK: compiled by the normal build (`tsc -p .`), where an unused
 * `@ts-expect-error` is itself an error, so misuse that starts to compile fails
 * the build. Nothing here runs.
 */
import type { QmpClient, QmpEventMessage } from "../../runtime/index.js";
import type { BlockIoErrorEvent, CommandMap, EventMap, StatusInfo } from "../../generated/qemu/index.js";

export async function typedUsage(client: QmpClient<CommandMap, EventMap>): Promise<void> {
  const status: StatusInfo = await client.execute("query-status");
  void status;
  await client.execute("blockdev-del", { "node-name": "disk0" });
  await client.execute("query-named-block-nodes"); // all members optional: the argument may be left out
  await client.executeWith("query-status", undefined, { timeout: 1000 });
  await client.executeWith("query-named-block-nodes", undefined, { timeout: 1000 });
  await client.executeWith("query-named-block-nodes", { flat: true }, { timeout: 1000 });
  // @ts-expect-error required arguments cannot be left out with options either
  await client.executeWith("blockdev-del", undefined, {});
  // @ts-expect-error a command without arguments takes none
  await client.executeWith("query-status", {}, {});

  // @ts-expect-error unknown command
  await client.execute("query-statuz");
  // @ts-expect-error a command without arguments takes none
  await client.execute("query-status", {});
  // @ts-expect-error required arguments missing
  await client.execute("blockdev-del");
  // @ts-expect-error wrong member type
  await client.execute("blockdev-del", { "node-name": 42 });

  client.on("BLOCK_IO_ERROR", (data: BlockIoErrorEvent, event) => void [data.operation, event.timestamp.seconds]);
  // @ts-expect-error unknown event
  client.on("BLOCK_IO_EROR", () => undefined);

  const io: QmpEventMessage<"BLOCK_IO_ERROR", BlockIoErrorEvent> = await client.waitFor(
    "BLOCK_IO_ERROR",
    (d) => d.action === "stop",
    { timeout: 1 },
  );
  void io;
  for await (const event of client.events("STOP", "BLOCK_IO_ERROR")) {
    // The union narrows by name.
    if (event.event === "BLOCK_IO_ERROR") void event.data.reason;
    // @ts-expect-error not one of the names asked for
    if (event.event === "RESUME") break;
  }
  for await (const event of client.events()) if (event.event === "BLOCK_IO_ERROR") void event.data["node-name"];
}
