/**
 * The MCP server's tools (tools/mcp/tools.ts) without a server: over
 * QEMU 7.2 as the version history has it, with no QMP client at all (every
 * call here must be answered before anything would be sent). Checks the
 * search ranking, describe for commands and events, refusals by policy and
 * by the engine with their JSON paths, and the sizes the README gives for
 * the tool surface (three tools against one tool per command).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadDescribedSchema } from "../../../tools/jsonschema/load.js";
import { Policy, type Profile } from "../../../tools/mcp/policy.js";
import { QmpTools } from "../../../tools/mcp/tools.js";
import type { QmpClient } from "../../../runtime/client.js";

const { wire, facts } = loadDescribedSchema({ release: "7.2.0", sdk: "qemu" }, "mcp");
const schema = { wire, facts, origin: "the version history's 7.2.0", version: "7.2.0" };
// No client: a call that got past the checks would fail on it.
const noClient = null as unknown as QmpClient;

function tools(profile: Profile, perCommand: (name: string) => boolean = () => false): QmpTools {
  const policy = new Policy({ profile, allow: [], deny: [], deprecated: false, unstable: false }, wire);
  return new QmpTools(noClient, schema, policy, perCommand);
}

const results = (r: { structuredContent?: { [key: string]: unknown } }) =>
  (r.structuredContent as { results: { name: string }[] }).results.map((x) => x.name);

test("search ranks the closest names first and lists only allowed commands", async () => {
  const t = tools("read-only");
  assert.equal(results(await t.call("qmp_search", { query: "status" }))[0], "query-status");
  assert.equal(results(await t.call("qmp_search", { query: "block jobs" }))[0], "query-block-jobs");
  const found = results(await t.call("qmp_search", { query: "stop", limit: 200 }));
  assert.ok(found.includes("STOP"), "events are found");
  assert.ok(!found.includes("stop"), "a command the profile denies is not offered");
});

test("describe: a command's schemas and verdict, an event's data", async () => {
  const t = tools("vm-control");
  const hmp = (await t.call("qmp_describe", { name: "human-monitor-command" })).structuredContent as {
    allowed: boolean;
    policy: string;
    arguments: { type: string; required: string[] };
  };
  assert.equal(hmp.allowed, false);
  assert.match(hmp.policy, /arbitrary monitor text/);
  assert.deepEqual([hmp.arguments.type, hmp.arguments.required], ["object", ["command-line"]]);
  const event = (await t.call("qmp_describe", { name: "BLOCK_JOB_COMPLETED" })).structuredContent as {
    kind: string;
    since: string;
    data: { required: string[] };
  };
  assert.equal(event.kind, "event");
  assert.equal(event.since, "1.1.0");
  assert.ok(event.data.required.includes("device"));
  const none = await t.call("qmp_describe", { name: "no-such" });
  assert.equal(none.isError, true);
});

test("execute: refused by the policy, then by the engine with JSON paths, before any client is touched", async () => {
  const t = tools("vm-control");
  const denied = await t.call("qmp_execute", { command: "blockdev-add", arguments: { driver: "null-co" } });
  assert.match(denied.content[0]!.text, /^refused: blockdev-add is not in the vm-control profile/);
  const wrong = await t.call("qmp_execute", { command: "balloon", arguments: { value: 2 ** 64, extra: 1 } });
  assert.deepEqual(wrong.content[0]!.text.split("\n").slice(1), [
    "$.arguments.value: expected int (64-bit integer), got 18446744073709552000",
    "$.arguments.extra: unknown member",
  ]);
  const missing = await t.call("send-key", {});
  assert.match(missing.content[0]!.text, /no tool 'send-key'/, "a command without its own tool");
  const own = tools("vm-control", (name) => name === "send-key");
  const keys = await own.call("send-key", { keys: [{ type: "qcode", data: "no-such-key" }] });
  assert.match(keys.content[0]!.text, /\$\.arguments\.keys\[0\]\.data: unknown value "no-such-key" of enum QKeyCode/);
});

test("the tool surface's size: three tools against one per command (README figures)", () => {
  const size = (t: QmpTools) => JSON.stringify(t.tools()).length;
  const three = size(tools("full"));
  const perCommand = tools("full", () => true).tools();
  const all = JSON.stringify(perCommand).length;
  const blockdevAdd = JSON.stringify(perCommand.find((x) => x.name === "blockdev-add")).length;
  console.log(
    `# three tools ${three} bytes; one per command (${perCommand.length - 3}) ${all} bytes; blockdev-add ${blockdevAdd}`,
  );
  assert.ok(three < 2000, `three tools: ${three} bytes`);
  assert.ok(all > 100 * three, `one tool per command: ${all} bytes`);
  assert.ok(blockdevAdd > 50_000, `blockdev-add alone: ${blockdevAdd} bytes`);
});
