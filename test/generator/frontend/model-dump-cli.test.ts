/**
 * The `qapi-ts dump` command end to end: a valid schema prints QEMU's .out
 * text on stdout; an invalid one prints the located error on stderr, exits 1
 * and shows no stack trace; the release whose rules read a schema comes from
 * its tree's VERSION file or --qemu-version.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { qemuSourceDir, repoRoot } from "../../../scripts/lib/qemu-sources.js";

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

test("dump reads a schema by its release's rules: 10.0.13's guest agent schema as 10.0 read it", () => {
  const dir = qemuSourceDir("10.0.13");
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(repoRoot, "bin", "qapi-ts"), "dump", ...args, "qga/qapi-schema.json"], {
      cwd: dir,
      encoding: "utf8",
    });
  // Line 1964, 'Returns:' continuing a paragraph: body text to 10.0 (its VERSION file says 10.0.13).
  const own = run();
  assert.equal(own.status, 0, own.stderr);
  assert.match(
    own.stdout,
    /doc symbol=guest-network-get-route\n {4}body=\nRetrieve information about route of network\.\nReturns: List of route info of guest\.\n {4}section=Since\n/,
  );
  // 10.2's rules (its doc line lint) do not accept 10.0's text: a located error, no stack.
  const newer = run("--qemu-version", "10.2.2");
  assert.equal(newer.status, 1);
  assert.match(newer.stderr, /^qga\/qapi-schema\.json:\d+:\d+: /m);
  assert.doesNotMatch(newer.stderr, /\n\s+at /);
  const bad = run("--qemu-version", "10.x");
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /'10\.x' is not a QEMU release/);
  assert.equal(run("--qemu-version", "10.0.0", "--doc-lint").status, 2);
});
