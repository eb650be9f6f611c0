/**
 * `qapi-ts mcp` driven by the official MCP SDK's client over stdio, in front
 * of a real QEMU (Debian's 7.2, no machine) and a real qemu-ga on the host:
 * the tools are listed, `query-status` is found by searching "status" and
 * called (its typed reply comes back as structured content), a wrong
 * argument is refused with its JSON path and never reaches the server (the
 * server's `--record` of the conversation shows what was sent), policy
 * refusals (`human-monitor-command` under the default profile, `stop` under
 * `read-only`), and the STOP event a `stop` call causes reaches the client
 * as a log notification and in the recent-events resource. A per-command
 * tool's input schema is the command's arguments; `--schema` adds the doc
 * comments' text. Over streamable HTTP the
 * same server answers a client on loopback; with `--qsd --launch` it starts
 * a storage daemon itself. Through `qapi-ts proxy` it shares one monitor
 * with a program, which sees the events the agent's calls cause.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { qemuSourceDir, repoRoot } from "../../../scripts/lib/qemu-sources.js";
import {
  bareMachineArgs,
  cleanupAll,
  makeTempDir,
  qemuGa,
  qemuStorageDaemon,
  qemuSystem,
  startProcess,
  waitForPath,
} from "../../runtime/qemu-helpers.js";
import { waitUntilListening } from "../../support/monitor-ready.js";
import { connect } from "../../../runtime/index.js";
import { startProxy } from "../../../runtime/proxy.js";

after(cleanupAll);

const cli = join(repoRoot, "build/tools/cli/main.js");

type ToolResult = {
  content: { type: string; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};

async function startQemu(): Promise<string> {
  const dir = makeTempDir();
  const path = join(dir, "qmp.sock");
  const child = startProcess(qemuSystem, [...bareMachineArgs, "-qmp", `unix:${path},server=on,wait=off`]);
  await waitForPath(path, child);
  return path;
}

/** An MCP client on a `qapi-ts mcp` child; the record file holds what the server sent to QEMU. */
async function mcpClient(args: string[]): Promise<{ client: Client; record: string; stderr: () => string }> {
  const record = join(makeTempDir(), "conversation.jsonl");
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, "mcp", "--record", record, ...args],
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: "qapi-ts-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, record, stderr: () => stderr };
}

const call = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as ToolResult;

/** The commands the server sent to QEMU, from its --record file. */
function sentCommands(record: string): string[] {
  return readFileSync(record, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { execute?: string })
    .filter((m) => m.execute !== undefined && m.execute !== "qmp_capabilities")
    .map((m) => m.execute!);
}

