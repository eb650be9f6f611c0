/**
 * Run-time capability probes with the generated QEMU 10.2.2 SDK, against the
 * mock serving the schema recorded from QEMU 7.2, and against the real QEMU
 * 7.2 binary. Facts: query-accelerators, drive-backup's discard-source and
 * QCryptoCipherAlgo's sm4 came after 7.2 (see test/sync/diff.test.ts); the
 * Debian 7.2 build has no blkio, so blockdev-add lacks the io_uring branch.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { sdk, type CommandMap, type EventMap } from "../../generated/qemu/index.js";
import {
  sdk as qgaSdk,
  type CommandMap as QgaCommandMap,
  type EventMap as QgaEventMap,
} from "../../generated/qga/index.js";
import { loadSchema } from "../../generator/load-schema.js";
import { readIntrospectionFile } from "../../tools/introspection/read-file.js";
import { referenceFromModel } from "../../tools/introspection/reference.js";
import {
  ProbeError,
  UnsupportedCommandError,
  connectWithCapabilities,
  formatDriftReport,
  guardClient,
  probeCapabilities,
  type ServerCapabilities,
} from "../../runtime/capabilities.js";
import { launchQemu } from "../../runtime/index.js";
import { createDuplexPair, createMockQemu } from "../../runtime/mock/index.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const recorded = readIntrospectionFile(
  join(repoRoot, "test", "fixtures", "introspection", "qemu-system-x86_64-7.2.json"),
);
const reference = referenceFromModel(
  loadSchema(join(repoRoot, ".cache", "qemu", "10.2.2", "qapi", "qapi-schema.json")),
  "10.2.2",
);

/** The probes every 7.2 server must answer this way. */
function assert72(capabilities: ServerCapabilities<CommandMap, EventMap>): void {
  const s = capabilities.supports;
  assert.equal(s.command("query-status"), true);
  assert.equal(s.command("query-accelerators"), false);
  assert.equal(s.event("STOP"), true);
  assert.equal(s.event("VFIO_MIGRATION"), false);
  assert.equal(s.member("drive-backup", "sync"), true);
  assert.equal(s.member("drive-backup", "discard-source"), false);
  assert.equal(s.member("query-status", "singlestep", "return"), true, "7.2 still reports singlestep");
  assert.equal(s.member("blockdev-add", "filename"), true, "a member of the 'file' branch");
  assert.equal(s.member("query-block", "inserted.node-name", "return"), true, "through the array and a nested object");
  assert.equal(s.member("SHUTDOWN", "reason"), true, "event data");
  assert.equal(s.branch("blockdev-add", "qcow2"), true);
  assert.equal(s.branch("blockdev-add", "io_uring"), false);
  assert.equal(s.enumValue("BlockdevDriver", "qcow2"), true);
  assert.equal(s.enumValue("QCryptoCipherAlgo", "sm4"), false, "renamed type, found structurally");
  assert.equal(s.enumValue("QCryptoCipherAlgo", "aes-256"), true);
  // By place of use, no reference needed: blockdev-add's 'driver' is the BlockdevDriver enum.
  assert.equal(s.enumValue({ command: "blockdev-add", path: "driver" }, "qcow2"), true);
  assert.equal(s.enumValue({ command: "blockdev-add", path: "driver" }, "io_uring"), false);
  assert.equal(s.enumValue({ command: "query-status", path: "status", root: "return" }, "running"), true);
  assert.equal(s.feature("block-job-pause", "deprecated"), false, "deprecated only later");
  // 7.2 block-core.json: drive-backup 'features': ['deprecated']; block-commit's '*base' is deprecated, '*base-node' is not.
  assert.equal(s.feature("drive-backup", "deprecated"), true);
  assert.equal(s.feature("block-commit", "deprecated", "base"), true);
  assert.equal(s.feature("block-commit", "deprecated", "base-node"), false);
  assert.throws(() => s.enumValue("NoSuchType", "x"), ProbeError);
  const drift = capabilities.drift();
  assert.ok(drift.missingCommands.includes("query-accelerators"));
  assert.ok(drift.extraCommands.includes("x-query-profile"));
  assert.ok(
    drift.changes?.some(
      (c) => c.kind === "command-removed" && c.name === "query-accelerators" && c.forward === "breaking",
    ),
  );
  const text = formatDriftReport(drift);
  assert.match(text, /^server QEMU 7\.2\.22: \d+ SDK commands missing/);
  assert.match(text, /^breaking: command 'query-accelerators': removed$/m);
}

