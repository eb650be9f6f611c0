/**
 * Replaying a conversation recorded from a real QEMU 7.2
 * (test/fixtures/qmp/qemu-7.2-queries.jsonl) through the runtime client, and
 * checking the mock's own recordings with the `validate-log` command: the
 * mock's log format is the one the rest of the toolkit reads.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { sdk, type CommandMap, type EventMap } from "../../generated/qemu/index.js";
import { connectWith } from "../../runtime/index.js";
import {
  classifyMessage,
  createDuplexPair,
  createMockQemu,
  parseLog,
  replayMockQemu,
  type JsonObject,
} from "../../runtime/mock/index.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const realLog = readFileSync(join(repoRoot, "test", "fixtures", "qmp", "qemu-7.2-queries.jsonl"), "utf8");

test("a real QEMU 7.2 conversation replays to the runtime client, reply for reply", async () => {
  const recorded = parseLog(realLog);
  const replay = replayMockQemu(realLog);
  const [clientSide, serverSide] = createDuplexPair();
  replay.attach(serverSide);
  const client = await connectWith(sdk, { stream: clientSide });
  assert.deepEqual(client.greeting?.version, (recorded[0]!["QMP"] as JsonObject)["version"]);
  let calls = 0;
  for (let i = 0; i < recorded.length; i++) {
    const message = recorded[i]!;
    if (classifyMessage(message).kind !== "command" || message["execute"] === "qmp_capabilities") continue;
    const reply = recorded.slice(i + 1).find((m) => "return" in m || "error" in m)!;
    const name = message["execute"] as string;
    const args = message["arguments"] as Record<string, unknown> | undefined;
    if ("return" in reply)
      assert.deepEqual(await client.executeWith(name as never, args as never), reply["return"], name);
    else await assert.rejects(client.executeWith(name as never, args as never), name);
    calls++;
  }
  assert.ok(calls > 10, `replayed ${calls} calls`);
  assert.deepEqual(replay.problems, []);
  assert.deepEqual(replay.unused(), []);
  await client.close();
  await replay.close();
});

test("the mock's recording passes validate-log against the schema it was checked with", async () => {
  const mock = createMockQemu<CommandMap, EventMap>({
    sdk,
    handlers: {
      "query-status": () => ({ running: true, status: "running" }),
      stop: (_a, context) => context.emitAfterReply("STOP"),
    },
  });
  const [clientSide, serverSide] = createDuplexPair();
  mock.attach(serverSide);
  const client = await connectWith<CommandMap, EventMap>(sdk, { stream: clientSide });
  await client.execute("query-status");
  const stopped = client.waitFor("STOP");
  await client.execute("stop");
  await stopped;
  await client.close();
  await mock.close();
  const dir = mkdtempSync(join(tmpdir(), "qapi-ts-mock-log-"));
  try {
    const file = join(dir, "conversation.jsonl");
    writeFileSync(file, mock.recording());
    const schema = join(repoRoot, ".cache", "qemu", "10.2.2", "qapi", "qapi-schema.json");
    const run = spawnSync(
      process.execPath,
      [join(repoRoot, "bin", "qapi-ts"), "validate-log", "--schema", schema, file],
      { encoding: "utf8" },
    );
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout + run.stderr,
      /1 greeting, 3 commands, 3 returns, 0 error replies, 1 events\); 0 violation/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
