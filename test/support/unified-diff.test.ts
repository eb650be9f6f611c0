/** The golden tests' unified diff: exact hunks for small edits, a summary for rewrites. */
import assert from "node:assert/strict";
import test from "node:test";
import { unifiedDiff } from "./unified-diff.js";

const lines = (n: number, f = (i: number) => `line ${i}`) => Array.from({ length: n }, (_, i) => f(i + 1)).join("\n");

test("equal texts give no diff", () => {
  assert.equal(unifiedDiff("a\nb", "a\nb", "x"), "");
});

test("one changed line in the middle: one hunk with three lines of context", () => {
  const want = lines(20);
  const got = lines(20, (i) => (i === 10 ? "changed" : `line ${i}`));
  assert.equal(
    unifiedDiff(want, got, "f.ts"),
    "--- f.ts (committed)\n+++ f.ts (generated)\n@@ -7,7 +7,7 @@\n line 7\n line 8\n line 9\n-line 10\n+changed\n line 11\n line 12\n line 13\n",
  );
});

test("an insertion and a deletion far apart: two hunks with correct line numbers", () => {
  const want = lines(40);
  const got = [
    "line 1",
    "new",
    ...lines(40)
      .split("\n")
      .slice(1)
      .filter((l) => l !== "line 30"),
  ].join("\n");
  assert.equal(
    unifiedDiff(want, got, "f"),
    "--- f (committed)\n+++ f (generated)\n@@ -1,4 +1,5 @@\n line 1\n+new\n line 2\n line 3\n line 4\n" +
      "@@ -27,7 +28,6 @@\n line 27\n line 28\n line 29\n-line 30\n line 31\n line 32\n line 33\n",
  );
});

test("past the edit limit it summarises", () => {
  assert.match(
    unifiedDiff(
      lines(50),
      lines(50, (i) => `x${i}`),
      "f",
      3,
      10,
    ),
    /more than 10 lines differ \(50 committed lines, 50 generated\)/,
  );
});
