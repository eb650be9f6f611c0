/**
 * The command line's own face: `--version`, `--help` of every command with
 * examples, option lists without contradictions, and clear one-line errors for
 * inputs that belong elsewhere (an introspection file as --schema, the guest
 * agent as --qemu).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { commandLoaders } from "../../../tools/cli/index.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const tmp = mkdtempSync(join(tmpdir(), "qapi-ts-cli-help-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, "bin/qapi-ts"), ...args], { encoding: "utf8", cwd: tmp });
}

test("--version prints package.json's version", () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
  const r = cli("--version");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${manifest.version}\n`);
});

test("the top-level help and every command's help show examples of that command", () => {
  const top = cli("--help");
  assert.equal(top.status, 0, top.stderr);
  assert.match(top.stdout, /\nExamples:\n {2}qapi-ts generate /);
  for (const name of Object.keys(commandLoaders)) {
    const r = cli(name, "--help");
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    const examples = r.stdout.split("\nExamples:\n")[1];
    assert.ok(examples, `${name} --help has an Examples section:\n${r.stdout}`);
    const lines = examples.trimEnd().split("\n");
    for (const line of lines)
      assert.match(line, new RegExp(`^ {2}qapi-ts ${name} `), `${name}: one example per line, not wrapped`);
  }
});

test("validate-log --help does not call the required log files defaulted", () => {
  const r = cli("validate-log", "--help");
  assert.equal(r.status, 0, r.stderr);
  const line = r.stdout.split("\n").find((l) => /^ {2}log /.test(l));
  assert.ok(line, r.stdout);
  assert.match(line, /\[required\]/);
  assert.doesNotMatch(line, /default/);
});

test("an introspection file given as --schema: dump names it for what it is, validate-log reads it as one", () => {
  const file = join(tmp, "qemu-here.json");
  writeFileSync(
    file,
    '{\n  "version": {},\n  "schema": [\n    {"name": "query-status", "meta-type": "command"}\n  ]\n}\n',
  );
  writeFileSync(join(tmp, "session.jsonl"), '{"execute": "query-status"}\n');
  // validate-log takes introspection files, so this (version-less) one is checked as such.
  const validate = cli("validate-log", "session.jsonl", "--schema", file);
  assert.equal(validate.status, 1);
  assert.match(validate.stderr, /^.*qemu-here\.json: 'version' must be a query-version reply/);
  const dump = cli("dump", file);
  assert.equal(dump.status, 2);
  assert.match(dump.stderr, /^qapi-ts dump: .*qemu-here\.json is an introspection file/);
});

test("introspect --qemu qemu-ga: the guest agent is refused with the way that works", () => {
  const r = cli("introspect", "--qemu", `${tmp}/qemu-ga`);
  assert.equal(r.status, 2);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(
    lines[0]!,
    /is QEMU's guest agent, which cannot describe itself .*qapi-ts introspect --schema QEMU-SOURCES\/qga\/qapi-schema\.json/,
  );
});
