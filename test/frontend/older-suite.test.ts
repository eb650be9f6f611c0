/**
 * Default mode against QEMU 5.2's own front-end test suite (tests/qapi-schema
 * of 5.2.0, fetched from Debian bullseye): that release's suite is the
 * reference for reading its schemas. Every valid case must dump as QEMU 5.2
 * dumped it, up to how that release's harness printed things our dump prints
 * in 10.2's way: the built-in module (`module None`), QType's `prefix QTYPE`,
 * conditions (the list of C strings, which are read here with our C condition
 * reader and must equal our condition tree) and doc comments (not compared).
 * Every invalid case must be rejected, except those whose rule default mode
 * deliberately does not apply (listed with the reason), and at the line 5.2
 * reported; only doc comment errors may be located differently, as 10.2
 * locates them (at the offending section rather than the block).
 * The valid cases of the other releases the tests read (7.2.0, 10.0.x) must
 * also dump, in default mode, as their release dumped them.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseCppCondition } from "../../generator/frontend/cpp-condition.js";
import { QapiError } from "../../generator/frontend/errors.js";
import { loadSchema } from "../../generator/load-schema.js";
import { dumpSchema } from "../../generator/model/dump.js";
import { IfCondition } from "../../generator/model/if-cond.js";
import { hasQemuSources, olderQemuVersions, repoRoot } from "../../scripts/lib/qemu-sources.js";

const version = "5.2.0";

/** 5.2's invalid cases that default mode accepts, and why. */
const acceptedOnPurpose = new Map([
  ["alternate-array", "later releases allow arrays in alternates, and default mode reads their schemas too"],
  [
    "reserved-type-kind",
    "the 'Kind' suffix was reserved only while simple unions made such enums; a clash is still reported",
  ],
]);

function readOptional(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

/** A 5.2 condition line (`if ['defined(A)', 'B']`) in our dump's form. */
function modernIfLine(line: string): string {
  const match = /^(\s+)if \[(.*)\]$/.exec(line);
  if (!match) return line;
  const operands = match[2]!.split(", ").map((quoted) => parseCppCondition(quoted.slice(1, -1)));
  const tree = operands.length === 1 ? operands[0]! : { all: operands };
  return `${match[1]}if ${new IfCondition(tree).toString()}`;
}

/** 5.2's dump brought into our dump's conventions, docs left out. */
function normalizeOlderDump(text: string): string {
  const lines = text.split("\n");
  const docStart = lines.findIndex((l) => l.startsWith("doc "));
  return (docStart < 0 ? lines : lines.slice(0, docStart))
    .filter((l) => l !== "    prefix QTYPE")
    .map((l) => (l === "module None" ? "module ./builtin" : modernIfLine(l)))
    .join("\n")
    .trimEnd();
}

/** FILE:LINE of the last message line that has a location (a message may go on over more lines). */
function lastFileLine(report: string): string {
  const lines = report.trimEnd().split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = /^([^\s:]+:\d+)(?::\d+)?:/.exec(lines[i]!);
    if (match) return match[1]!;
  }
  return "";
}

function withoutDocs(text: string): string {
  const lines = text.split("\n");
  const docStart = lines.findIndex((l) => l.startsWith("doc "));
  return (docStart < 0 ? lines : lines.slice(0, docStart)).join("\n").trimEnd();
}

const skip = hasQemuSources(version)
  ? false
  : `QEMU ${version}'s sources could not be fetched (npm run fetch-qemu -- ${version})`;

test(`QEMU ${version}'s qapi-schema suite, read in default mode`, { skip }, (t) => {
  const dir = join(repoRoot, ".cache", "qemu", version, "tests", "qapi-schema");
  const previous = process.cwd();
  process.chdir(dir);
  const problems: string[] = [];
  const accepted: string[] = [];
  let valid = 0;
  let invalid = 0;
  try {
    for (const file of readdirSync(".")
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      const name = file.slice(0, -".json".length);
      const expectedOut = readOptional(`${name}.out`);
      const expectedErr = readOptional(`${name}.err`);
      if (!expectedOut && !expectedErr) continue; // an include fragment
      let out: string | null = null;
      let failure: string | null = null;
      try {
        out = dumpSchema(loadSchema(file));
      } catch (error) {
        if (!(error instanceof QapiError)) throw error;
        failure = error.report();
      }
      if (expectedErr) {
        invalid++;
        if (failure === null) accepted.push(name);
        else if (lastFileLine(failure) !== lastFileLine(expectedErr) && !name.startsWith("doc-")) {
          problems.push(`${name}: rejected at ${lastFileLine(failure)}, 5.2 at ${lastFileLine(expectedErr)}`);
        }
      } else {
        valid++;
        if (failure !== null) problems.push(`${name}: ${failure}`);
        else if (withoutDocs(out!) !== normalizeOlderDump(expectedOut))
          problems.push(`${name}: dump differs from ${name}.out`);
      }
    }
  } finally {
    process.chdir(previous);
  }
  t.diagnostic(`QEMU ${version}: ${valid} valid cases, ${invalid} invalid cases`);
  assert.ok(valid >= 8 && invalid >= 150, `only ${valid} valid and ${invalid} invalid cases found`);
  assert.deepEqual(problems, []);
  assert.deepEqual(accepted.sort(), [...acceptedOnPurpose.keys()].sort(), "invalid cases accepted");
});

for (const other of ["7.2.0", ...olderQemuVersions.filter((v) => v !== version)]) {
  const skipOther = hasQemuSources(other)
    ? false
    : `QEMU ${other}'s sources could not be fetched (npm run fetch-qemu -- ${other})`;
  test(
    `QEMU ${other}'s valid qapi-schema cases dump as ${other} dumped them, in default mode`,
    { skip: skipOther },
    () => {
      const dir = join(repoRoot, ".cache", "qemu", other, "tests", "qapi-schema");
      const previous = process.cwd();
      process.chdir(dir);
      const problems: string[] = [];
      let valid = 0;
      try {
        for (const file of readdirSync(".")
          .filter((f) => f.endsWith(".json"))
          .sort()) {
          const name = file.slice(0, -".json".length);
          const expectedOut = readOptional(`${name}.out`);
          if (!expectedOut || readOptional(`${name}.err`)) continue;
          valid++;
          try {
            if (withoutDocs(dumpSchema(loadSchema(file))) !== normalizeOlderDump(expectedOut))
              problems.push(`${name}: dump differs`);
          } catch (error) {
            if (!(error instanceof QapiError)) throw error;
            problems.push(`${name}: ${error.report()}`);
          }
        }
      } finally {
        process.chdir(previous);
      }
      assert.ok(valid >= 8, `only ${valid} valid cases`);
      assert.deepEqual(problems, []);
    },
  );
}
