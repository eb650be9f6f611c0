/**
 * Conformance with QEMU's own front-end test suite (tests/qapi-schema).
 *
 * Every case is loaded the way QEMU's test-qapi.py does (qemu-suite.ts) by
 * QEMU 10.2's rules with the doc lint on (`--doc-lint`). A valid case must
 * dump byte-identical to its .out; an invalid case must fail at the same
 * FILE:LINE[:COL], with the same context lines, naming every token the .err
 * quotes. 10.2.2 must conform fully; 7.2.0's suite encodes older rules, so
 * the cases where 10.2's rules differ are listed. (Every release's suite
 * under its own rules: release-suites.test.ts.)
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";
import { type CaseResult, runSuite as runSuiteIn, summary } from "./qemu-suite.js";

/** Runs every case of one QEMU version's suite under QEMU 10.2's rules, doc lint on. */
function runSuite(version: string): CaseResult[] {
  return runSuiteIn(join(repoRoot, ".cache", "qemu", version, "tests", "qapi-schema"), { load: { docLint: true } });
}

test("QEMU 10.2.2's qapi-schema suite conforms", (t) => {
  const results = runSuite("10.2.2");
  const line = summary("10.2.2", results);
  console.log(line);
  t.diagnostic(line);
  const failures = results.filter((r) => r.problem !== null);
  assert.ok(results.length >= 200, `only ${results.length} cases found`);
  assert.deepEqual(
    failures.map((f) => `${f.name}: ${f.problem}`),
    [],
    `${failures.length} cases do not conform`,
  );
});

/**
 * 7.2.0's cases that do not conform, and why: its dumps print `prefix QTYPE`
 * and older built-ins (dump differs), it reported doc errors at the start of
 * the doc block rather than at the offending line (location), and its
 * doc-good/qapi-schema-test/doc-bad-indent encode doc rules 10.2 replaced.
 * A change to this set, either way, is a change in behaviour worth a look.
 */
const expected72NonConforming = [
  "alternate-array",
  "comments",
  "doc-bad-alternate-member",
  "doc-bad-boxed-command-arg",
  "doc-bad-command-arg",
  "doc-bad-enum-member",
  "doc-bad-event-arg",
  "doc-bad-feature",
  "doc-bad-indent",
  "doc-bad-section",
  "doc-bad-union-member",
  "doc-duplicated-arg",
  "doc-duplicated-return",
  "doc-duplicated-since",
  "doc-empty-arg",
  "doc-empty-section",
  "doc-good",
  "doc-interleaved-section",
  "doc-invalid-return",
  "empty",
  "include-repetition",
  "include-simple",
  "indented-expr",
  "qapi-schema-test",
];

test("QEMU 7.2.0's qapi-schema suite: every case conforms but the known older-rule ones", (t) => {
  const results = runSuite("7.2.0");
  const line = summary("7.2.0", results);
  for (const r of results) if (r.problem !== null) t.diagnostic(`7.2.0 ${r.name}: ${r.problem.split("\n")[0]}`);
  console.log(line);
  t.diagnostic(line);
  assert.ok(results.length >= 190, `only ${results.length} cases found`);
  assert.deepEqual(
    results
      .filter((r) => r.problem !== null)
      .map((r) => r.name)
      .sort(),
    [...expected72NonConforming].sort(),
  );
});
