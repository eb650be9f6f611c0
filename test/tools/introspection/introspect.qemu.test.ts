/**
 * Introspection against the real QEMU 7.2 binaries installed on the machine:
 * starting them (system emulator and storage daemon), connecting to a monitor
 * that is already listening, and the CLI writing the file. The results must
 * equal the recorded fixtures, which the other sync tests rely on.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { introspectBinary, introspectMonitor, parseMonitorAddress } from "../../../tools/introspection/introspect.js";
import { readIntrospectionFile } from "../../../tools/introspection/read-file.js";
import { createMockQemu } from "../../../runtime/mock/index.js";
import { waitUntilListening } from "../../support/monitor-ready.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const system = "/usr/bin/qemu-system-x86_64";
const daemon = "/usr/bin/qemu-storage-daemon";
const fixture = (name: string) => readIntrospectionFile(join(repoRoot, "test", "fixtures", "introspection", name));
const missing = (binary: string) => (existsSync(binary) ? false : `${binary} is not installed`);

test("monitor addresses", () => {
  assert.deepEqual(parseMonitorAddress("unix:/run/q.sock"), { path: "/run/q.sock" });
  assert.deepEqual(parseMonitorAddress("tcp:127.0.0.1:4444"), { host: "127.0.0.1", port: 4444 });
  assert.deepEqual(parseMonitorAddress("tcp:[::1]:4444"), { host: "::1", port: 4444 });
  assert.throws(() => parseMonitorAddress("serial:ttyS0"), /expected unix:PATH or tcp:HOST:PORT/);
});

test("qemu-system-x86_64 7.2: started by introspect, matches the fixture", { skip: missing(system) }, async () => {
  const file = await introspectBinary(system);
  const recorded = fixture("qemu-system-x86_64-7.2.json");
  assert.deepEqual(file.version, recorded.version);
  assert.deepEqual(file.schema, recorded.schema);
  assert.ok(file.schema.some((e) => e.name === "query-status" && e["meta-type"] === "command"));
});

test(
  "qemu-storage-daemon 7.2: started with --chardev/--monitor, matches the fixture",
  { skip: missing(daemon) },
  async () => {
    const file = await introspectBinary(daemon);
    assert.deepEqual(file.schema, fixture("qemu-storage-daemon-7.2.json").schema);
    // The daemon has block commands but no machine commands.
    assert.ok(file.schema.some((e) => e.name === "blockdev-add"));
    assert.ok(!file.schema.some((e) => e.name === "system_reset"));
  },
);

test("--connect to a QEMU already listening on a unix socket, through the CLI", { skip: missing(system) }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "qapi-ts-introspect-"));
  const socket = join(dir, "qmp.sock");
  const qemu = spawn(
    system,
    ["-machine", "none", "-nodefaults", "-display", "none", "-qmp", `unix:${socket},server=on,wait=off`],
    {
      stdio: "ignore",
    },
  );
  try {
    await waitUntilListening(socket, () => qemu.exitCode === null);
    const direct = await introspectMonitor(`unix:${socket}`);
    assert.equal(direct.schema.length, fixture("qemu-system-x86_64-7.2.json").schema.length);
    // The CLI, in a child process, writing a file.
    const out = join(dir, "schema.json");
    const run = spawnSync(
      process.execPath,
      [join(repoRoot, "bin", "qapi-ts"), "introspect", "--connect", `unix:${socket}`, "-o", out],
      {
        encoding: "utf8",
      },
    );
    assert.equal(run.status, 0, run.stderr);
    const written = JSON.parse(readFileSync(out, "utf8")) as { version: unknown; schema: unknown[] };
    assert.deepEqual(written.version, direct.version);
    assert.deepEqual(written.schema, direct.schema);
  } finally {
    qemu.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the CLI starts qemu-storage-daemon itself (--qemu)", { skip: missing(daemon) }, () => {
  const dir = mkdtempSync(join(tmpdir(), "qapi-ts-introspect-"));
  try {
    const out = join(dir, "qsd.json");
    const run = spawnSync(
      process.execPath,
      [join(repoRoot, "bin", "qapi-ts"), "introspect", "--qemu", daemon, "-o", out],
      { encoding: "utf8" },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(readIntrospectionFile(out).schema, fixture("qemu-storage-daemon-7.2.json").schema);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--connect tcp:HOST:PORT, against the mock serving the recorded schema", async () => {
  const recorded = fixture("qemu-storage-daemon-7.2.json");
  const mock = createMockQemu({ greeting: { version: recorded.version as never }, schema: recorded.schema as never });
  try {
    const address = await mock.listen({ host: "127.0.0.1", port: 0 });
    assert.ok("port" in address);
    const file = await introspectMonitor(`tcp:${address.host}:${address.port}`);
    assert.deepEqual(file.version, recorded.version);
    assert.deepEqual(file.schema, recorded.schema);
  } finally {
    await mock.close();
  }
});

test("a monitor that is not there is a user error, not a crash", () => {
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, "bin", "qapi-ts"), "introspect", "--connect", "unix:/nonexistent/qmp.sock"],
    {
      encoding: "utf8",
    },
  );
  assert.equal(run.status, 1);
  assert.match(run.stderr, /^introspect: /);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
});
