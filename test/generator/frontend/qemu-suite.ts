/**
 * Running one QEMU release's own front-end test suite (tests/qapi-schema)
 * against our front end, shared by conformance.test.ts (QEMU 10.2's rules on
 * the pinned suites) and release-suites.test.ts (every release under its own
 * rules).
 *
 * A case `X.json` with a non-empty `X.err` is invalid: loading it must fail
 * at the .err's last FILE:LINE[:COL], with its context lines, naming every
 * token the .err quotes (our wording is our own). A case with a non-empty
 * `X.out` is valid: its dump must equal the .out, the .out brought into our
 * dump's conventions first where that release's harness printed things
 * differently (release-dump.ts).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { QapiError } from "../../../generator/frontend/errors.js";
import { type LoadOptions, loadSchema } from "../../../generator/load-schema.js";
import { dumpSchema } from "../../../generator/model/dump.js";

/**
 * Not one of QEMU's cases: missing from its own list of cases in every
 * release that has the file, and its .err is stale (another path, older wording).
 */
const notACase = new Set(["event-args-if-unboxed"]);

/** One case of a suite and how it went. */
export interface CaseResult {
  name: string;
  /** True for a case with an .out and no .err. */
  valid: boolean;
  /** Why the case does not conform, or null. */
  problem: string | null;
}

function readOptional(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

/** `'token'` substrings of a message; an apostrophe inside a word ("can't") starts none. */
function quotedTokens(text: string): string[] {
  return text.match(/(?<!\w)'[^'\n]*'(?!\w)/g) ?? [];
}

const locationPattern = /^[^\s:]+:\d+(?::\d+)?:/;

/** The "FILE:LINE[:COL]:" of the last message line that has one (messages may continue on more lines). */
function lastLocation(lines: readonly string[]): string {
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = locationPattern.exec(lines[i]!);
    if (match) return match[0];
  }
  return lines.at(-1) ?? "";
}

function contextLines(text: string): string[] {
  return text.split("\n").filter((l) => l.startsWith("In file included from ") || /^[^\s:]+: In [\w-]+ '/.test(l));
}

/** Why our error report does not match QEMU's .err, or null. */
export function compareError(expected: string, actual: string): string | null {
  const expectedLines = expected.trimEnd().split("\n");
  const actualLines = actual.trimEnd().split("\n");
  const wantLoc = lastLocation(expectedLines);
  const gotLoc = lastLocation(actualLines);
  if (wantLoc !== gotLoc) return `location ${gotLoc} instead of ${wantLoc}`;
  const missing = quotedTokens(expected).filter((t) => !actual.includes(t));
  if (missing.length > 0) return `message lacks ${missing.join(", ")}`;
  const wantContext = contextLines(expected).join("\n");
  const gotContext = contextLines(actual).join("\n");
  if (wantContext !== gotContext) return `context lines\n${gotContext}\ninstead of\n${wantContext}`;
  return null;
}

/** How to compare one suite: the load options, and how the release's .out and our dump become comparable. */
export interface SuiteOptions {
  readonly load?: LoadOptions;
  /** The .out in our dump's conventions (default: as it is). */
  readonly expectedDump?: (out: string) => string;
  /** Our dump in the form compared (default: as it is). */
  readonly actualDump?: (dump: string) => string;
}

function runCase(name: string, expectedOut: string, expectedErr: string, options: SuiteOptions): string | null {
  let out: string;
  try {
    out = dumpSchema(loadSchema(`${name}.json`, options.load));
  } catch (error) {
    if (!(error instanceof QapiError)) return `crashed: ${error instanceof Error ? error.stack : String(error)}`;
    if (!expectedErr) return `unexpected error:\n${error.report()}`;
    return compareError(expectedErr, error.report());
  }
  if (expectedErr) return `no error; expected:\n${expectedErr}`;
  const expected = options.expectedDump ? options.expectedDump(expectedOut) : expectedOut;
  const actual = options.actualDump ? options.actualDump(out) : out;
  return actual === expected ? null : `dump differs from ${name}.out`;
}

/**
 * Runs every case of the suite in `dir` the way QEMU's test-qapi.py does
 * (cwd = the suite directory, relative file names).
 */
export function runSuite(dir: string, options: SuiteOptions = {}): CaseResult[] {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    const results: CaseResult[] = [];
    for (const file of readdirSync(".")
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      const name = file.slice(0, -".json".length);
      if (notACase.has(name)) continue;
      const expectedOut = readOptional(`${name}.out`);
      const expectedErr = readOptional(`${name}.err`);
      if (!expectedOut && !expectedErr) continue; // an include fragment
      results.push({ name, valid: !expectedErr, problem: runCase(name, expectedOut, expectedErr, options) });
    }
    return results;
  } finally {
    process.chdir(previous);
  }
}

/** "QEMU V: N/M cases conform (valid …, invalid …)". */
export function summary(version: string, results: CaseResult[]): string {
  const passed = results.filter((r) => r.problem === null);
  const validPassed = passed.filter((r) => r.valid).length;
  const valid = results.filter((r) => r.valid).length;
  return (
    `QEMU ${version}: ${passed.length}/${results.length} cases conform ` +
    `(valid ${validPassed}/${valid}, invalid ${passed.length - validPassed}/${results.length - valid})`
  );
}
