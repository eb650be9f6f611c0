/** Unit tests of generator/printer/jsdoc.ts: nothing can break out of a comment. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeCommentText, jsDoc } from "../../../generator/printer/jsdoc.js";

test("*/ and /* are defused", () => {
  assert.equal(escapeCommentText("a */ b /* c"), "a *\\/ b /\\* c");
});

test("a line-leading @ is not a tag", () => {
  assert.equal(escapeCommentText("x\n  @since 1"), "x\n  \\@since 1");
});

test("one short line stays on one line", () => {
  assert.equal(jsDoc(["hello"]), "/** hello */");
});

test("several lines, blank lines kept inside, trimmed outside", () => {
  assert.equal(jsDoc(["", "a", "", "@since 1", ""]), "/**\n * a\n *\n * @since 1\n */");
});

test("nothing to say gives no comment", () => {
  assert.equal(jsDoc(["", " "]), "");
});

test("even tag lines cannot close the comment", () => {
  assert.ok(!jsDoc(["@see x*/y"]).slice(3, -2).includes("*/"));
});
