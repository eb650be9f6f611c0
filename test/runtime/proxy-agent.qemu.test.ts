/**
 * `qapi-ts proxy --qga`: one real qemu-ga (Debian's 7.2, on the host, its
 * shutdown and suspend commands disabled) shared by a program with the typed
 * guest-agent SDK, `qapi-ts shell --qga` and a raw client. Each resynchronises
 * with the proxy (`guest-sync-delimited`: the 0xFF byte, then its token),
 * gets its own replies under its own ids (or none) and in the order of its
 * inputs, and a command the agent does not answer comes back only as the
 * agent's refusal. Garbage gets an error and the client goes on.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { connect as netConnect } from "node:net";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { connect } from "../../generated/qga/index.js";
import { startProxy } from "../../runtime/proxy.js";
import { parseJson } from "../../runtime/json.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";
import { cleanupAll, makeTempDir, startGuestAgent } from "./qemu-helpers.js";

after(cleanupAll);

/** A raw client: bytes out, and what came back, split at 0xFF bytes and line ends. */
function rawClient(path: string) {
  const socket = netConnect(path);
  let received = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  socket.on("data", (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    for (const wake of waiters.splice(0)) wake();
  });
  /** The messages received so far; `0xff` stands for each sync byte. */
  const messages = (): unknown[] =>
    received
      .toString("latin1")
      .split(/(\xff)|\r?\n/)
      .filter((part) => part !== undefined && part.trim() !== "")
      .map((part) => (part === "\xff" ? 0xff : parseJson(Buffer.from(part, "latin1").toString("utf8"))));
  const until = async (count: number): Promise<unknown[]> => {
    while (messages().length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return messages();
  };
  return { socket, until, write: (text: string | Buffer) => socket.write(text) };
}

test("qapi-ts proxy --qga: a program, the shell and a raw client share one guest agent", async () => {
  const dir = makeTempDir();
  const shared = join(dir, "shared.sock");
  const { path: agentPath } = await startGuestAgent();
  await using proxy = await startProxy({ connect: { path: agentPath, protocol: "qga" }, listen: { path: shared } });

  // 1. The typed SDK through the proxy: its sync is answered there, its calls reach the agent.
  await using program = await connect({ path: shared, validate: "strict" });
  const info = await program.execute("guest-info");
  assert.match(info.version, /^7\.2\./);
  assert.deepEqual(await program.execute("guest-ping"), {});

  // 2. A raw client, while the program is connected: sync, ids of its own (and none), garbage.
  const raw = rawClient(shared);
  raw.write(Buffer.from([0xff]));
  raw.write('{"execute": "guest-sync-delimited", "arguments": {"id": 4242}}\n');
  assert.deepEqual(await raw.until(2), [0xff, { return: 4242 }]);
  raw.write('{"execute": "guest-ping", "id": "p1"}\n{"execute": "guest-ping"}\n');
  raw.write("this is not json\n");
  raw.write('{"execute": "guest-shutdown", "id": ["off"]}\n');
  raw.write('{"execute": "guest-sync", "arguments": {"id": 7}, "id": 8}\n');
  // Answers come in the order of the inputs, whether the proxy or the agent gave them (id-less
  // clients match by order); the disabled guest-shutdown, which gets no reply when it runs, is
  // refused by the agent, and the refusal reaches its sender.
  const [, , p1, anonymous, garbage, refused, synced] = await raw.until(7);
  assert.deepEqual(p1, { return: {}, id: "p1" });
  assert.deepEqual(anonymous, { return: {} });
  assert.match((garbage as { error: { desc: string } }).error.desc, /^JSON parse error, /);
  assert.deepEqual((refused as { id: unknown }).id, ["off"]);
  assert.match((refused as { error: { desc: string } }).error.desc, /disabled/);
  assert.deepEqual(synced, { return: 7, id: 8 });

  // 3. The shell through the same proxy.
  const shell = await promisify(execFile)(process.execPath, [
    join(repoRoot, "bin/qapi-ts"),
    "shell",
    "--qga",
    "--connect",
    `unix:${shared}`,
    "-c",
    "guest-ping",
    "-c",
    "guest-get-host-name",
  ]);
  assert.match(shell.stdout, /^\{\}\n\{\n {2}"host-name": "[^"]+"\n\}\n$/);

  // The program still works after the others came and went.
  assert.deepEqual(await program.execute("guest-ping"), {});
  raw.socket.destroy();
  assert.equal(proxy.upstream.protocol, "qga");
});
