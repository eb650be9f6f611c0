/**
 * Golden tests of the generator: every case in test/golden/<case>/ is
 * regenerated from its example schema and compared byte for byte with the
 * committed files. On a mismatch the test shows the first differing line;
 * `UPDATE_GOLDEN=1` rewrites the committed files instead.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { generateGolden, goldenCases, goldenDir } from "./golden-cases.js";

const update = process.env["UPDATE_GOLDEN"] === "1";

function firstDifference(want: string, got: string): string {
  const a = want.split("\n");
  const b = got.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  want: ${a[i] ?? "<end of file>"}\n  got:  ${b[i] ?? "<end of file>"}`;
  }
  return "identical";
}

const cases = goldenCases();

test("there are golden cases", () => {
  assert.ok(cases.length >= 3, `found ${cases.length} cases in ${goldenDir}`);
});

for (const name of cases) {
  test(`golden: ${name}`, async () => {
    const files = await generateGolden(name);
    const dir = join(goldenDir, name);
    if (update) {
      for (const f of files) writeFileSync(join(dir, f.path), f.content);
    }
    const committed = readdirSync(dir).filter((f) => f !== "options.json").sort();
    assert.deepEqual(committed, files.map((f) => f.path).sort(), `files of ${name} (run with UPDATE_GOLDEN=1 to regenerate)`);
    for (const f of files) {
      const want = readFileSync(join(dir, f.path), "utf8");
      if (want !== f.content) {
        assert.fail(`${name}/${f.path} differs at ${firstDifference(want, f.content)}\nrun with UPDATE_GOLDEN=1 to regenerate`);
      }
    }
  });
}