test("mcp over stdio in front of QEMU: search, describe, execute, refusals, events", async () => {
  const path = await startQemu();
  const { client, record } = await mcpClient(["--connect", `unix:${path}`, "--tools", "query-status,balloon"]);
  try {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    assert.deepEqual(names.slice(0, 3), ["qmp_search", "qmp_describe", "qmp_execute"]);
    const own = tools.find((t) => t.name === "query-status");
    assert.ok(own, "the chosen command has a tool of its own");
    assert.equal(own.inputSchema.type, "object");
    const balloon = tools.find((t) => t.name === "balloon")!.inputSchema as unknown as {
      properties: { value: { $ref: string } };
      $defs: Record<string, { type?: string; maximum?: number }>;
    };
    const int = balloon.$defs[decodeURIComponent(balloon.properties.value.$ref.slice("#/$defs/".length))];
    assert.deepEqual([int?.type, int?.maximum], ["integer", 2 ** 63], "64-bit bounds, as JSON numbers");
    assert.match(client.getInstructions() ?? "", /QEMU 7\.2\.\d+, described by the server's query-qmp-schema/);

    const search = await call(client, "qmp_search", { query: "status" });
    const results = (search.structuredContent as { results: { name: string }[] }).results.map((r) => r.name);
    assert.ok(results.includes("query-status"), `search finds query-status: ${results.join(", ")}`);
    assert.ok(!results.includes("human-monitor-command"));

    const described = await call(client, "qmp_describe", { name: "query-status" });
    const description = described.structuredContent as {
      allowed: boolean;
      since: string;
      returns: { $ref: string; $defs: Record<string, { required?: string[] }> };
    };
    assert.equal(description.allowed, true);
    assert.equal(description.since, "0.14.0");
    const statusInfo = Object.values(description.returns.$defs).find((d) => d.required?.includes("running"));
    assert.ok(statusInfo, "the return schema has StatusInfo's members");

    const status = await call(client, "qmp_execute", { command: "query-status" });
    assert.equal(status.isError, undefined, status.content[0]!.text);
    const reply = (status.structuredContent as { return: { status: string; running: boolean } }).return;
    assert.equal(typeof reply.running, "boolean");
    assert.equal(typeof reply.status, "string");
    const direct = await call(client, "query-status", {});
    assert.deepEqual(direct.structuredContent, status.structuredContent);

    // Wrong arguments: refused with the JSON path, never sent.
    const wrong = await call(client, "qmp_execute", { command: "qom-list", arguments: { path: 42 } });
    assert.equal(wrong.isError, true);
    assert.match(wrong.content[0]!.text, /\$\.arguments\.path: expected string, got 42/);
    const unknown = await call(client, "qmp_execute", { command: "query-status", arguments: { verbose: true } });
    assert.match(unknown.content[0]!.text, /\$\.arguments\.verbose: unknown member/);

    const hmp = await call(client, "qmp_execute", {
      command: "human-monitor-command",
      arguments: { "command-line": "info status" },
    });
    assert.equal(hmp.isError, true);
    assert.match(hmp.content[0]!.text, /refused: human-monitor-command runs arbitrary monitor text.*default deny-list/);
    const fd = await call(client, "qmp_execute", { command: "getfd", arguments: { fdname: "x" } });
    assert.match(fd.content[0]!.text, /file descriptors/);

    // An event caused by a call reaches the client: as a log notification and in the resource.
    await client.setLoggingLevel("info");
    await client.subscribeResource({ uri: "qapi-ts://events/recent" });
    const stopped = new Promise<unknown>((resolve) =>
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        if ((n.params.data as { event?: string }).event === "STOP") resolve(n.params.data);
      }),
    );
    const updated = new Promise<void>((resolve) =>
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, () => resolve()),
    );
    const stop = await call(client, "qmp_execute", { command: "stop" });
    assert.equal(stop.isError, undefined, stop.content[0]!.text);
    const event = (await stopped) as { event: string; timestamp: { seconds: number } };
    assert.equal(event.event, "STOP");
    await updated;
    const resource = await client.readResource({ uri: "qapi-ts://events/recent" });
    const recent = JSON.parse((resource.contents[0] as { text: string }).text) as { event: string }[];
    assert.ok(recent.some((e) => e.event === "STOP"));

    assert.deepEqual(sentCommands(record), ["query-status", "query-status", "stop"]);
  } finally {
    await client.close();
  }
});

test("mcp: what introspection leaves out comes from the history's 7.2: a uint8's range, device_add's extra members", async () => {
  const path = await startQemu();
  const { client, record } = await mcpClient(["--connect", `unix:${path}`, "--allow", "migrate-set-parameters"]);
  try {
    const wide = await call(client, "qmp_execute", {
      command: "migrate-set-parameters",
      arguments: { "cpu-throttle-initial": 300 },
    });
    assert.equal(wide.isError, true);
    assert.match(
      wide.content[0]!.text,
      /\$\.arguments\["cpu-throttle-initial"\]: expected uint8 \(integer 0\.\.255\), got 300/,
    );
    const fits = await call(client, "qmp_execute", {
      command: "migrate-set-parameters",
      arguments: { "cpu-throttle-initial": 30 },
    });
    assert.equal(fits.isError, undefined, fits.content[0]!.text);
    // 'gen': false: members beyond the declared ones are sent, and QEMU judges them.
    const device = await call(client, "qmp_execute", {
      command: "device_add",
      arguments: { driver: "usb-tablet", id: "tablet0", port: "1" },
    });
    assert.doesNotMatch(device.content[0]!.text, /unknown member/);
    assert.deepEqual(sentCommands(record), ["migrate-set-parameters", "device_add"]);
  } finally {
    await client.close();
  }
});

