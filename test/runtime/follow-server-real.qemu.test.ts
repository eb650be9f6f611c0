/**
 * Validation that follows the server, against Debian's real QEMU 7.2 programs:
 * the committed 10.2.2 SDKs (`connect` of generated/qemu, qsd and qga) in
 * strict mode. qemu-system-x86_64: every `query-*` command that needs no
 * arguments (as its own `query-qmp-schema` says) is run and its reply must be
 * accepted (error replies, such as KVM-only queries under TCG, are no
 * validation failure); a fault-injecting proxy on a second monitor tampers
 * with replies, which must still be rejected at the right JSON path. The
 * storage daemon and the guest agent: the same for their argument-less
 * queries. The offline counterpart is follow-server.test.ts.
 */
import assert from "node:assert/strict";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { after, test, type TestContext } from "node:test";
import { connect } from "../../generated/qemu/index.js";
import { connect as connectQsd } from "../../generated/qsd/index.js";
import { connect as connectQga } from "../../generated/qga/index.js";
import { ExecuteError, NotInReleaseError, type QmpDiagnostic, ValidationError } from "../../runtime/index.js";
import { JsonTextSplitter } from "../../runtime/json-stream.js";
import { parseJson, stringifyJson } from "../../runtime/json.js";
import { pausedMachineArgs } from "../validators-session.js";
import {
  cleanupAll,
  makeTempDir,
  startGuestAgent,
  qemuStorageDaemon,
  qemuSystem,
  startProcess,
  waitForPath,
} from "./qemu-helpers.js";

after(cleanupAll);

/** The parts of a `query-qmp-schema` entry used here. */
interface Entity {
  name: string;
  "meta-type": string;
  "arg-type"?: string;
  members?: { name: string; default?: null }[];
}

/** Commands `query-*` / `x-query-*` whose arguments are all optional, by the server's own introspection. */
function argumentlessQueries(schema: readonly Entity[]): string[] {
  const byName = new Map(schema.map((e) => [e.name, e]));
  return schema
    .filter((e) => e["meta-type"] === "command" && /^(x-)?query-/.test(e.name))
    .filter((e) => (byName.get(e["arg-type"] ?? "")?.members ?? []).every((m) => "default" in m))
    .map((e) => e.name)
    .sort();
}

interface Run {
  accepted: string[];
  errorReplies: string[];
  rejected: string[];
}

/** Runs each command without arguments; a ValidationError is a rejection, an error reply is not. */
async function runAll(
  client: { executeWith(name: never, args: never): Promise<unknown> },
  names: readonly string[],
): Promise<Run> {
  const run: Run = { accepted: [], errorReplies: [], rejected: [] };
  for (const name of names) {
    try {
      await client.executeWith(name as never, undefined as never);
      run.accepted.push(name);
    } catch (error) {
      if (error instanceof ValidationError) run.rejected.push(`${name}: ${error.message}`);
      else if (error instanceof ExecuteError) run.errorReplies.push(`${name} (${error.errorClass})`);
      else throw error;
    }
  }
  return run;
}

/** Debian's 7.2.22 is a stable release the history does not list: it counts as 7.2.15, and one diagnostic says so. */
function assertCountsAs7215(diagnostics: readonly QmpDiagnostic[], sdk: string): void {
  assert.deepEqual(
    diagnostics.filter((d) => d.kind !== "validation-notice").map((d) => d.message.replace(/7\.2\.\d+ is/, "7.2.x is")),
    [
      `QEMU 7.2.x is not a release the ${sdk} SDK's history lists: checked as 7.2.15, the newest listed release of 7.2 at or below it`,
    ],
  );
}

function report(t: TestContext, what: string, run: Run): void {
  t.diagnostic(`${what}: ${run.accepted.length} accepted: ${run.accepted.join(" ")}`);
  t.diagnostic(`${what}: ${run.errorReplies.length} error replies: ${run.errorReplies.join(" ")}`);
}

/**
 * A proxy in front of a monitor socket that rewrites the server's messages:
 * `tamper` gets each parsed message and may change it in place.
 */
function tamperingProxy(target: string, path: string, tamper: (message: Record<string, any>) => void): Promise<Server> {
  const server = createServer((client: Socket) => {
    const upstream = createConnection(target);
    const splitter = new JsonTextSplitter();
    upstream.setEncoding("utf8");
    upstream.on("data", (chunk: string) => {
      for (const text of splitter.push(chunk)) {
        const message = parseJson(text) as Record<string, any>;
        tamper(message);
        client.write(stringifyJson(message) + "\r\n");
      }
    });
    client.pipe(upstream);
    const end = () => (client.destroy(), upstream.destroy());
    upstream.on("close", end).on("error", end);
    client.on("close", end).on("error", end);
  });
  return new Promise((resolve) => server.listen(path, () => resolve(server)));
}

