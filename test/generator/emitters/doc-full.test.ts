/**
 * Unit tests of generator/emitters/doc-full.ts: where each section of a QAPI doc
 * comment goes in `--docs full`, and that hostile text stays inside the comment.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { generate, loadSchema } from "../../../generator/index.js";

/** In no QEMU tree: read by QEMU 9.1's rules, the newest that accept its legacy "Note:" and "Example:". */
const schemaText = `
{ 'pragma': { 'doc-required': true, 'command-returns-exceptions': [ 'do-it' ] } }

##
# = A chapter
#
# Free-form text that no declaration carries.
##

##
# @do-it:
#
# Does it.  Hostile: */ and \${x} and \`tick.
#
# @arg: the \`\`arg\`\`, see @other
#
# @other: the other
#
# Returns: the count
#
# Errors:
#     - If @arg is bad, GenericError
#
# More prose after the members.
#
# Note: a legacy note with */ inside
#
# Example:
#     -> { "execute": "do-it", "arguments": { "arg": "*/" } }
#     <- { "return": 1 }
#     @not-a-tag
#
# TODO: internal only
#
# Since: 2.0
##
{ 'command': 'do-it', 'data': { 'arg': 'str', 'other': 'int' }, 'returns': 'int' }

##
# @Mode:
#
# A mode.
#
# @fast: go fast
#
# @slow: go slow
#
# Features:
#
# @unstable: fast is new
#
# Since: 2.0
##
{ 'enum': 'Mode', 'data': [ { 'name': 'fast', 'features': [ 'unstable' ] }, 'slow' ] }
`;

async function generated(): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), "doc-full-"));
  try {
    const file = join(dir, "s.json");
    writeFileSync(file, schemaText);
    const files = await generate(loadSchema(file), { name: "t", sourceLabel: "s.json", docs: "full", format: false });
    return Object.fromEntries(files.map((f) => [f.path, f.content]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The doc comment right before the line containing `marker`. */
function docBefore(source: string, marker: string): string {
  const at = source.indexOf(marker);
  assert.ok(at >= 0, `no ${marker}`);
  const start = source.lastIndexOf("/**", at);
  return source.slice(start, source.indexOf("*/", start) + 2);
}

test("a command's doc carries every section but TODO, in TSDoc's order", async () => {
  const doc = docBefore((await generated())["commands.ts"]!, '"do-it": {');
  const order = [
    "Does it.",
    "More prose after the members.",
    "@remarks",
    "@example",
    "@throws",
    "@returns the count",
    "@since 2.0",
  ];
  const positions = order.map((s) => doc.indexOf(s));
  assert.ok(
    positions.every((p) => p >= 0),
    `missing one of ${order.join(", ")} in\n${doc}`,
  );
  assert.deepEqual(
    [...positions].sort((a, b) => a - b),
    positions,
  );
  assert.ok(!doc.includes("internal only"));
  assert.ok(doc.includes("- If `arg` is bad, GenericError"));
  assert.ok(doc.includes('-> { "execute": "do-it", "arguments": { "arg": "*\\/" } }'));
});

test("hostile text never closes the comment nor starts a tag", async () => {
  const doc = docBefore((await generated())["commands.ts"]!, '"do-it": {');
  assert.equal(doc.indexOf("*/"), doc.length - 2);
  assert.ok(doc.includes("${x}"));
  // Indented or not, an @ that starts a line's text would be a TSDoc tag: it must stay escaped.
  assert.match(doc, /^\s*\* +\\@not-a-tag$/m);
});

test("member and enum value descriptions go on the members, features on the definition", async () => {
  const types = (await generated())["types.ts"]!;
  assert.ok(docBefore(types, "arg: string").includes("the `arg`, see `other`"));
  const fast = docBefore(types, '| "fast"');
  assert.ok(fast.includes("go fast") && fast.includes("@experimental"));
  assert.ok(docBefore(types, "export type Mode").includes("- `unstable`: fast is new"));
});

test("free-form doc blocks are left out", async () => {
  const all = Object.values(await generated()).join("\n");
  assert.ok(!all.includes("A chapter"));
  assert.ok(!all.includes("Free-form text"));
});
