/**
 * Fuzz test of the schema front end: real QEMU schema files (10.2.2), broken
 * in many seeded ways (truncation, swapped quotes, junk bytes, deletions,
 * swapped lines, deep nesting, huge strings, missing, unreadable and cyclic
 * includes), must each load fine or fail with a located, user-facing error
 * (`FILE:LINE[:COL]: message`, a QapiError), never with a crash, a stack trace
 * or a hang. Each load is bounded in time (load-schema-bounded.ts).
 * A few of the broken files also go through the CLI (`qapi-ts dump FILE`),
 * which must exit 1 with the located message and no stack trace.
 * The mutated files live in a temporary copy of QEMU's tree, so the
 * originals' relative includes still resolve; nothing is written to the repo.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadSchemasBounded, type LoadOutcome } from "../../support/load-schema-bounded.js";
import { createPrng } from "../../support/prng.js";
import { pinnedQemuVersion, qemuSourceDir, repoRoot } from "../../../scripts/lib/qemu-sources.js";
import * as mutate from "../../support/schema-mutations.js";

/** Fixed, so every run repeats; QAPI_TS_FUZZ_SEED=N explores other mutations locally. */
const seed = Number(process.env["QAPI_TS_FUZZ_SEED"] ?? 0x9a91_2026);
/** Far above any sane load time: a load that takes this long is a hang. */
const hangBoundMs = 20_000;

/**
 * Real schema files that load on their own, relative to QEMU's tree; the last
 * one includes all of QMP's modules, so its mutations reach the whole model.
 */
const baseFiles = [
  "qga/qapi-schema.json",
  "tests/qapi-schema/qapi-schema-test.json",
  "tests/qapi-schema/doc-good.json",
  "qapi/qapi-schema.json",
];

interface FuzzCase {
  name: string;
  /** The file to load, relative to the temporary tree. */
  file: string;
  /** Files to write first (relative path → bytes); `file` is among them unless it is an original. */
  writes: Map<string, Buffer>;
  /** "error" when the input cannot be valid; "any" when a mutation may happen to leave a valid schema. */
  expect: "error" | "any";
}

