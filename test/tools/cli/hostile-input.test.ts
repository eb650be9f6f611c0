/**
 * The command line against input that would hang it, leak through it or be
 * rewritten by it (issue 18): devices given as files (`/dev/zero`) are
 * refused at once, a history file that is not JSON is not quoted back and
 * one with `"types": null` is refused, a monitor that goes silent after
 * negotiating ends a `shell -c` at its `--timeout`, the words after
 * `shell --launch --` reach the program verbatim, and `--record` files and
 * the mock's socket are owner-only whatever the umask.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createMockQemu } from "../../../runtime/mock/index.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const tmp = mkdtempSync(join(tmpdir(), "qapi-ts-cli-hostile-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
const qgaSchema = join(repoRoot, ".cache/qemu/7.2.0/qga/qapi-schema.json");

/** Runs the CLI; a limit turns a hang into a failure (it is not a timing check). */
function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, "bin/qapi-ts"), ...args], {
    encoding: "utf8",
    cwd: tmp,
    timeout: 60_000,
  });
}

/** Runs the CLI without blocking this process (a server in it must answer). */
async function run(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(repoRoot, "bin/qapi-ts"), ...args], {
    cwd: tmp,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stderr };
}

test("devices named as input files are refused at once, with one line", () => {
  const cases: [string[], RegExp][] = [
    [
      ["generate", "--schema", qgaSchema, "--out", join(tmp, "g"), "--history", "/dev/zero"],
      /^\/dev\/zero: cannot read the version history: not a regular file \(a character device\)\n$/,
    ],
    [
      ["validate-log", "--schema", "/dev/zero", join(tmp, "none.log")],
      /^\/dev\/zero: cannot read the schema: not a regular file \(a character device\)\n$/,
    ],
    [
      ["validate-log", "/dev/zero", "--schema-from-log"],
      /^\/dev\/zero: cannot read the log: not a regular file or a pipe\n$/,
    ],
  ];
  for (const [args, stderr] of cases) {
    const r = cli(...args);
    assert.equal(r.signal, null, `${args.join(" ")} hung`);
    assert.equal(r.status, 1, args.join(" "));
    assert.match(r.stderr, stderr);
  }
});

test("a history file that is not JSON is not quoted; one with null tables is refused", () => {
  const secret = join(tmp, "secret");
  writeFileSync(secret, "PASSWORD=hunter2\n\x1b]0;title\x07");
  const nullTypes = join(tmp, "null-types.json");
  writeFileSync(nullTypes, JSON.stringify({ releases: ["7.2.0"], commands: {}, events: {}, types: null }));
  for (const [file, message] of [
    [secret, "not a version history (not JSON)"],
    [nullTypes, "not a version history"],
  ] as const) {
    const r = cli("generate", "--schema", qgaSchema, "--out", join(tmp, "g"), "--history", file);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `${file}: ${message}\n`);
  }
});

test("shell -c: a monitor that goes silent after negotiating ends the line at --timeout", async () => {
  const path = join(tmp, "silent.qmp");
  const greeting = { QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: "" }, capabilities: [] } };
  const server = createServer((socket) => {
    socket.write(JSON.stringify(greeting) + "\r\n");
    let negotiated = false;
    socket.on("data", (chunk: Buffer) => {
      const id = /"id":\s*(\d+)/.exec(chunk.toString())?.[1];
      if (!negotiated && id) socket.write(`{"return": {}, "id": ${id}}\r\n`);
      negotiated = true; // then silence
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    const { code: status, stderr } = await run(
      "shell",
      "--connect",
      `unix:${path}`,
      "--schema",
      "sdk",
      "--timeout",
      "1",
      "-c",
      "query-status",
    );
    assert.equal(status, 1, stderr);
    // The shell's own start-up query or the line itself: either way, a bounded wait and one line.
    assert.match(stderr, /^(shell: )?(query-qmp-schema|query-status): no reply within 1000 ms\n$/);
  } finally {
    server.close();
  }
});

test("shell --launch --: the words after -- reach the program verbatim", () => {
  const out = join(tmp, "argv.txt");
  const r = cli(
    "shell",
    "--launch",
    "--",
    "/bin/sh",
    "-c",
    `printf '%s\\n' "$@" > '${out}'`,
    "sh",
    "1e3",
    "0x10",
    "007",
    "-S",
  );
  assert.equal(r.status, 1); // sh is no QEMU: it exits without connecting
  assert.deepEqual(readFileSync(out, "utf8").split("\n").slice(0, 4), ["1e3", "0x10", "007", "-S"]);
});

test("--record files and the mock's socket are owner-only, whatever the umask", async () => {
  const old = process.umask(0);
  try {
    const mock = createMockQemu({});
    const address = await mock.listen({ path: join(tmp, "mock.qmp") });
    try {
      assert.equal(statSync((address as { path: string }).path).mode & 0o777, 0o600);
      const record = join(tmp, "session.jsonl");
      const status = await run(
        "shell",
        "--connect",
        `unix:${join(tmp, "mock.qmp")}`,
        "--schema",
        "sdk",
        "--record",
        record,
        "-c",
        "query-version",
      );
      assert.equal(status.code, 0, status.stderr);
      assert.equal(statSync(record).mode & 0o777, 0o600);
    } finally {
      await mock.close();
    }
  } finally {
    process.umask(old);
  }
});