test("QEMU 7.2 (qemu-system-x86_64), 10.2.2 SDK, strict: every argument-less query's reply accepted; tampered replies rejected at their path", async (t) => {
  const dir = makeTempDir("qapi-ts-follow-");
  const monitor = join(dir, "qmp.sock");
  const second = join(dir, "qmp2.sock");
  const child = startProcess(qemuSystem, [
    ...pausedMachineArgs,
    "-qmp",
    `unix:${monitor},server=on,wait=off`,
    "-qmp",
    `unix:${second},server=on,wait=off`,
  ]);
  await waitForPath(second, child);
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connect({
    path: monitor,
    validate: "strict",
    waitForServer: 20_000,
    onDiagnostic: (d) => diagnostics.push(d),
  });
  const version = client.greeting!.version.qemu;
  assert.deepEqual([version.major, version.minor], [7, 2], "Debian's QEMU is 7.2");
  const schema = (await client.execute("query-qmp-schema")) as unknown as Entity[];
  const queries = argumentlessQueries(schema);
  const run = await runAll(client, queries);
  report(t, "qemu-system-x86_64 7.2", run);
  assert.deepEqual(run.rejected, []);
  assert.ok(run.accepted.length >= 40, `only ${run.accepted.length} accepted`);
  for (const name of [
    "query-status",
    "query-machines",
    "query-cpus-fast",
    "query-block",
    "query-dirty-rate",
    "query-migrate-parameters",
  ]) {
    assert.ok(run.accepted.includes(name), `${name} not among the accepted`);
  }
  assert.deepEqual(
    diagnostics.filter((d) => d.kind !== "validation-notice").map((d) => d.message),
    [
      `QEMU 7.2.${version.micro} is not a release the qemu SDK's history lists: checked as 7.2.15, the newest listed release of 7.2 at or below it`,
    ],
    "Debian's 7.2 is a stable release newer than the history's last 7.2: one connect-time line says which it counts as",
  );
  await client.close();

  // The same conversation validated against the SDK's own schema does reject: the check above could fail.
  const own = await connect({ path: monitor, validate: "strict", validateAgainst: "sdk", waitForServer: 20_000 });
  const ownRun = await runAll(own, ["query-status", "query-machines"]);
  assert.equal(ownRun.rejected.length, 2, ownRun.rejected.join("\n"));
  await own.close();

  // Tampered replies, through a proxy on the second monitor.
  const proxyPath = join(dir, "proxy.sock");
  const proxy = await tamperingProxy(second, proxyPath, (m) => {
    const r = m["return"];
    if (r && typeof r === "object" && !Array.isArray(r) && "singlestep" in r) delete r["singlestep"];
    if (Array.isArray(r) && r[0]?.["cpu-max"] !== undefined) r[0]["acpi"] = true; // query-machines: a member 8.0 added
    if (r && typeof r === "object" && r["qemu"]?.["major"] !== undefined) r["qemu"]["minor"] = "two"; // query-version
  });
  try {
    const tampered = await connect({ path: proxyPath, validate: "strict", waitForServer: 20_000 });
    const rejection = async (name: string) => {
      const error = await tampered.executeWith(name as never, undefined as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof ValidationError, `${name}: ${String(error)}`);
      return error.message;
    };
    assert.equal(
      await rejection("query-status"),
      "reply of query-status: $.return.singlestep: missing required member",
    );
    assert.equal(await rejection("query-machines"), "reply of query-machines: $.return[0].acpi: unknown member");
    assert.equal(
      await rejection("query-version"),
      'reply of query-version: $.return.qemu.minor: expected int (64-bit integer), got "two"',
    );
    // An untouched reply through the same proxy still passes (a VM without -name has none).
    assert.deepEqual(await tampered.execute("query-name"), {});
    await tampered.close();
  } finally {
    await new Promise((resolve) => proxy.close(resolve));
  }
});