/** Builds every case from the seeded generator; `source(path)` reads an original file. */
function buildCases(source: (path: string) => Buffer): FuzzCase[] {
  const rng = createPrng(seed);
  const cases: FuzzCase[] = [];
  const add = (name: string, nextTo: string, content: Buffer | string, expect: FuzzCase["expect"]) => {
    const file = join(dirname(nextTo), `fuzz-${cases.length}.json`);
    cases.push({ name, file, writes: new Map([[file, Buffer.from(content)]]), expect });
  };

  for (const base of baseFiles) {
    const original = source(base);
    for (let i = 1; i <= 20; i++) {
      const at = Math.floor((original.length * i) / 21) + rng.int(-40, 40);
      add(`${base} truncated at byte ${at}`, base, mutate.truncate(original, at), "any");
    }
    for (let i = 0; i < 10; i++)
      add(`${base} with swapped quotes #${i}`, base, mutate.swapQuotes(original, rng, rng.int(1, 3)), "any");
    for (let i = 0; i < 15; i++)
      add(`${base} with junk bytes #${i}`, base, mutate.insertJunk(original, rng, i % 3 === 0), "any");
    for (let i = 0; i < 6; i++) add(`${base} with a span deleted #${i}`, base, mutate.deleteSpan(original, rng), "any");
    for (let i = 0; i < 6; i++)
      add(`${base} with two lines swapped #${i}`, base, mutate.swapLines(original, rng), "any");
    add(
      `${base} with CRLF line ends`,
      base,
      Buffer.from(original.toString("latin1").replace(/\n/g, "\r\n"), "latin1"),
      "any",
    );
    add(
      `${base} starting with a byte-order mark`,
      base,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), original]),
      "any",
    );
    add(
      `${base} including a missing file`,
      base,
      mutate.insertAtLineStart(original, rng, "{ 'include': 'no-such-file.json' }\n"),
      "error",
    );
    add(
      `${base} including a directory`,
      base,
      mutate.insertAtLineStart(original, rng, "{ 'include': '.' }\n"),
      "error",
    );
  }

  // Synthetic files of their own, so no pragma of a real schema (doc-required)
  // stops the front end before it reaches the nesting or the huge token.
  for (const depth of [64, 5_000, 200_000]) {
    add(`struct with ${depth} nested arrays`, "synthetic/x", mutate.deeplyNestedStruct(depth), "error");
    add(`${depth} unclosed braces`, "synthetic/x", mutate.unclosedNesting(depth), "error");
    add(`'if' condition nested ${depth} deep`, "synthetic/x", mutate.deeplyNestedCondition(depth), "any");
  }
  const huge = "x".repeat(2_000_000);
  add("a 2 MB command name", "synthetic/x", `{ 'command': '${huge}' }\n`, "any");
  add("a 2 MB unterminated string", "synthetic/x", `{ 'command': '${huge}`, "error");
  add("a 2 MB comment line, then junk", "synthetic/x", `# ${huge}\n{ 'command' }\n`, "error");
  add(
    "a 100 000-line doc comment, then junk",
    "synthetic/x",
    `##\n${"# line\n".repeat(100_000)}##\n{ 'command' }\n`,
    "error",
  );

  // Include cycles: QEMU skips a file it has already included, so a cycle is
  // no error by itself; junk in the cycle's files makes the outcome certain.
  const includes = (name: string, files: [string, Buffer | string][]) => {
    const writes = new Map(files.map(([path, content]) => [join("includes", path), Buffer.from(content)] as const));
    cases.push({ name, file: join("includes", files[0]![0]), writes, expect: "error" });
  };
  includes("a file that includes itself", [
    ["self.json", "{ 'include': 'self.json' }\n{ 'command': 'x', 'junk': 1 }\n"],
  ]);
  includes("a two-file include cycle", [
    ["a.json", "{ 'include': 'b.json' }\n{ 'command': 'from-a' }\n"],
    ["b.json", "{ 'include': 'a.json' }\n{ 'command': 'from-b' }\n{ 'command' }\n"],
  ]);
  includes("a cycle through a subdirectory", [
    ["top.json", "{ 'include': 'sub/mid.json' }\n"],
    ["sub/mid.json", "{ 'include': '../top.json' }\n{ 'enum': 'E', 'data': [ 'a', 'a' ] }\n"],
  ]);
  includes("a missing file two includes deep", [
    ["outer.json", "{ 'include': 'sub/inner.json' }\n"],
    ["sub/inner.json", "{ 'command': 'ok' }\n{ 'include': 'no-such-file.json' }\n"],
  ]);
  includes("an included file that is not UTF-8", [
    ["main.json", "{ 'include': 'latin1.json' }\n"],
    ["latin1.json", Buffer.from("# caf\xe9\n{ 'command': 'x' }\n", "latin1")],
  ]);
  return cases;
}

/** The located line of a report: `FILE:LINE[:COL]: message`. */
const locatedLine = /^(?<file>[^\n]+?):(?<line>\d+)(?::(?<col>\d+))?: (?<message>\S[^\n]*)$/;
/** Context lines QEMU prints before it: the include chain and the enclosing definition. */
const contextLine = /^In file included from .*:$|^[^\n]+: In [a-z -]+ '[^']*':$/;

/**
 * The first line after the context lines, which must be the located one
 * (a message may go on over further lines, such as a list of allowed keys).
 */
function firstLineAfterContext(report: string): string {
  return report.split("\n").find((line) => !contextLine.test(line)) ?? "";
}
/** What a JavaScript stack trace looks like in text. */
const stackFrame = /^\s+at \S/m;

