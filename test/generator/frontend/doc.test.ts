/**
 * Doc comments: the reader (sections, indentation, legacy syntax, lint),
 * QapiDoc's checks for the model stage, and dumpDoc() against QEMU's
 * doc-good.out.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { type DocumentedMember, dumpDoc, type QapiDoc } from "../../../generator/frontend/doc.js";
import { QapiError, QapiParseError, QapiSemanticError } from "../../../generator/frontend/errors.js";
import { type ParsedExpr, type QapiObject, SchemaParser } from "../../../generator/frontend/parser.js";
import { rulesFor } from "../../../generator/frontend/release-rules.js";
import { qemuSourceDir } from "../../../scripts/lib/qemu-sources.js";

const root = mkdtempSync(join(tmpdir(), "qapi-ts-doc-"));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** Parse `source` as file "t.json" (from its directory) in the given mode. */
/** Parses `source` by QEMU 10.2's rules (`true`), 7.2's (`false`) or the given release's. */
function parse(source: string, docLint: boolean | string = true): SchemaParser {
  const name = `t${++counter}.json`;
  writeFileSync(join(root, name), source);
  process.chdir(root);
  const release = typeof docLint === "string" ? docLint : docLint ? "10.2.0" : "7.2.0";
  return new SchemaParser(name, { rules: rulesFor(release) });
}

/** The error parsing `source` raises; fails when it parses. */
function errorOf(source: string, docLint: boolean | string = true): QapiError {
  try {
    parse(source, docLint);
  } catch (err) {
    assert.ok(err instanceof QapiError, `not a QapiError: ${String(err)}`);
    return err;
  }
  assert.fail("parsing succeeded");
}

/** Doc comment lines → source text with "# " prefixes (not for lines starting with "#"), "##" around, and `expr` after. */
function docBlock(lines: string[], expr = ""): string {
  const prefixed = lines.map((line) => (line === "" ? "#" : line.startsWith("#") ? line : `# ${line}`));
  return ["##", ...prefixed, "##", expr].join("\n") + "\n";
}

/** Strip the member-name decoration ('*') QAPI uses for optional members. */
const bare = (key: string): string => key.replace(/^\*/, "");

/** The features listed in an expression or member definition. */
function featuresOf(definition: QapiObject): DocumentedMember[] {
  const features = definition.get("features");
  if (!Array.isArray(features)) return [];
  return features.map((f) => ({
    name: typeof f === "string" ? f : ((f as QapiObject).get("name") as string),
    info: null,
    role: "feature",
  }));
}

/**
 * Connect members and features the way the model does for the kinds of
 * definitions in doc-good.json, then run the doc checks.
 */
function connectLikeModel({ expr, info, doc }: ParsedExpr): void {
  if (!doc) return;
  for (const feature of featuresOf(expr)) doc.connectFeature(feature);
  const data = expr.get("data");
  const members: [string, QapiObject | null][] = [];
  if (expr.has("enum") && Array.isArray(data)) {
    for (const m of data)
      members.push(typeof m === "string" ? [m, null] : [(m as QapiObject).get("name") as string, m as QapiObject]);
  } else if (!expr.has("union") && !expr.get("boxed") && data instanceof Map) {
    for (const [key, value] of data) members.push([bare(key), value instanceof Map ? value : null]);
  }
  for (const [name, definition] of members) {
    doc.connectMember({ name, info, role: expr.has("enum") ? "value" : "member" });
    if (definition) for (const feature of featuresOf(definition)) doc.connectFeature(feature);
  }
  doc.checkExpr(expr);
  doc.check();
}

test("dumpDoc reproduces the doc part of QEMU's doc-good.out", () => {
  const suite = join(qemuSourceDir("10.2.2"), "tests", "qapi-schema");
  process.chdir(suite);
  const parser = new SchemaParser("doc-good.json", { rules: rulesFor("10.2.0") });
  for (const parsed of parser.exprs) connectLikeModel(parsed);
  const expected = readFileSync("doc-good.out", "utf8");
  assert.equal(parser.docs.map(dumpDoc).join(""), expected.slice(expected.search(/^doc /m)));
});