test("qemu-storage-daemon 7.2, 10.2.2 qsd SDK, strict: every argument-less query's reply accepted", async (t) => {
  const dir = makeTempDir("qapi-ts-follow-qsd-");
  const monitor = join(dir, "qmp.sock");
  const pidfile = join(dir, "pid");
  const child = startProcess(qemuStorageDaemon, [
    "--blockdev",
    "driver=null-co,node-name=disk0,size=1048576",
    "--chardev",
    `socket,path=${monitor},server=on,wait=off,id=mon0`,
    "--monitor",
    "chardev=mon0",
    "--pidfile",
    pidfile,
  ]);
  // The daemon is ready once it wrote its pidfile (a client connecting earlier was seen to hang).
  await waitForPath(pidfile, child);
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connectQsd({
    path: monitor,
    validate: "strict",
    waitForServer: 20_000,
    onDiagnostic: (d) => diagnostics.push(d),
  });
  const schema = (await client.execute("query-qmp-schema")) as unknown as Entity[];
  const run = await runAll(client, argumentlessQueries(schema));
  report(t, "qemu-storage-daemon 7.2", run);
  assert.deepEqual(run.rejected, []);
  assert.ok(run.accepted.length >= 10, `only ${run.accepted.length} accepted`);
  assert.ok(run.accepted.includes("query-named-block-nodes"));
  assertCountsAs7215(diagnostics, "qsd");
  await client.close();
  const own = await connectQsd({ path: monitor, validate: "strict", validateAgainst: "sdk", waitForServer: 20_000 });
  t.diagnostic(
    `qemu-storage-daemon: against the SDK's own schema instead: ${(await runAll(own, run.accepted)).rejected.join("; ") || "nothing rejected"}`,
  );
  await own.close();
});

/** Read-only guest agent commands without arguments (never guest-shutdown, guest-fsfreeze-freeze or the like). */
const agentQueries = /^guest-(info|ping|get-[a-z-]+|network-get-interfaces|fsfreeze-status)$/;

test("qemu-ga 7.2, 10.2.2 qga SDK, strict: guest-info names the release, every read-only query's reply accepted", async (t) => {
  const { path } = await startGuestAgent(["guest-fsfreeze-freeze", "guest-fsfreeze-freeze-list", "guest-fstrim"]);
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connectQga({ path, validate: "strict", onDiagnostic: (d) => diagnostics.push(d) });
  const info = (await client.execute("guest-info")) as {
    version: string;
    supported_commands: { name: string; enabled: boolean }[];
  };
  assert.match(info.version, /^7\.2\./);
  const names = info.supported_commands
    .filter((c) => c.enabled && agentQueries.test(c.name))
    .map((c) => c.name)
    .sort();
  const run = await runAll(client, names);
  report(t, `qemu-ga ${info.version}`, run);
  await client.close();
  const own = await connectQga({ path, validate: "strict", validateAgainst: "sdk" });
  t.diagnostic(
    `qemu-ga: against the SDK's own schema instead: ${(await runAll(own, names)).rejected.join("; ") || "nothing rejected"}`,
  );
  await own.close();
  assert.deepEqual(run.rejected, []);
  assert.ok(run.accepted.length >= 8, `only ${run.accepted.length} accepted`);
  assertCountsAs7215(diagnostics, "qga");
});

test("QEMU 7.2 (qemu-system-x86_64), strict: a command 7.2 lacks is refused locally, naming the release; lenient sends it", async () => {
  const dir = makeTempDir("qapi-ts-follow-refuse-");
  const monitor = join(dir, "qmp.sock");
  const child = startProcess(qemuSystem, [
    "-machine",
    "none",
    "-nodefaults",
    "-no-user-config",
    "-display",
    "none",
    "-qmp",
    `unix:${monitor},server=on,wait=off`,
  ]);
  await waitForPath(monitor, child);
  const strict = await connect({ path: monitor, validate: "strict", waitForServer: 20_000 });
  const refused = await strict.execute("query-accelerators").then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(refused instanceof NotInReleaseError, String(refused));
  assert.equal(refused.release, "7.2.15", "Debian's 7.2.22 counts as 7.2.15");
  assert.match(refused.message, /no command 'query-accelerators' in QEMU 7\.2\.15/);
  await strict.close();
  // Lenient sends it: QEMU itself answers CommandNotFound, and the notice named the release first.
  const diagnostics: QmpDiagnostic[] = [];
  const lenient = await connect({
    path: monitor,
    validate: "lenient",
    waitForServer: 20_000,
    onDiagnostic: (d) => diagnostics.push(d),
  });
  const answered = await lenient.execute("query-accelerators").then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(answered instanceof ExecuteError && answered.errorClass === "CommandNotFound", String(answered));
  assert.ok(
    diagnostics.some((d) => d.kind === "validation-notice" && d.issues?.some((i) => i.release === "7.2.15")),
    JSON.stringify(diagnostics),
  );
  await lenient.close();
});