/** Why `outcome` is not acceptable for `fuzzCase`, or undefined when it is. */
function problemWith(fuzzCase: FuzzCase, outcome: LoadOutcome | undefined, tree: string): string | undefined {
  if (!outcome) return "no outcome recorded";
  switch (outcome.kind) {
    case "ok":
      return fuzzCase.expect === "error" ? "loaded without error, but this input is invalid" : undefined;
    case "hang":
      return `still loading after ${outcome.boundMs} ms (a hang)`;
    case "crash":
      return `crashed with ${outcome.className}: ${outcome.message}\n${outcome.stack}`;
    case "user-error": {
      if (!outcome.isQapiError) return `a ${outcome.className}, not a QapiError: ${outcome.report}`;
      if (stackFrame.test(outcome.report)) return `the report shows a stack trace:\n${outcome.report}`;
      const match = locatedLine.exec(firstLineAfterContext(outcome.report));
      if (!match) return `the report has no FILE:LINE[:COL]: message after its context lines:\n${outcome.report}`;
      const file = match.groups!.file!;
      const where = file.startsWith("/") ? file : join(tree, file);
      if (!existsSync(where)) return `the error points at ${file}, which does not exist:\n${outcome.report}`;
      return undefined;
    }
  }
}

describe("front-end fuzz: broken schemas end in located errors", () => {
  let tree = "";
  let cases: FuzzCase[] = [];

  before(() => {
    const qemu = qemuSourceDir(pinnedQemuVersion);
    tree = mkdtempSync(join(tmpdir(), "qapi-ts-fuzz-"));
    for (const part of ["qapi", "qga", "tests/qapi-schema"])
      cpSync(join(qemu, part), join(tree, part), { recursive: true });
    cases = buildCases((path) => readFileSync(join(qemu, path)));
    for (const fuzzCase of cases) {
      for (const [path, bytes] of fuzzCase.writes) {
        mkdirSync(dirname(join(tree, path)), { recursive: true });
        writeFileSync(join(tree, path), bytes);
      }
    }
  });

  after(() => {
    if (tree) rmSync(tree, { recursive: true, force: true });
  });

  test("in process: every case loads or fails with a located QapiError", async () => {
    // Half the cases with the doc-comment lint on, so both paths of the doc reader are fuzzed.
    const jobs = cases.map((fuzzCase, id) => ({ id, file: join(tree, fuzzCase.file), docLint: id % 2 === 0 }));
    const outcomes = await loadSchemasBounded(jobs, hangBoundMs);
    const problems = cases.flatMap((fuzzCase, id) => {
      const problem = problemWith(fuzzCase, outcomes.get(id), tree);
      return problem === undefined ? [] : [`- ${fuzzCase.name} (${fuzzCase.file}): ${problem}`];
    });
    assert.deepEqual(
      problems,
      [],
      `${problems.length} of ${cases.length} cases went wrong (seed ${seed}):\n${problems.join("\n")}`,
    );
    // The mutations must actually break things: most cases end in an error.
    const errors = [...outcomes.values()].filter((outcome) => outcome.kind === "user-error").length;
    assert.ok(errors > cases.length / 2, `only ${errors} of ${cases.length} cases failed to load`);
  });

  test("through the CLI: `qapi-ts dump` exits 1 with a located message and no stack trace", () => {
    const cliCases = cases.filter((fuzzCase) => fuzzCase.expect === "error").filter((_, index) => index % 3 === 0);
    assert.ok(cliCases.length >= 4, "enough CLI cases");
    for (const fuzzCase of cliCases) {
      const result = spawnSync(
        process.execPath,
        [join(repoRoot, "bin", "qapi-ts"), "dump", join(tree, fuzzCase.file)],
        {
          encoding: "utf8",
          timeout: hangBoundMs,
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const context = `${fuzzCase.name}: stderr was:\n${result.stderr}`;
      assert.equal(result.error, undefined, `${fuzzCase.name}: ${result.error?.message} (a hang or spawn failure)`);
      assert.equal(result.status, 1, context);
      assert.doesNotMatch(result.stderr, stackFrame, context);
      assert.match(firstLineAfterContext(result.stderr), locatedLine, context);
    }
  });
});