test("probes against the mock serving 7.2's schema; unsupported calls are never sent", async () => {
  const mock = createMockQemu<CommandMap, EventMap>({
    greeting: { version: recorded.version as never },
    schema: recorded.schema as never,
    handlers: { "query-status": () => ({ running: false, status: "prelaunch" }) },
  });
  const [clientSide, serverSide] = createDuplexPair();
  mock.attach(serverSide);
  const { client, capabilities } = await connectWithCapabilities<CommandMap, EventMap>(
    sdk,
    { stream: clientSide },
    { reference },
  );
  assert.equal(capabilities.serverVersion, "7.2.22");
  assert72(capabilities);
  await assert.rejects(client.execute("query-accelerators"), (error: unknown) => {
    assert.ok(error instanceof UnsupportedCommandError);
    assert.equal(error.command, "query-accelerators");
    return true;
  });
  assert.ok(!mock.log.some((m) => m["execute"] === "query-accelerators"), "nothing was sent");
  assert.deepEqual(await client.execute("query-status"), { running: false, status: "prelaunch" });
  await client.close();
  await mock.close();
});

test("without a reference file the SDK's own wire schema names the types; the server's schema validates", async () => {
  const mock = createMockQemu<CommandMap, EventMap>({
    greeting: { version: recorded.version as never },
    schema: recorded.schema as never,
  });
  const [clientSide, serverSide] = createDuplexPair();
  mock.attach(serverSide);
  const { client, capabilities } = await connectWithCapabilities<CommandMap, EventMap>(sdk, { stream: clientSide });
  try {
    assert72(capabilities);
    // 7.2's StatusInfo still has 'singlestep' (required there), 10.2.2's has not.
    const reply = { running: false, status: "prelaunch", singlestep: false };
    assert.deepEqual(capabilities.validators.commandReturn("query-status", reply, "strict")?.errors, []);
    assert.deepEqual(
      sdk.validators.commandReturn("query-status", reply, "strict")?.errors.map((e) => `${e.path}: ${e.message}`),
      ["$.return.singlestep: unknown member"],
    );
    assert.deepEqual(
      capabilities.validators
        .commandReturn("query-status", { running: false, status: "prelaunch" }, "strict")
        ?.errors.map((e) => `${e.path}: ${e.message}`),
      ["$.return.singlestep: missing required member"],
    );
    assert.equal(
      capabilities.validators.commandArgs("query-accelerators", {}, "strict"),
      undefined,
      "not a command of the server",
    );
  } finally {
    await client.close();
    await mock.close();
  }
});

test(
  "probes against the real QEMU 7.2 with the 10.2.2 SDK",
  { skip: existsSync("/usr/bin/qemu-system-x86_64") ? false : "no QEMU" },
  async () => {
    const qemu = await launchQemu<CommandMap, EventMap>({
      binary: "/usr/bin/qemu-system-x86_64",
      args: ["-machine", "none", "-nodefaults", "-display", "none"],
      sdk,
    });
    try {
      const capabilities = await probeCapabilities(qemu.client, sdk, { reference });
      assert.match(capabilities.serverVersion, /^7\.2\./);
      assert72(capabilities);
      const guarded = guardClient(qemu.client, capabilities);
      await assert.rejects(guarded.execute("query-accelerators"), UnsupportedCommandError);
      const status = await guarded.execute("query-status");
      assert.equal(typeof status.running, "boolean");
      // query-qmp-schema says `int` where 7.2's source says uint8: the width comes from the history's 7.2.
      const check = (value: number) =>
        capabilities.validators
          .commandArgs("migrate-set-parameters", { "cpu-throttle-initial": value }, "strict", "$.arguments")!
          .errors.map((issue) => `${issue.path}: ${issue.message}`);
      assert.deepEqual(check(30), []);
      assert.deepEqual(check(300), [`$.arguments["cpu-throttle-initial"]: expected uint8 (integer 0..255), got 300`]);
    } finally {
      await qemu.close();
    }
  },
);

test(
  "the guest agent: commands from guest-info, 10.2.2 SDK against Debian's qemu-ga 7.2",
  { skip: existsSync("/usr/sbin/qemu-ga") ? false : "no qemu-ga" },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "qapi-ts-qga-"));
    const path = join(dir, "qga.sock");
    const agent = spawn("/usr/sbin/qemu-ga", ["-m", "unix-listen", "-p", path, "-t", dir], { stdio: "ignore" });
    try {
      for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 50));
      const { client, capabilities } = await connectWithCapabilities<QgaCommandMap, QgaEventMap>(qgaSdk, { path });
      assert.match(capabilities.serverVersion, /^7\.2\./);
      assert.equal(capabilities.supports.command("guest-ping"), true);
      // 10.2.2 qga/qapi-schema.json adds guest-get-load; 7.2's has no such command.
      assert.equal(capabilities.supports.command("guest-get-load"), false);
      assert.throws(() => capabilities.supports.member("guest-exec", "path"), ProbeError);
      assert.ok(capabilities.drift().missingCommands.includes("guest-get-load"));
      await assert.rejects(client.execute("guest-get-load"), UnsupportedCommandError);
      assert.deepEqual(await client.execute("guest-ping"), {});
      await client.close();
    } finally {
      agent.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