test("definition docs: body, members, features, tagged and plain sections", () => {
  const parser = parse(
    docBlock(
      [
        "@cmd:",
        "",
        "Does things.",
        "",
        "@a: first",
        "    continued",
        "@b:",
        "    on the next line",
        "",
        "Features:",
        "",
        "@f: a feature",
        "",
        "Returns: something",
        "   more",
        "",
        "Errors: sometimes",
        "",
        "A plain paragraph",
        "on two lines",
        "",
        "TODO: later",
        "Since: 1.0",
      ],
      "{ 'command': 'cmd', 'data': { 'a': 'int', 'b': 'int' }, 'returns': 'X', 'features': [ 'f' ] }",
    ),
  );
  const doc = parser.docs[0]!;
  assert.equal(parser.exprs[0]!.doc, doc);
  assert.equal(doc.symbol, "cmd");
  assert.equal(doc.body.text, "Does things.");
  assert.deepEqual(
    [...doc.args].map(([n, s]) => [n, s.text, s.info.line]),
    [
      ["a", "first\n    continued", 6],
      ["b", "    on the next line", 8],
    ],
  );
  assert.deepEqual(
    [...doc.features].map(([n, s]) => [n, s.text]),
    [["f", "a feature"]],
  );
  assert.deepEqual(
    doc.sections.map((s) => [s.kind, s.text]),
    [
      ["Returns", "something\n   more"],
      ["Errors", "sometimes"],
      ["Plain", "A plain paragraph\non two lines"],
      ["Todo", "later"],
      ["Since", "1.0"],
    ],
  );
  assert.equal(doc.returns?.info.line, 15);
  assert.equal(doc.errors?.info.line, 18);
  assert.equal(doc.since?.text, "1.0");
  assert.deepEqual(
    doc.allSections.map((s) => s.kind),
    ["Plain", "Member", "Member", "Feature", "Returns", "Errors", "Plain", "Todo", "Since"],
  );
});

test("'Tag::' is rST markup, not a section", () => {
  const doc = parse(docBlock(["@S:", "", "Example::", "", "  literal"], "{ 'struct': 'S' }")).docs[0]!;
  assert.deepEqual(doc.sections, []);
  assert.equal(doc.body.text, "Example::\n\n  literal");
});

test("free-form docs are one body; '@name:' is not allowed there", () => {
  const parser = parse(docBlock(["Title", "=====", "", "Text"]));
  assert.equal(parser.docs[0]!.symbol, null);
  assert.equal(parser.docs[0]!.body.text, "Title\n=====\n\nText");
  const err = errorOf(docBlock(["Text", "@x: no"]));
  assert.ok(err instanceof QapiParseError);
  assert.equal(err.info?.loc(), `t${counter}.json:3:1`);
  assert.match(err.msg, /'@x:'/);
});

test("indentation: one de-indent right after the first indented line is an error", () => {
  const err = errorOf(docBlock(["@S:", "@a: one", "  two", "three"], "{ 'struct': 'S', 'data': { 'a': 'int' } }"));
  assert.equal(err.info?.loc(), `t${counter}.json:5:1`);
  assert.match(err.msg, /2/);
  // QEMU lets a later de-indent end the description: it becomes a plain section.
  const doc = parse(
    docBlock(["@S:", "@a: one", "  two", "  three", "four"], "{ 'struct': 'S', 'data': { 'a': 'int' } }"),
  ).docs[0]!;
  assert.equal(doc.args.get("a")!.text, "one\n  two\n  three");
  assert.deepEqual(
    doc.sections.map((s) => [s.kind, s.text]),
    [["Plain", "four"]],
  );
});

