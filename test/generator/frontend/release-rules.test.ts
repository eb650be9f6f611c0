/**
 * Which release's rules read a schema (generator/frontend/release-rules.ts,
 * schema-release.ts, the choice in generator/load-schema.ts): the table
 * folded at its boundaries, the VERSION file of a QEMU tree and only of
 * one, --qemu-version checked, and a schema in no tree read by the newest
 * rules that accept it.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { QapiError } from "../../../generator/frontend/errors.js";
import { eraReleases, newestRules, rulesFor } from "../../../generator/frontend/release-rules.js";
import { releaseOfSchemaFile } from "../../../generator/frontend/schema-release.js";
import { loadSchema } from "../../../generator/load-schema.js";

const dir = mkdtempSync(join(tmpdir(), "qapi-ts-rules-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes files under a fresh directory and returns its path. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(dir, "t-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, ".."), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

test("rulesFor folds the table: each switch flips at the first release that applies it", () => {
  assert.equal(rulesFor("6.1.1").simpleUnions, true);
  assert.equal(rulesFor("6.2.0").simpleUnions, false);
  assert.equal(rulesFor("8.2.8").docGrammar, "lines");
  assert.equal(rulesFor("9.0.0").docGrammar, "blocks");
  assert.equal(rulesFor("10.1.0").docLineLint, false);
  assert.equal(rulesFor("10.2.2").docLineLint, true);
  // Older than the table: its oldest rules; newer: its newest; development versions: their series'.
  assert.equal(rulesFor("2.12.0"), rulesFor("4.2.0"));
  assert.equal(rulesFor("11.0.0"), newestRules);
  assert.equal(rulesFor("10.0.50").release, "9.2.0");
  assert.deepEqual([...eraReleases].reverse()[0], "4.2.0");
});

test("the release of a schema file: the VERSION beside a qapi folder upwards, else none", () => {
  const qemu = tree({ VERSION: "7.1.0\n", "qapi/qapi-schema.json": "", "qga/qapi-schema.json": "" });
  assert.equal(releaseOfSchemaFile(join(qemu, "qga", "qapi-schema.json")), "7.1.0");
  assert.equal(releaseOfSchemaFile(join(qemu, "qapi", "qapi-schema.json")), "7.1.0");
  // Another project's VERSION file says nothing about QEMU.
  const other = tree({ VERSION: "1.2.3\n", "schema/s.json": "" });
  assert.equal(releaseOfSchemaFile(join(other, "schema", "s.json")), null);
  const garbage = tree({ VERSION: "v7.1\n", "qapi/s.json": "" });
  assert.equal(releaseOfSchemaFile(join(garbage, "qapi", "s.json")), null);
});

const simpleUnion = "{ 'struct': 'Point', 'data': { 'x': 'int' } }\n{ 'union': 'Shape', 'data': { 'dot': 'Point' } }\n";

test("the tree's release decides; --qemu-version overrides it", () => {
  const old = tree({ VERSION: "6.1.0\n", "qapi/s.json": simpleUnion });
  assert.ok(loadSchema(join(old, "qapi", "s.json")).lookupType("ShapeKind"));
  const newer = tree({ VERSION: "6.2.0\n", "qapi/s.json": simpleUnion });
  assert.throws(
    () => loadSchema(join(newer, "qapi", "s.json")),
    (error: unknown) => error instanceof QapiError && /s\.json:2: union lacks required keys/.test(error.report()),
  );
  assert.ok(loadSchema(join(newer, "qapi", "s.json"), { qemuVersion: "6.1.0" }).lookupType("ShapeKind"));
  assert.throws(
    () => loadSchema(join(newer, "qapi", "s.json"), { qemuVersion: "6.x" }),
    (error: unknown) => error instanceof QapiError && /'6\.x' is not a QEMU release/.test(error.report()),
  );
});

test("in no QEMU tree: the newest rules that accept the schema, and the furthest error when none does", () => {
  const loose = tree({ "s.json": simpleUnion });
  assert.ok(loadSchema(join(loose, "s.json")).lookupType("ShapeKind"));
  // A simple union (6.1's) and a conditional unboxed argument (refused from 8.1) fit one release: 6.1.
  const mixed = tree({
    "s.json": `${simpleUnion}{ 'command': 'draw', 'data': { 'x': { 'type': 'int', 'if': 'CONFIG_X' } } }\n`,
  });
  assert.ok(loadSchema(join(mixed, "s.json")).lookupEntity("draw"));
  // Rules before 6.2 fail at line 3 (an unknown type), newer ones at line 1 (the union): line 3 is reported.
  const broken = tree({
    "s.json": `{ 'union': 'Shape', 'data': { 'dot': 'Point' } }\n{ 'struct': 'Point', 'data': { 'x': 'int' } }\n{ 'struct': 'Bad', 'data': { 'x': 'Nope' } }\n`,
  });
  assert.throws(
    () => loadSchema(join(broken, "s.json")),
    (error: unknown) => error instanceof QapiError && /s\.json:3: .*'Nope'/.test(error.report()),
  );
});
