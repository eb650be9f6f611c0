/**
 * Unit tests for the parser stage's syntax handling: lexing corner cases,
 * value shapes, deep nesting, include and pragma directives, file reading.
 *
 * Every test writes its schema files into a fresh temporary directory and
 * parses them from there with relative names, so locations print as QEMU
 * prints them ("a.json:3:1").
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { QapiError, QapiParseError, QapiSemanticError } from "../../../generator/frontend/errors.js";
import { type ParseOptions, type QapiValue, SchemaParser } from "../../../generator/frontend/parser.js";
import { newestRules } from "../../../generator/frontend/release-rules.js";

const root = mkdtempSync(join(tmpdir(), "qapi-ts-parser-"));
after(() => rmSync(root, { recursive: true, force: true }));
let caseCounter = 0;

/** Write `files` (name → content) into a new directory, chdir there, and parse `main`. */
function parseFiles(
  files: Record<string, string | Buffer>,
  main = Object.keys(files)[0]!,
  options?: ParseOptions,
): SchemaParser {
  const dir = join(root, `case-${++caseCounter}`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  process.chdir(dir);
  return new SchemaParser(main, options);
}

/** Parse one file and return its only expression as plain JS data. */
function parseOne(source: string): unknown {
  const parser = parseFiles({ "one.json": source });
  assert.equal(parser.exprs.length, 1);
  return toPlain(parser.exprs[0]!.expr);
}

/** Maps → arrays of [key, value] pairs, so key order and '__proto__' keys stay visible. */
function toPlain(value: QapiValue): unknown {
  if (value instanceof Map) return [...value].map(([key, v]) => [key, toPlain(v)]);
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}

/** Parse and return the error's report() text; fails when parsing succeeds. */
function errorOf(files: Record<string, string | Buffer>, main?: string, options?: ParseOptions): QapiError {
  try {
    parseFiles(files, main, options);
  } catch (err) {
    assert.ok(err instanceof QapiError, `not a QapiError: ${String(err)}`);
    return err;
  }
  assert.fail("parsing succeeded");
}

test("strings: the only escape is \\\\", () => {
  assert.deepEqual(parseOne(String.raw`{ 'a\\b': 'x\\\\y' }`), [["a\\b", "x\\\\y"]]);
  const err = errorOf({ "e.json": String.raw`{ 'a': 'x\ny' }` });
  assert.ok(err instanceof QapiParseError);
  assert.equal(err.info?.loc(), "e.json:1:8");
  assert.match(err.msg, /\\n/);
  assert.match(errorOf({ "q.json": String.raw`{ 'a': 'x\'y' }` }).msg, /\\'/);
});

test("strings: printable ASCII only, error at the opening quote", () => {
  assert.equal(errorOf({ "c.json": "{ 'a': 'x\u00e9' }" }).info?.loc(), "c.json:1:8");
  assert.equal(errorOf({ "c.json": "{ 'a': 'x\u{1f600}' }" }).info?.loc(), "c.json:1:8");
  assert.equal(errorOf({ "c.json": "{ 'a': 'x\x7f' }" }).info?.loc(), "c.json:1:8");
  assert.equal(errorOf({ "u.json": "{ 'a': 'open\n}" }).info?.loc(), "u.json:1:8");
});

test("an escaped backslash before the closing quote ends the string", () => {
  assert.deepEqual(parseOne(String.raw`{ 'k': '\\' }`), [["k", "\\"]]);
});

test("keys keep source order and '__proto__' is an ordinary key", () => {
  const value = parseOne("{ 'z': 'last?', '__proto__': { 'constructor': 'x' }, 'a': [ true, false ] }");
  assert.deepEqual(value, [
    ["z", "last?"],
    ["__proto__", [["constructor", "x"]]],
    ["a", [true, false]],
  ]);
  assert.equal(({} as Record<string, unknown>)["constructor"], Object);
});

test("duplicate keys are reported at the repeated key's value", () => {
  const err = errorOf({ "d.json": "{ 'a': 'x',\n  'a': [] }" });
  assert.equal(err.info?.loc(), "d.json:2:8");
  assert.match(err.msg, /'a'/);
});

test("true and false are recognized by prefix, the rest is stray", () => {
  const err = errorOf({ "t.json": "{ 'a': trueish }" });
  assert.equal(err.info?.loc(), "t.json:1:12");
  assert.match(err.msg, /'ish'/);
});

test("stray text runs up to a structural, space or quote character", () => {
  assert.match(errorOf({ "s.json": "{ 'a': 12x3'b' }" }).msg, /'12x3'/);
  assert.match(errorOf({ "s.json": "{ 'a': -1, }" }).msg, /'-1'/);
  assert.match(errorOf({ "s.json": '{ "a": 1 }' }).msg, /'"a"'/);
});

test("columns: QEMU's tab arithmetic, and code points counted once", () => {
  // QEMU's (col + 7) % 8 + 1 keeps the column within 1..8 at a tab.
  assert.equal(errorOf({ "tab.json": "{ 'a':\t\tx }" }).info?.loc(), "tab.json:1:7");
  assert.equal(errorOf({ "tab.json": "{ 'abcd':\tx }" }).info?.loc(), "tab.json:1:2");
  assert.equal(errorOf({ "cp.json": "# \u{1f600}\n{ 'a': x }" }).info?.loc(), "cp.json:2:8");
});

test("CRLF and CR line ends count as one line each", () => {
  assert.equal(errorOf({ "crlf.json": "{ 'a': 'b' }\r\n\r\n{ 'c' 'd' }\r\n" }).info?.loc(), "crlf.json:3:7");
  assert.equal(errorOf({ "cr.json": "{ 'a': 'b' }\r{ 'c' 'd' }" }).info?.loc(), "cr.json:2:7");
});

test("a byte-order mark is a stray character", () => {
  assert.equal(errorOf({ "bom.json": "\ufeff{ 'a': 'b' }" }).info?.loc(), "bom.json:1:1");
});

test("invalid UTF-8 is a parse error at the first bad byte, in included files too", () => {
  const bad = (prefix: string, ...tail: number[]): Buffer => Buffer.concat([Buffer.from(prefix), Buffer.from(tail)]);
  assert.equal(errorOf({ "bad.json": bad("{", 0xff, 0x7d) }).info?.loc(), "bad.json:1:2");
  assert.equal(errorOf({ "bad.json": bad("\r\n# \u00e9t\u00e9 \n  ", 0xe2, 0x82) }).info?.loc(), "bad.json:3:3");
  assert.equal(errorOf({ "bad.json": bad("# ", 0xed, 0xa0, 0x80) }).info?.loc(), "bad.json:1:3");
  assert.equal(errorOf({ "bad.json": bad("# ", 0xc0, 0x80) }).info?.loc(), "bad.json:1:3");
  const err = errorOf({ "main.json": "{ 'include': 'sub.json' }", "sub.json": bad("\n# ok\n", 0xf8) }, "main.json");
  assert.ok(err instanceof QapiParseError);
  assert.equal(err.info?.toString(), "In file included from main.json:1:\nsub.json:3:1");
});

test("a file without a final newline parses, and errors at its end point past the last token", () => {
  assert.deepEqual(parseOne("{ 'a': 'b' }"), [["a", "b"]]);
  assert.equal(errorOf({ "end.json": "{ 'a': [ 'b'" }).info?.loc(), "end.json:1:13");
});

test("a 4 MB string is read in one piece", () => {
  const big = "x".repeat(4 << 20);
  const value = parseOne(`{ 'big': '${big}' }`) as [string, string][];
  assert.equal(value[0]![1].length, big.length);
});

test("deep nesting parses without exhausting the stack", () => {
  const depth = 200_000;
  let parser = parseFiles({ "arrays.json": `{ 'a': ${"[".repeat(depth)}${"]".repeat(depth)} }` });
  let level: QapiValue = parser.exprs[0]!.expr.get("a")!;
  let seen = 1;
  while (Array.isArray(level) && level.length === 1) {
    level = level[0]!;
    seen++;
  }
  assert.deepEqual(level, []);
  assert.equal(seen, depth);
  parser = parseFiles({ "objects.json": `${"{ 'k': ".repeat(depth)}'leaf'${" }".repeat(depth)}` });
  let object: QapiValue = parser.exprs[0]!.expr;
  seen = 0;
  while (object instanceof Map) {
    object = object.get("k")!;
    seen++;
  }
  assert.equal(object, "leaf");
  assert.equal(seen, depth);
  const err = errorOf({ "deep.json": `{ 'a': ${"[".repeat(depth)} }` });
  assert.ok(err instanceof QapiParseError);
  assert.equal(err.info?.loc(), `deep.json:1:${depth + 9}`);
});

test("top-level expressions must be objects; the location is the expression's start", () => {
  const err = errorOf({ "top.json": "\n  [ 'a' ]" });
  assert.ok(err instanceof QapiSemanticError);
  assert.equal(err.info?.loc(), "top.json:2");
});

test("include: paths are joined to the includer's directory without normalizing", () => {
  const parser = parseFiles({
    "main.json": "{ 'include': 'sub/a.json' }\n{ 'include': 'sub/a.json' }\n{ 'struct': 'Main' }",
    "sub/a.json": "{ 'include': '../sub/b.json' }\n{ 'struct': 'A' }",
    "sub/b.json": "{ 'struct': 'B' }",
  });
  const shown = parser.exprs.map(({ expr, info }) => `${info.loc()} ${JSON.stringify([...expr])}`);
  assert.deepEqual(shown, [
    'main.json:1 [["include","sub/a.json"]]',
    'sub/a.json:1 [["include","sub/../sub/b.json"]]',
    'sub/../sub/b.json:1 [["struct","B"]]',
    'sub/a.json:2 [["struct","A"]]',
    'main.json:2 [["include","sub/a.json"]]',
    'main.json:3 [["struct","Main"]]',
  ]);
  assert.equal(
    parser.exprs[2]!.info.toString(),
    "In file included from main.json:1:\nIn file included from sub/a.json:1:\nsub/../sub/b.json:1",
  );
});

test("include: './' stays in the joined path, absolute paths are taken as they are", () => {
  const parser = parseFiles({ "main.json": "{ 'include': 'a.json' }", "a.json": "{ 'struct': 'A' }" }, "./main.json");
  assert.deepEqual(
    parser.exprs.map(({ info }) => info.file),
    ["./main.json", "./a.json"],
  );
  // The a.json of the case before, by its absolute name.
  const absolute = join(process.cwd(), "a.json");
  const viaAbsolute = parseFiles({ "sub/main.json": `{ 'include': '${absolute}' }` });
  assert.equal(viaAbsolute.exprs[0]!.expr.get("include"), absolute);
  assert.equal(viaAbsolute.exprs[1]!.info.file, absolute);
});

test("include: errors in an included file carry the include chain", () => {
  const err = errorOf({ "main.json": "\n{ 'include': 'a.json' }", "a.json": "{ 'x' 'y' }" }, "main.json");
  assert.equal(err.report().split(": ")[0], "In file included from main.json:2:\na.json:1:7");
});

test("include: cycles are reported at the directive that closes them, with the chain", () => {
  const err = errorOf({ "a.json": "{ 'include': 'b.json' }", "b.json": "{ 'include': 'a.json' }" }, "a.json");
  assert.equal(err.info?.toString(), "In file included from a.json:1:\nb.json:1");
  assert.match(err.msg, /a\.json/);
  assert.match(errorOf({ "self.json": "{ 'include': './self.json' }" }).msg, /\.\/self\.json/);
});

test("include: a missing file is reported at the directive, naming the joined path", () => {
  const err = errorOf({ "dir/main.json": "{ 'include': 'nope.json' }" }, "dir/main.json");
  assert.equal(err.info?.loc(), "dir/main.json:1");
  assert.match(err.msg, /'dir\/nope\.json'.*No such file or directory/);
});

test("include: a chain of thousands of nested files does not exhaust the stack", () => {
  const depth = 3000;
  const files: Record<string, string> = {};
  for (let i = 0; i < depth; i++) files[`f${i}.json`] = `{ 'include': 'f${i + 1}.json' }\n{ 'struct': 'S${i}' }`;
  files[`f${depth}.json`] = "{ 'struct': 'Last' }";
  const parser = parseFiles(files, "f0.json");
  assert.equal(parser.exprs.length, 2 * depth + 1);
  assert.equal(parser.exprs[2 * depth]!.expr.get("struct"), "S0");
  assert.equal(parser.exprs[depth]!.expr.get("struct"), "Last");
});

test("include: malformed directives", () => {
  assert.match(errorOf({ "i.json": "{ 'include': 'a.json', 'x': 'y' }" }).msg, /'include'/);
  assert.match(errorOf({ "i.json": "{ 'include': [ 'a.json' ] }" }).msg, /'include'/);
});

test("the main file missing is an error without location", () => {
  process.chdir(root);
  assert.throws(
    () => new SchemaParser("no-such-schema.json"),
    (err: unknown) => err instanceof QapiError && err.info === null && /'no-such-schema\.json'/.test(err.report()),
  );
});

test("pragmas: one record for the whole schema, included files too", () => {
  const parser = parseFiles({
    "main.json": "{ 'include': 'p.json' }\n{ 'pragma': { 'doc-required': true } }\n{ 'struct': 'S' }",
    "p.json":
      "{ 'pragma': { 'command-name-exceptions': [ 'a_b' ], 'command-returns-exceptions': [ 'c' ],\n" +
      "  'documentation-exceptions': [ 'D' ], 'member-name-exceptions': [ 'E' ] } }",
  });
  const info = parser.exprs.at(-1)!.info;
  assert.deepEqual(info.pragma, {
    docRequired: true,
    commandNameExceptions: ["a_b"],
    commandReturnsExceptions: ["c"],
    documentationExceptions: ["D"],
    memberNameExceptions: ["E"],
    // Outside a QEMU tree: the newest rules.
    rules: newestRules,
  });
  assert.equal(parser.pragma, info.pragma);
  assert.equal(parser.exprs[1]!.info.pragma, info.pragma);
});

test("pragmas: unknown names and wrong value types", () => {
  assert.match(errorOf({ "p.json": "{ 'pragma': { 'nope': true } }" }).msg, /'nope'/);
  assert.match(errorOf({ "p.json": "{ 'pragma': { 'doc-required': 'yes' } }" }).msg, /'doc-required'/);
  assert.match(
    errorOf({ "p.json": "{ 'pragma': { 'member-name-exceptions': [ true ] } }" }).msg,
    /member-name-exceptions/,
  );
  assert.match(errorOf({ "p.json": "{ 'pragma': [ ] }" }).msg, /'pragma'/);
  assert.match(errorOf({ "p.json": "{ 'pragma': { }, 'x': 'y' }" }).msg, /'pragma'/);
});

test("errors print QEMU's layout, including the definition set by later stages", () => {
  const err = errorOf(
    { "main.json": "{ 'include': 'a.json' }", "a.json": "\n{ 'command': 'x' }\n'oops'" },
    "main.json",
  );
  assert.equal(err.report().split(": ")[0], "In file included from main.json:1:\na.json:3");
  const parser = parseFiles({ "main.json": "{ 'include': 'a.json' }", "a.json": "\n{ 'command': 'x' }" });
  const info = parser.exprs[1]!.info;
  info.setDefn("command", "x");
  const semantic = new QapiSemanticError(info, "something is wrong");
  assert.equal(
    String(semantic),
    "In file included from main.json:1:\na.json: In command 'x':\na.json:2: something is wrong",
  );
  assert.equal(semantic.report(), String(semantic));
});
