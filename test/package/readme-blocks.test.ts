/**
 * The README's block annotations, checked fast (the package test that runs
 * the blocks is slow and starts QEMU): every block of README.md either runs
 * (a shell block, or a file of the user's project) or says why not, and the
 * annotation reader rejects what it does not know.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";
import { readmeBlocks, shellCommands } from "./readme-blocks.js";

test("every README block runs or says why not", () => {
  const blocks = readmeBlocks(readFileSync(join(repoRoot, "README.md"), "utf8"));
  for (const block of blocks) {
    const where = `README.md:${block.line}`;
    if (block.skip !== undefined || block.file !== undefined) continue;
    assert.equal(block.lang, "sh", `${where}: a ${block.lang || "plain"} block needs 'file' or 'skip'`);
    assert.ok(shellCommands(block).length > 0, `${where}: a shell block with commands`);
  }
  const files = blocks.filter((b) => b.file !== undefined).map((b) => b.file);
  assert.deepEqual(
    files.filter((f, i) => files.indexOf(f) !== i),
    [],
    "each file block has its own name",
  );
  assert.ok(
    files.includes("tsconfig.json") && files.some((f) => f!.endsWith(".cts")),
    "the README shows a tsconfig and a CommonJS file",
  );
  const skipped = blocks.filter((b) => b.skip !== undefined);
  assert.ok(skipped.length <= 3, `few blocks are skipped: ${skipped.map((b) => b.line).join(", ")}`);
});

test("annotations: file, exit, background, skip; anything else is an error with its line", () => {
  const text = [
    "<!-- test: file a.ts -->",
    "```ts",
    "x",
    "```",
    "<!-- test: exit 1 -->",
    "```sh",
    "false   # fails on purpose",
    "# a comment line",
    "",
    "```",
    "<!-- test: background -->",
    "```sh",
    "sleep 9",
    "```",
    "<!-- test: skip: needs a clone -->",
    "```sh",
    "npm test",
    "```",
    "<!-- test: file b.ts -->",
    "text between the annotation and the block cancels it",
    "```sh",
    "true",
    "```",
  ].join("\n");
  const blocks = readmeBlocks(text);
  assert.deepEqual(
    blocks.map((b) => [b.line, b.file, b.exit, b.background, b.skip]),
    [
      [2, "a.ts", undefined, undefined, undefined],
      [6, undefined, 1, undefined, undefined],
      [12, undefined, undefined, true, undefined],
      [16, undefined, undefined, undefined, "needs a clone"],
      [21, undefined, undefined, undefined, undefined],
    ],
  );
  assert.deepEqual(shellCommands(blocks[1]!), ["false"]);
  assert.throws(
    () => readmeBlocks("<!-- test: sometimes -->\n```sh\ntrue\n```\n"),
    /^Error: README\.md:2: unknown test annotation 'sometimes'$/,
  );
  assert.throws(() => readmeBlocks("```sh\ntrue\n"), /README\.md:1: unclosed code block/);
});
