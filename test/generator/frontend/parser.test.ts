/**
 * QEMU's front-end test suite (tests/qapi-schema/) against the parser stage.
 *
 * For every case whose expected error (X.err) is one the parser raises, the
 * parser must fail at the same place (include chain, FILE:LINE[:COL]) naming
 * the same quoted tokens; every other case must parse without error, because
 * a later stage (check-exprs, the model) rejects it or it is valid. The
 * parser runs from the suite's directory with relative file names, as
 * QEMU's test runner does. docLint is on: these are QEMU 10.2's rules.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { QapiError } from "../../../generator/frontend/errors.js";
import { SchemaParser } from "../../../generator/frontend/parser.js";
import { rulesFor } from "../../../generator/frontend/release-rules.js";
import { qemuSourceDir } from "../../../scripts/lib/qemu-sources.js";

/** QEMU's messages for the errors the parser stage raises (the rest come later). */
const parserStageMessages = [
  /^stray '/,
  /^missing terminating "'"/,
  /^unknown escape /,
  /^funny character in string/,
  /^expected /,
  /^duplicate key '/,
  /^top-level expression must be an object/,
  /^invalid '(include|pragma)' directive/,
  /^value of '(include|pragma)' must be/,
  /^can't read (include|schema) file/,
  /^inclusion loop for /,
  /^pragma /,
  /^unknown pragma /,
  /^documentation for '.*' is not followed by the definition/,
  /^definition documentation required/,
  /^junk after '##'/,
  /^documentation comment must end with '##'/,
  /^missing space after #/,
  /^line should end with ':'/,
  /^name required after '@'/,
  /^duplicated '.*' (line|section)/,
  /^feature descriptions expected/,
  /^description of '@.*:' follows a section/,
  /^'@.*:' not allowed in free-form documentation/,
  /^unexpected de-indent/,
  /^documentation line longer than 70 characters/,
  /^Use two spaces between sentences/,
  /^The '.*' section is no longer supported/,
  /^text required after '/,
  /^invalid parameter name/,
  /^'.*' parameter name duplicated/,
];

/** The single-quoted tokens of a message, in order; an apostrophe inside a word ("can't") opens none. */
function quotedTokens(message: string): string[] {
  return message.match(/(?<![\p{L}\p{N}_])'[^']*'/gu) ?? [];
}

/** Split QEMU's expected stderr into the location part (context lines and FILE:LINE[:COL]) and the message. */
function splitExpected(text: string): { location: string; message: string } {
  const match = /^((?:.*\n)*?[^\s:]+\.json:\d+(?::\d+)?): ([^]*)$/.exec(text);
  if (match) return { location: match[1]!, message: match[2]! };
  return { location: "", message: text };
}

const suiteDir = join(qemuSourceDir("10.2.2"), "tests", "qapi-schema");
const suiteFiles = new Set(readdirSync(suiteDir));
/** Every case with an expected-error file and a schema, plus the one whose schema is missing on purpose. */
const cases = [...suiteFiles]
  .filter((name) => name.endsWith(".err"))
  .map((name) => name.replace(/\.err$/, ""))
  .filter((name) => suiteFiles.has(`${name}.json`) || name === "missing-schema")
  .filter((name) => name !== "event-args-if-unboxed")
  .sort();

process.chdir(suiteDir);

test("the suite has QEMU's test cases", () => {
  assert.ok(cases.length > 200, `only ${cases.length} cases found in ${suiteDir}`);
});

for (const name of cases) {
  const expected = readFileSync(`${name}.err`, "utf8").trimEnd();
  const { location, message } = splitExpected(expected);
  const parserStage = expected !== "" && parserStageMessages.some((pattern) => pattern.test(message));
  test(`${name}: ${parserStage ? "parser fails like QEMU" : "parses"}`, () => {
    let error: unknown = null;
    try {
      new SchemaParser(`${name}.json`, { rules: rulesFor("10.2.0") });
    } catch (err) {
      error = err;
    }
    if (!parserStage) {
      assert.equal(error, null, `expected no parser error, got: ${String(error)}`);
      return;
    }
    assert.ok(error instanceof QapiError, `expected a QapiError, got: ${String(error)}`);
    assert.equal(error.info ? error.info.toString() : "", location);
    assert.deepEqual(quotedTokens(error.msg), quotedTokens(message), `message: ${error.msg}`);
  });
}
