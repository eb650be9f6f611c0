/**
 * `qapi-ts generate` end to end: writes only changed files, `--check` lists
 * stale files and exits 1, `--no-format` gives the raw emitter output,
 * `--runtime-import` sets the runtime specifier, and a bad schema is a clear
 * error without a stack trace.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const tmp = mkdtempSync(join(repoRoot, "build", "generate-cli-test-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
const schema = join(repoRoot, "schema/examples/kitchen-sink.json");

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, "build/generator/cli/main.js"), "generate", ...args], { encoding: "utf8" });
}

test("generate, regenerate, --check, and a stale file", () => {
  const out = join(tmp, "sdk");
  let r = cli("--schema", schema, "--out", out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /5 of 5 files written/);
  assert.match(readFileSync(join(out, "index.ts"), "utf8"), /from "qapi-ts\/runtime"/);
  r = cli("--schema", schema, "--out", out);
  assert.match(r.stdout, /0 of 5 files written/);
  r = cli("--schema", schema, "--out", out, "--check");
  assert.equal(r.status, 0);
  assert.match(r.stdout, /up to date/);
  writeFileSync(join(out, "events.ts"), "// edited\n");
  rmSync(join(out, "types.ts"));
  r = cli("--schema", schema, "--out", out, "--check");
  assert.equal(r.status, 1);
  assert.match(r.stderr, /2 generated file\(s\) are stale:\n  types\.ts\n  events\.ts\n/);
  assert.equal(readFileSync(join(out, "events.ts"), "utf8"), "// edited\n", "--check writes nothing");
});

test("--no-format and --runtime-import", () => {
  const out = join(tmp, "raw");
  const r = cli("--schema", schema, "--out", out, "--no-format", "--runtime-import", "../rt/index.js", "--docs", "none");
  assert.equal(r.status, 0, r.stderr);
  const index = readFileSync(join(out, "index.ts"), "utf8");
  assert.match(index, /from "\.\.\/rt\/index\.js"/);
  assert.doesNotMatch(readFileSync(join(out, "types.ts"), "utf8"), /\/\*\*\n \* /, "no docs");
});

test("an invalid schema is reported QEMU-style without a stack trace", () => {
  const bad = join(tmp, "bad.json");
  writeFileSync(bad, "{ 'struct': 'Foo', 'data': { 'a': 'NoSuchType' } }\n");
  const r = cli("--schema", bad, "--out", join(tmp, "never"));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.json:1: .*NoSuchType/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