test("section errors name QEMU's tokens at QEMU's locations", () => {
  const cases: [string[], string, RegExp][] = [
    [["@S:", "Since: 1", "Since: 2"], ":4", /'Since'/],
    [["@S:", "@a: x", "@a: y"], ":4", /'a'/],
    [["@S:", "@: x"], ":3", /^[^']*$/],
    [["@S:", "Since:"], ":3", /'Since:'/],
    [["@S:", "@a:"], ":3", /'Member:'/],
    [["@S:", "Features:", "@f: x", "Features:"], ":5:1", /'Features:'/],
    [["@S:", "Features:", "", "text"], ":5:1", /^[^']*$/],
    [["@S:", "Since: 1", "@a: x"], ":4:1", /'@a:'/],
    [["@S"], ":2:1", /':'/],
    [["@:"], ":2:1", /'@'/],
    [["#bad"], ":2:1", /^[^']*$/],
  ];
  for (const [lines, location, tokens] of cases) {
    const err = errorOf(docBlock(lines, "{ 'struct': 'S', 'data': { 'a': 'int' } }"));
    assert.equal(err.info?.loc(), `t${counter}.json${location}`, lines.join(" | "));
    assert.match(err.msg, tokens, lines.join(" | "));
  }
});

test("doc block framing: junk after '##', unterminated blocks, docs before directives", () => {
  assert.match(errorOf("## x\n##\n").msg, /'##'/);
  assert.match(errorOf("##\n# @S:\n## x\n").msg, /'##'/);
  const unterminated = errorOf("##\n# text\n{ 'struct': 'S' }\n");
  assert.equal(unterminated.info?.loc(), `t${counter}.json:3:1`);
  assert.match(errorOf(docBlock(["@S:"], "{ 'include': 'x.json' }")).msg, /'S'/);
  assert.match(errorOf(docBlock(["@S:"])).msg, /'S'/);
  const freeForm = errorOf(docBlock(["just text"], "{ 'struct': 'S' }"));
  assert.ok(freeForm instanceof QapiSemanticError);
  assert.equal(freeForm.info?.loc(), `t${counter}.json:1`);
});

test("lint: long lines (URLs and literal blocks exempt) and single spaces after sentences", () => {
  const long = "word ".repeat(14) + "end";
  const err = errorOf(docBlock(["@S:", long], "{ 'struct': 'S' }"));
  assert.equal(err.info?.loc(), `t${counter}.json:3:1`);
  assert.match(err.msg, /70/);
  parse(docBlock(["@S:", `https://example.org/${"x".repeat(80)}`, "", "::", "", `    ${long}`], "{ 'struct': 'S' }"));
  const spaces = errorOf(docBlock(["@S:", "One sentence. Another."], "{ 'struct': 'S' }"));
  assert.equal(spaces.info?.loc(), `t${counter}.json:3:16`);
  parse(docBlock(["@S:", "Use e.g. This, or", "1. List item"], "{ 'struct': 'S' }"));
  // Without the lint, both pass.
  parse(docBlock(["@S:", long, "One sentence. Another."], "{ 'struct': 'S' }"), false);
});

test("9.1's rules read Note/Example sections like other tagged sections; 10.2's reject them", () => {
  const source = docBlock(
    [
      "@cmd:",
      "",
      "Note: This is",
      "  old.",
      "",
      "Example:",
      "",
      '  -> { "execute": "cmd" }',
      '  <- { "return": {} }',
      "",
      "Since: 7.2",
    ],
    "{ 'command': 'cmd' }",
  );
  const doc = parse(source, "9.1.0").docs[0]!;
  assert.deepEqual(
    doc.sections.map((s) => [s.kind, s.text]),
    [
      ["Note", "This is\n  old."],
      ["Example", '  -> { "execute": "cmd" }\n  <- { "return": {} }'],
      ["Since", "7.2"],
    ],
  );
  const err = errorOf(source);
  assert.equal(err.info?.loc(), `t${counter}.json:4:1`);
  assert.match(err.msg, /'Note'.*'\.\. note::'/);
  assert.match(
    errorOf(docBlock(["@cmd:", "Examples: x"], "{ 'command': 'cmd' }")).msg,
    /'Examples'.*'\.\. qmp-example::'/,
  );
});

test("'@name :': text by the first doc grammar (its first word is no '@name:'), member 'name ' from 9.0", () => {
  const source = docBlock(["@S:", "", "@a : text"], "{ 'struct': 'S', 'data': { 'a': 'int' } }");
  const older = parse(source, false).docs[0]!;
  assert.deepEqual([...older.args.keys()], []);
  assert.equal(older.body.text, "@a : text");
  assert.deepEqual([...parse(source).docs[0]!.args.keys()], ["a "]);
});

test("7.2's rules: a description without text on its line continues on unindented lines", () => {
  const source = docBlock(
    ["@S:", "", "@a:", "* one", "* two", "@b: x"],
    "{ 'struct': 'S', 'data': { 'a': 'int', 'b': 'int' } }",
  );
  const doc = parse(source, false).docs[0]!;
  assert.equal(doc.args.get("a")!.text, "* one\n* two");
  assert.equal(doc.args.get("b")!.text, "x");
  assert.match(errorOf(source).msg, /'Member:'/);
});

/** A doc for struct S with members a, b documented and the given extra lines. */
function structDoc(extra: string[] = [], docLint = true): QapiDoc {
  return parse(docBlock(["@S:", "", "Body.", "", "@a: A", "@b: B", ...extra], "{ 'struct': 'S' }"), docLint).docs[0]!;
}

test("connectMember: undocumented members need the 'documentation-exceptions' pragma", () => {
  const doc = structDoc(["", "Features:", "@f: F", "", "Since: 1"]);
  doc.connectMember({ name: "a", info: doc.info, role: "member" });
  assert.throws(
    () => doc.connectMember({ name: "c", info: doc.info, role: "branch" }),
    (err: unknown) => err instanceof QapiSemanticError && /^branch 'c'/.test(err.msg),
  );
  doc.info.pragma.documentationExceptions = ["S"];
  doc.connectMember({ name: "c", info: doc.info, role: "member" });
  assert.deepEqual(
    doc.allSections.map((s) => (s.kind === "Member" ? `Member ${(s as { name?: string }).name}` : s.kind)),
    ["Plain", "Member a", "Member b", "Member c", "Feature", "Since"],
  );
  assert.deepEqual([...doc.args.keys()], ["a", "b", "c"]);
  assert.equal(doc.args.get("c")!.text, "");
  const legacy = structDoc([], false);
  legacy.connectMember({ name: "z", info: legacy.info, role: "member" });
  assert.ok(legacy.args.get("z")!.member);
});

test("check: documented names that do not exist, one or several", () => {
  let doc = structDoc();
  doc.connectMember({ name: "a", info: doc.info, role: "member" });
  assert.throws(
    () => doc.check(),
    (err: unknown) => err instanceof QapiSemanticError && err.msg.startsWith("member 'b' ") && err.info?.line === 7,
  );
  doc = structDoc(["", "Features:", "@f: F", "@g: G"]);
  doc.connectMember({ name: "a", info: doc.info, role: "member" });
  doc.connectMember({ name: "b", info: doc.info, role: "member" });
  assert.throws(
    () => doc.check(),
    (err: unknown) => err instanceof QapiSemanticError && err.msg.startsWith("features 'f', 'g' "),
  );
  assert.throws(
    () => doc.connectFeature({ name: "h", info: doc.info, role: "feature" }),
    (err: unknown) => err instanceof QapiSemanticError && /'h'/.test(err.msg),
  );
});

test("checkExpr: 'Returns' only for commands that return something, 'Errors' only for commands", () => {
  const object = (text: string): QapiObject => parse(text).exprs[0]!.expr;
  const withReturns = structDoc(["", "Returns: x"]);
  assert.throws(() => withReturns.checkExpr(object("{ 'struct': 'S' }")), /'Returns'/);
  assert.throws(() => withReturns.checkExpr(object("{ 'command': 'S' }")), /'Returns'/);
  withReturns.checkExpr(object("{ 'command': 'S', 'returns': 'X' }"));
  const withErrors = structDoc(["", "Errors: x"]);
  assert.throws(() => withErrors.checkExpr(object("{ 'event': 'S' }")), /'Errors'/);
  withErrors.checkExpr(object("{ 'command': 'S' }"));
});

test("ensureReturns: a stub after the members, else before Errors, else before features, else after the body", () => {
  const kinds = (doc: QapiDoc): string[] => doc.allSections.map((s) => s.kind);
  let doc = structDoc(["", "Since: 1"]);
  doc.ensureReturns(doc.info);
  assert.deepEqual(kinds(doc), ["Plain", "Member", "Member", "Returns", "Since"]);
  doc.ensureReturns(doc.info);
  assert.equal(kinds(doc).filter((k) => k === "Returns").length, 1);
  doc = parse(docBlock(["@S:", "Errors: e", "", "Features:", "@f: F"], "{ 'command': 'S' }")).docs[0]!;
  doc.ensureReturns(doc.info);
  assert.deepEqual(kinds(doc), ["Plain", "Returns", "Errors", "Feature"]);
  doc = parse(docBlock(["@S:", "Features:", "@f: F"], "{ 'command': 'S' }")).docs[0]!;
  doc.ensureReturns(doc.info);
  assert.deepEqual(kinds(doc), ["Plain", "Returns", "Feature"]);
  doc = parse(docBlock(["@S:", "Since: 1"], "{ 'command': 'S' }")).docs[0]!;
  doc.ensureReturns(doc.info);
  assert.deepEqual(kinds(doc), ["Plain", "Returns", "Since"]);
});

test("QEMU 10.2.2's own schemas read the same docs with and without the lint (10.1's rules)", () => {
  process.chdir(qemuSourceDir("10.2.2"));
  for (const file of ["qapi/qapi-schema.json", "qga/qapi-schema.json", "storage-daemon/qapi/qapi-schema.json"]) {
    const dump = (docLint: boolean): string =>
      new SchemaParser(file, { rules: rulesFor(docLint ? "10.2.0" : "10.1.0") }).docs.map(dumpDoc).join("");
    const linted = dump(true);
    assert.ok(linted.length > 10_000, file);
    assert.equal(dump(false), linted, file);
  }
});