test("mcp through qapi-ts proxy shares one monitor with a program: the program sees the STOP the agent caused", async () => {
  const path = await startQemu();
  await using proxy = await startProxy({ connect: { path }, listen: { path: join(makeTempDir(), "shared.sock") } });
  await using program = await connect({ path: proxy.path });
  const stopped = program.waitFor("STOP", () => true, { timeout: 30_000 });
  const { client, record } = await mcpClient(["--connect", `unix:${proxy.path}`]);
  try {
    assert.match(client.getInstructions() ?? "", /QEMU 7\.2\.\d+, described by the server's query-qmp-schema/);
    const stop = await call(client, "qmp_execute", { command: "stop" });
    assert.equal(stop.isError, undefined, stop.content[0]!.text);
    assert.equal((await stopped).event, "STOP");
    const status = await program.execute("query-status");
    assert.deepEqual([status.status, status.running], ["paused", false]);
    assert.deepEqual(sentCommands(record), ["stop"]);
    assert.equal(proxy.clientCount, 2);
  } finally {
    await client.close();
  }
});

test("mcp --profile read-only refuses stop; explicit --deny and --allow", async () => {
  const path = await startQemu();
  const { client, record } = await mcpClient([
    "--connect",
    `unix:${path}`,
    "--profile",
    "read-only",
    "--deny",
    "query-k*",
    "--allow",
    "qom-set",
    "--schema",
    join(qemuSourceDir("7.2.0"), "qapi/qapi-schema.json"),
  ]);
  try {
    const stop = await call(client, "qmp_execute", { command: "stop" });
    assert.equal(stop.isError, true);
    assert.match(stop.content[0]!.text, /stop is not in the read-only profile/);
    const kvm = await call(client, "qmp_execute", { command: "query-kvm" });
    assert.match(kvm.content[0]!.text, /denied by --deny/);
    const describe = await call(client, "qmp_describe", { name: "qom-set" });
    const qomSet = describe.structuredContent as { allowed: boolean; description: string; since: string };
    assert.equal(qomSet.allowed, true);
    assert.equal(qomSet.since, "1.2", "--schema: the doc comment's Since:");
    assert.ok(qomSet.description.length > 40, `--schema: the doc comment's text: ${qomSet.description}`);
    const search = await call(client, "qmp_search", { query: "stop cont" });
    const found = (search.structuredContent as { results: { name: string }[] }).results.map((r) => r.name);
    assert.ok(!found.includes("stop") && !found.includes("cont"), `read-only hides stop and cont: ${found.join(", ")}`);
    assert.deepEqual(sentCommands(record), []);
  } finally {
    await client.close();
  }
});

test("mcp over stdio in front of qemu-ga: history view of its release, search, execute, refusals", async () => {
  const dir = makeTempDir();
  const path = join(dir, "qga.sock");
  // The agent runs on the test machine itself: anything that would change the host is blocked.
  const blocked = [
    "guest-shutdown",
    "guest-suspend-disk",
    "guest-suspend-ram",
    "guest-suspend-hybrid",
    "guest-fsfreeze-freeze",
    "guest-fsfreeze-freeze-list",
    "guest-fsfreeze-thaw",
    "guest-fstrim",
    "guest-set-time",
    "guest-exec",
    "guest-file-open",
    "guest-set-user-password",
    "guest-set-vcpus",
    "guest-set-memory-blocks",
    "guest-ssh-add-authorized-keys",
    "guest-ssh-remove-authorized-keys",
    "guest-network-get-route",
  ];
  const child = startProcess(qemuGa, ["-m", "unix-listen", "-p", path, "-t", dir, "-b", blocked.join(",")]);
  await waitForPath(path, child);
  await waitUntilListening(path, () => child.exitCode === null);
  const { client, record } = await mcpClient(["--qga", "--connect", `unix:${path}`]);
  try {
    assert.match(
      client.getInstructions() ?? "",
      /guest agent 7\.2\.\d+, described by the version history's 7\.2\.15, narrowed by guest-info/,
    );
    const search = await call(client, "qmp_search", { query: "time" });
    const found = (search.structuredContent as { results: { name: string }[] }).results.map((r) => r.name);
    assert.ok(found.includes("guest-get-time"), found.join(", "));
    assert.ok(!found.includes("guest-set-time"), "a command the agent blocks is not offered");
    const time = await call(client, "qmp_execute", { command: "guest-get-time" });
    assert.equal(time.isError, undefined, time.content[0]!.text);
    // Nanoseconds since 1970 pass 2^53: the reply is the exact integer, as text only (structured content is plain JSON).
    assert.match(time.content[0]!.text, /^\d{19}$/);
    assert.equal(time.structuredContent, undefined);
    const wrong = await call(client, "qmp_execute", { command: "guest-get-fsinfo", arguments: { all: "yes" } });
    assert.match(wrong.content[0]!.text, /\$\.arguments\.all: unknown member/);
    const exec = await call(client, "qmp_execute", { command: "guest-file-read", arguments: { handle: 1 } });
    assert.match(exec.content[0]!.text, /refused: guest-file-read reads files in the guest/);
    assert.deepEqual(
      sentCommands(record).filter((c) => c !== "guest-info" && !c.startsWith("guest-sync")),
      ["guest-get-time"],
    );
  } finally {
    await client.close();
  }
});

test("mcp --http serves streamable HTTP on loopback", async () => {
  const path = await startQemu();
  const server = startProcess(process.execPath, [cli, "mcp", "--connect", `unix:${path}`, "--http", "0"]);
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    server.stderr!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const m = /serving (http:\S+)/.exec(text);
      if (m) resolve(m[1]!);
    });
    server.once("exit", () => reject(new Error(`qapi-ts mcp exited: ${text}`)));
  });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  // Another Host header (a rebound DNS name) is refused.
  const foreign = await new Promise<number>((resolve, reject) =>
    request(url, { method: "POST", headers: { host: "attacker.test" } }, (r) => resolve(r.statusCode ?? 0))
      .on("error", reject)
      .end("{}"),
  );
  assert.equal(foreign, 403);
  const client = new Client({ name: "qapi-ts-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const status = await call(client, "qmp_execute", { command: "query-status" });
    assert.equal(typeof (status.structuredContent as { return: { running: boolean } }).return.running, "boolean");
  } finally {
    await client.close();
    server.kill("SIGTERM");
  }
});

test("mcp --qsd --launch: a storage daemon started by the server, full profile", async () => {
  const { client } = await mcpClient(["--qsd", "--profile", "full", "--launch", "--", qemuStorageDaemon]);
  try {
    assert.match(
      client.getInstructions() ?? "",
      /storage daemon 7\.2\.\d+, described by the server's query-qmp-schema/,
    );
    const wrong = await call(client, "qmp_execute", {
      command: "blockdev-add",
      arguments: { driver: "null-co", "node-name": "n0", size: "big" },
    });
    assert.match(wrong.content[0]!.text, /\$\.arguments\.size: expected/);
    const added = await call(client, "qmp_execute", {
      command: "blockdev-add",
      arguments: { driver: "null-co", "node-name": "n0", size: 2 ** 40 },
    });
    assert.equal(added.isError, undefined, added.content[0]!.text);
    const nodes = await call(client, "qmp_execute", { command: "query-named-block-nodes" });
    const names = (nodes.structuredContent as { return: { "node-name": string }[] }).return.map((n) => n["node-name"]);
    assert.deepEqual(names, ["n0"]);
  } finally {
    await client.close();
  }
});
