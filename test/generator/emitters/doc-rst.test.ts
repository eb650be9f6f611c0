/** Unit tests of generator/emitters/doc-rst.ts: QAPI's rST subset into TSDoc Markdown. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { codeFence, noLinks, renderDocText, renderInline } from "../../../generator/emitters/doc-rst.js";

const widgetLinks = (name: string): string | null =>
  name === "Widget" ? "Widget" : name === "my-type" ? "MyType" : null;

test("``literal`` becomes inline code", () => {
  assert.equal(renderInline("use ``--foo`` here", noLinks), "use `--foo` here");
});

test("@member becomes inline code, a full stop after it stays outside", () => {
  assert.equal(renderInline("see @node-name.", noLinks), "see `node-name`.");
});

test("an e-mail address is no reference", () => {
  assert.equal(renderInline("mail a@b.org", noLinks), "mail a@b.org");
});

test("references link only where the resolver allows", () => {
  assert.equal(
    renderInline("`Widget` and @Widget and `query-x`", widgetLinks),
    "{@link Widget} and {@link Widget} and `query-x`",
  );
  assert.equal(renderInline("`my-type`", widgetLinks), "{@link MyType | my-type}");
  assert.equal(renderInline("`Widget`", noLinks), "`Widget`");
});

test("a role prefix is dropped", () => {
  assert.equal(renderInline(":qapi:type:`Widget`", widgetLinks), "{@link Widget}");
});

test("a literal block becomes a fence; 'Text::' reads 'Text:'", () => {
  const { prose } = renderDocText('For instance::\n\n    { "a": 1 }\n\nAfter.', noLinks, false);
  assert.equal(prose, 'For instance:\n```text\n{ "a": 1 }\n```\n\nAfter.');
});

test("a qmp-example directive becomes a titled example, verbatim", () => {
  const text = 'Body.\n\n.. qmp-example::\n   :title: Doing it\n\n   -> { "execute": "x" }\n   <- { "return": {} }';
  const { prose, examples } = renderDocText(text, noLinks, false);
  assert.equal(prose, "Body.");
  assert.deepEqual(examples, [
    { title: "Doing it", markdown: '```text\n-> { "execute": "x" }\n<- { "return": {} }\n```' },
  ]);
});

test("an annotated qmp-example keeps its prose and fences its QMP text", () => {
  const text = '.. qmp-example::\n   :annotated:\n\n   Remove it::\n\n    -> { "execute": "x" }';
  const { examples } = renderDocText(text, noLinks, false);
  assert.deepEqual(examples, [{ title: "", markdown: 'Remove it:\n```text\n-> { "execute": "x" }\n```' }]);
});

test("admonitions: inline text runs on, a titled one starts a paragraph", () => {
  assert.equal(renderDocText(".. note:: Mind @x.", noLinks, false).prose, "**Note:** Mind `x`.");
  assert.equal(
    renderDocText(".. admonition:: Notes\n\n   1. one\n   2. two", noLinks, false).prose,
    "**Notes:**\n\n1. one\n2. two",
  );
});

test("an unknown directive keeps its title and content, not its options", () => {
  const text = ".. table:: Combinations\n   :widths: auto\n\n   ===  ===\n   a    b\n   ===  ===";
  assert.equal(renderDocText(text, noLinks, false).prose, "Combinations\n```text\n===  ===\na    b\n===  ===\n```");
});

test("tagged text loses the indentation of its continuation lines", () => {
  assert.equal(renderDocText("first\n    second\n\n    third", noLinks, true).prose, "first\nsecond\n\nthird");
});

test("a fence is longer than any backtick run inside", () => {
  assert.equal(codeFence("a ``` b"), "````text\na ``` b\n````");
});
