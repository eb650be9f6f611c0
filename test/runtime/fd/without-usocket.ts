/**
 * Run by fd-passing.qemu.test.ts in a process where usocket cannot be found
 * (`--import hide-usocket.js`): a QMP server that records every line it reads,
 * a client opened with `fds: true` that still connects, and an `add-fd` with a
 * descriptor that must fail with FdPassingError without being sent. Prints
 * one JSON line: the error's name and reason, and the lines the server read.
 */
import { createServer } from "node:net";
import { openSync } from "node:fs";
import { join } from "node:path";
import { connect } from "../../../runtime/index.js";

const path = join(process.argv[2]!, "fake.sock");
const lines: string[] = [];
const server = createServer((socket) => {
  socket.write(
    '{"QMP": {"version": {"qemu": {"major": 7, "minor": 2, "micro": 0}, "package": ""}, "capabilities": []}}\n',
  );
  let text = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    text += chunk;
    let end;
    while ((end = text.indexOf("\n")) >= 0) {
      const line = text.slice(0, end);
      text = text.slice(end + 1);
      lines.push(line);
      const id = (JSON.parse(line) as { id?: unknown }).id;
      socket.write(JSON.stringify({ return: {}, id }) + "\n");
    }
  });
});
await new Promise<void>((resolve) => server.listen(path, resolve));
const client = await connect({ path, fds: true });
const fd = openSync(process.argv[3]!, "r");
const outcome = await client.executeWith("add-fd", { "fdset-id": 1 }, { fds: [fd] }).then(
  () => ({ name: "resolved", reason: undefined }),
  (error: { name: string; reason?: string }) => ({ name: error.name, reason: error.reason }),
);
await client.execute("query-fdsets"); // the session goes on
await client.close();
server.close();
process.stdout.write(JSON.stringify({ ...outcome, lines }) + "\n");
