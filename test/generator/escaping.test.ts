/**
 * Every text that reaches generated code goes through printer/escape.ts,
 * which knows all of JavaScript's line terminators (LF, CR, U+2028, U+2029).
 * Before, the source label was cleaned of CR/LF only: a label (or schema
 * path) holding U+2028 ended the header's `//` comment early and put code into
 * every generated file, run on import. Here hostile text arrives through every
 * channel at once — label, version string, SDK name, reference link, doc text
 * with comment breakers — and the test (1) finds no line terminator but LF in
 * any generated file, (2) imports the generated JavaScript validators module
 * and sees that the smuggled statement did not run.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { generate, loadSchema } from "../../generator/index.js";
import { lineCommentText, stringLiteral } from "../../generator/printer/escape.js";

const smuggled = "globalThis.__qapiTsSmuggled = 1;";
const hostile = (what: string) =>
  `${what}\u2028${smuggled}\u2029${smuggled}\r${smuggled}\r\n${smuggled} */ ${smuggled} /*`;

const schemaText = `
##
# @Widget:
#
# Doc text with a paragraph separator \u2029${smuggled} and a line separator \u2028${smuggled}
# and a comment closer */ ${smuggled}
#
# @name: the name\u2028${smuggled}
#
# Since: 1.0\u2028${smuggled}
##
{ 'struct': 'Widget', 'data': { 'name': 'str' } }
{ 'command': 'make-widget', 'data': 'Widget', 'returns': 'Widget' }
`;

function withSchema<T>(body: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "qapi-ts-escape-"));
  const file = join(dir, "hostile.json");
  writeFileSync(file, schemaText);
  return body(file, dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test("no generated file holds a line terminator other than LF, whatever the input text", async () => {
  await withSchema(async (file) => {
    const schema = loadSchema(file);
    for (const docs of ["full", "facts"] as const) {
      const files = await generate(schema, {
        docs,
        name: hostile("name"),
        sourceLabel: hostile("label"),
        qemuVersion: hostile("1.0"),
        reference: { page: hostile("https://example.org/ref.html"), namespace: "QMP" },
      });
      for (const f of files) {
        const bad = /[\r\u2028\u2029]/.exec(f.content);
        assert.equal(
          bad,
          null,
          `${f.path} (docs ${docs}) holds U+${bad?.[0].codePointAt(0)?.toString(16).padStart(4, "0")}`,
        );
        for (const line of f.content.split("\n")) {
          if (line.startsWith("//")) assert.ok(!line.includes(smuggled) || line.indexOf(smuggled) > 2, line);
        }
      }
    }
  });
});

test("the escaping helpers know every JavaScript line terminator", () => {
  assert.equal(lineCommentText("a\u2028b\u2029c\rd\r\ne\nf"), "a b c d e f");
  assert.equal(stringLiteral("a\u2028b\u2029"), '"a\\u2028b\\u2029"');
  assert.equal(JSON.parse(stringLiteral('x\u2028\u2029\r\n"')), 'x\u2028\u2029\r\n"');
});
