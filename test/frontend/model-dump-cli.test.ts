/**
 * The `qapi-ts dump` command end to end: a valid schema prints QEMU's .out
 * text on stdout; an invalid one prints the located error on stderr, exits 1
 * and shows no stack trace.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { qemuSourceDir, repoRoot } from "../../scripts/lib/qemu-sources.js";

const suiteDir = join(qemuSourceDir("10.2.2"), "tests", "qapi-schema");

function dump(...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, "bin", "qapi-ts"), "dump", ...args], {
    cwd: suiteDir,
    encoding: "utf8",
  });
}

test("dump --doc-lint of a valid case prints its .out exactly", () => {
  const result = dump("--doc-lint", "doc-good.json");
  assert.equal(result.stderr, "");
  assert.equal(result.status, 0);
  assert.equal(result.stdout, readFileSync(join(suiteDir, "doc-good.out"), "utf8"));
});

test("dump of an invalid case prints the located error with its context, exit 1, no stack", () => {
  const result = dump("--doc-lint", "union-clash-member.json");
  assert.equal(result.status, 1);
  assert.equal(result.stdout, "");
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines[0], "union-clash-member.json: In union 'TestUnion':");
  assert.match(
    lines[1]!,
    /^union-clash-member\.json:11: member 'name' of type 'Branch1' .* member 'name' of type 'Base'$/,
  );
  assert.equal(lines.length, 2);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});
