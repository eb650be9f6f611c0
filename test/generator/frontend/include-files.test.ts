/**
 * Schema files that are not schemas: an include (or the main file) naming a
 * character device, a FIFO, a directory, a file over the size limit, a secret
 * or a binary file must each end in one located error line, quickly, and the
 * message must quote none of the file's content. Every case runs through the
 * CLI (`qapi-ts dump`) in a child process bounded in time, so a read that
 * blocks (a FIFO) or never ends (/dev/zero) fails the test instead of
 * stalling it; the bound is far above a sane run and asserts no timing.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const dir = mkdtempSync(join(tmpdir(), "qapi-ts-include-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const secret = "TOPSECRET-4f1c9a";

function dump(file: string) {
  return spawnSync(process.execPath, [join(repoRoot, "build/tools/cli/main.js"), "dump", file], {
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 1024 * 1024,
  });
}

/** A main schema that includes `target`, then a struct (never reached). */
function includer(name: string, target: string): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    `# includes ${name}\n{ 'include': ${JSON.stringify(target).replaceAll('"', "'")} }\n{ 'struct': 'S', 'data': {} }\n`,
  );
  return file;
}

/**
 * The run ended by itself, with status 1 and one error line without a stack,
 * after QEMU's "In file included from" context lines when the error is inside an include.
 */
function assertOneLineError(r: ReturnType<typeof dump>, pattern: RegExp): void {
  assert.equal(r.signal, null, `the CLI was killed (${r.signal}): it hung or grew without bound`);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, "");
  const lines = r.stderr.split("\n");
  assert.equal(lines.pop(), "", "ends with a newline");
  assert.ok(
    lines.slice(0, -1).every((l) => l.startsWith("In file included from ")),
    `one message line:\n${r.stderr}`,
  );
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.match(r.stderr, pattern);
}

test("an include of /dev/zero is an error, not gigabytes of input", () => {
  const r = dump(includer("zero", "/dev/zero"));
  assertOneLineError(
    r,
    /zero\.json:2: cannot read include file '\/dev\/zero': not a regular file \(a character device\)/,
  );
});

test("an include of a FIFO is an error at once, with no writer to wait for", (t) => {
  const fifo = join(dir, "pipe");
  const made = spawnSync("mkfifo", [fifo]);
  if (made.status !== 0) return t.skip("mkfifo is not available");
  const r = dump(includer("fifo", "pipe"));
  assertOneLineError(r, /fifo\.json:2: cannot read include file '.*pipe': not a regular file \(a FIFO\)/);
});

test("an include of a directory is an error", () => {
  mkdirSync(join(dir, "sub"));
  assertOneLineError(
    dump(includer("directory", "sub")),
    /directory\.json:2: cannot read include file '.*sub': Is a directory/,
  );
});

test("a file over the size limit is refused, and the message names the limit", () => {
  const big = join(dir, "big.json");
  writeFileSync(big, "{ 'struct': 'S', 'data': {} }\n");
  truncateSync(big, 17 * 1024 * 1024);
  assertOneLineError(
    dump(includer("large", "big.json")),
    /large\.json:2: cannot read include file '.*big\.json': larger than the 16 MiB limit/,
  );
  assertOneLineError(dump(big), /cannot read schema file '.*big\.json': larger than the 16 MiB limit/);
});

test("a main schema file that is a device is refused", () => {
  assertOneLineError(dump("/dev/zero"), /cannot read schema file '\/dev\/zero': not a regular file/);
});

test("an included secret file's content is not quoted", () => {
  for (const [name, content] of [
    ["env", `${secret}=hunter2\n`],
    ["key", `-----BEGIN PRIVATE KEY-----\n${secret}\n`],
    ["commented", `# a comment line\n${secret}\n`],
    ["json", `"${secret}"\n`],
    ["word", `true ${secret}\n`],
  ] as const) {
    writeFileSync(join(dir, `${name}.secret`), content);
    const r = dump(includer(`secret-${name}`, `${name}.secret`));
    assertOneLineError(r, new RegExp(`${name}\\.secret:\\d+:\\d+: `));
    assert.ok(!r.stderr.includes(secret) && !r.stderr.includes("BEGIN") && !r.stderr.includes("hunter2"), r.stderr);
  }
});

test("a binary file's bytes are not quoted; a schema's bad byte is", () => {
  writeFileSync(join(dir, "binary.bin"), Buffer.from([0x53, 0x45, 0x43, 0xc3, 0x28, 0x52]));
  const binary = dump(includer("binary", "binary.bin"));
  assertOneLineError(binary, /binary\.bin:1:4: the file is not valid UTF-8/);
  assert.doesNotMatch(binary.stderr, /0x|SEC/);
  writeFileSync(
    join(dir, "latin1.json"),
    Buffer.concat([Buffer.from("{ 'struct': 'S', 'data': {} }\n# caf"), Buffer.from([0xe9]), Buffer.from("\n")]),
  );
  const latin1 = dump(join(dir, "latin1.json"));
  assertOneLineError(latin1, /latin1\.json:2:6: the file is not valid UTF-8 \(byte 0xe9\)/);
});

test("a stray word after a schema's first token is still quoted, as QEMU does", () => {
  writeFileSync(join(dir, "funny.json"), "{ command: 'foo' }\n");
  assertOneLineError(dump(join(dir, "funny.json")), /funny\.json:1:3: unexpected characters 'command'/);
});
