/**
 * `generate({ history })`: with a version history, the docs of members, enum
 * values, commands, events and types say which release first had them and
 * since when they are deprecated (generator/emitters/history-facts.ts,
 * doc-facts.ts). A tiny hand-made schema and history, so every case is
 * visible here: agreement with the doc's Since (one line), the history alone,
 * "or earlier" at the history's first release, a span over releases no
 * snapshot covers, disagreement, and a deprecation's start.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { generate, loadSchema, type History } from "../../../generator/index.js";

const dir = mkdtempSync(join(tmpdir(), "qapi-ts-history-docs-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const schemaFile = join(dir, "schema.json");
writeFileSync(
  schemaFile,
  `##
# @Color:
#
# @red: red
#
# @green: green (since 2.0)
#
# @blue: blue
#
# Since: 1.0
##
{ 'enum': 'Color', 'data': [ 'red', 'green', 'blue' ] }

##
# @Box:
#
# @size: size
#
# @color: color (since 3.0)
#
# @old: old
#
# @fresh: fresh
#
# @unknown: not in the history
#
# Features:
#
# @deprecated: old is
##
{ 'struct': 'Box',
  'data': { 'size': 'int', '*color': 'Color',
            '*old': { 'type': 'int', 'features': [ 'deprecated' ] },
            '*fresh': 'str', '*unknown': 'str' } }

##
# @open-box:
#
# @box: which
#
# Since: 1.0
##
{ 'command': 'open-box', 'data': { 'box': 'Box' } }

##
# @close-box:
#
# Features:
#
# @deprecated: gone soon
#
# Since: 6.0
##
{ 'command': 'close-box', 'features': [ 'deprecated' ] }

##
# @BOX_OPENED:
#
# Since: 2.0
##
{ 'event': 'BOX_OPENED' }
`,
);

// 5.0.0 has no snapshot: what the history cannot decide there stays open.
const history: History = {
  sdk: "test",
  releases: ["4.2.0", "5.0.0", "6.0.0", "7.0.0"],
  snapshots: ["4.2.0", "6.0.0", "7.0.0"].map((release) => ({ release, kind: "source", label: `test ${release}` })),
  commands: {
    "open-box": { in: "4.2.0-7.0.0", since: "1.0.0", arg: "q_obj_open-box-arg", ret: "q_empty" },
    "close-box": {
      in: "6.0.0-7.0.0",
      since: "6.0.0",
      features: { deprecated: "7.0.0" },
      arg: "q_empty",
      ret: "q_empty",
    },
  },
  events: { BOX_OPENED: { in: "5.0.0-7.0.0", since: "2.0.0", data: "q_empty" } },
  types: {
    Color: {
      meta: "enum",
      in: "4.2.0-7.0.0",
      since: "1.0.0",
      values: { red: {}, green: { in: "6.0.0-7.0.0", since: "2.0.0" }, blue: { in: "7.0.0" } },
    },
    Box: {
      meta: "object",
      in: "4.2.0-7.0.0",
      members: {
        size: { type: "int" },
        color: { in: "5.0.0-7.0.0", since: "3.0.0", type: "Color", opt: true },
        old: { type: "int", opt: true, features: { deprecated: "6.0.0-7.0.0" } },
        fresh: { in: "7.0.0", maybe: "6.0.0", type: "str", opt: true },
      },
    },
    "q_obj_open-box-arg": { meta: "object", in: "4.2.0-7.0.0", members: { box: { type: "Box" } } },
  },
};

async function files(docs: "facts" | "full", withHistory = true): Promise<Record<string, string>> {
  const out = await generate(loadSchema(schemaFile, { docLint: false }), {
    docs,
    ...(withHistory ? { history } : {}),
  });
  return Object.fromEntries(out.map((f) => [f.path, f.content]));
}

/** The doc comment right before `line` (a declaration or member line, matched at its start after indentation). */
function docBefore(text: string, line: string): string {
  const at = text.search(new RegExp(`\\n\\s*${line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  assert.ok(at >= 0, `no line ${line}`);
  const start = text.lastIndexOf("/**", at);
  const end = text.lastIndexOf("*/", at);
  return start >= 0 && end > start && text.slice(end + 2, at).trim() === "" ? text.slice(start, end + 2) : "";
}

test("members: the doc's version when the history agrees, the history's otherwise", async () => {
  const { "types.ts": types } = await files("facts");
  // No Since anywhere and present in the history's first release: not claimed exactly.
  assert.equal(docBefore(types!, "size:"), "/** @since 4.2 or earlier */");
  assert.equal(docBefore(types!, "color?:"), "/** @since 5.0 (the doc says 3.0) */");
  assert.equal(
    docBefore(types!, "old?:"),
    "/**\n   * @deprecated This member has the QAPI feature 'deprecated' (since between 5.0 and 6.0).\n   * @since 4.2 or earlier\n   */",
  );
  assert.equal(docBefore(types!, "fresh?:"), "/** @since between 6.0 and 7.0 */");
  // A member the history does not know keeps what its doc says: nothing.
  assert.equal(docBefore(types!, "unknown?:"), "");
  // A command argument without a note of its own is as old as its command, which the history confirms.
  assert.equal(docBefore(types!, "box:"), "/** @since 1.0 */");
});

test("enum values: a line only when they came later than their type", async () => {
  const { "types.ts": types } = await files("facts");
  assert.match(types!, /export type Color =\n {2}\| "red"\n/);
  assert.equal(docBefore(types!, '| "green"'), "/** @since 6.0 (the doc says 2.0) */");
  assert.equal(docBefore(types!, '| "blue"'), "/** @since 7.0 (the doc says 1.0) */");
  assert.equal(docBefore(types!, "export type Color ="), "/** @since 1.0 */");
});

test("commands and events: one line when the doc agrees, the deprecation's release", async () => {
  const { "commands.ts": commands, "events.ts": events } = await files("facts");
  assert.equal(docBefore(commands!, '"open-box":'), "/** @since 1.0 */");
  assert.match(
    docBefore(commands!, '"close-box":'),
    /@deprecated This command has the QAPI feature 'deprecated' \(since 7\.0\)\.\n\s+\* @since 6\.0\n/,
  );
  assert.match(
    docBefore(commands!, "export function closeBox"),
    /@deprecated This command has the QAPI feature 'deprecated' \(since 7\.0\)\./,
  );
  assert.equal(docBefore(events!, "BOX_OPENED:"), "/** @since 5.0 (the doc says 2.0) */");
});

test("full docs carry the same facts after the doc text", async () => {
  const { "types.ts": types } = await files("full");
  assert.equal(docBefore(types!, "size:"), "/**\n   * size\n   * @since 4.2 or earlier\n   */");
  assert.match(docBefore(types!, "color?:"), /color \(since 3\.0\)\n\s+\* @since 5\.0 \(the doc says 3\.0\)\n/);
});

test("without a history the docs say only what the doc comments say", async () => {
  const { "types.ts": types, "events.ts": events } = await files("facts", false);
  assert.equal(docBefore(types!, "size:"), "");
  assert.equal(docBefore(types!, "color?:"), "/** @since 3.0 */");
  assert.equal(docBefore(events!, "BOX_OPENED:"), "/** @since 2.0 */");
  assert.doesNotMatch(types!, /or earlier|the doc says/);
});
