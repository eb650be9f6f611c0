/**
 * Golden tests of the generator: every case in test/golden/<case>/ is
 * regenerated from its example schema and compared byte for byte with the
 * committed files. On a mismatch the test shows a unified diff;
 * `UPDATE_GOLDEN=1` rewrites the committed files instead.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { unifiedDiff } from "../support/unified-diff.js";
import { generateGolden, goldenCases, goldenDir } from "./golden-cases.js";

const update = process.env["UPDATE_GOLDEN"] === "1";

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
    const committed = readdirSync(dir)
      .filter((f) => f !== "options.json")
      .sort();
    assert.deepEqual(
      committed,
      files.map((f) => f.path).sort(),
      `files of ${name} (run with UPDATE_GOLDEN=1 to regenerate)`,
    );
    for (const f of files) {
      const want = readFileSync(join(dir, f.path), "utf8");
      if (want !== f.content) {
        assert.fail(`${unifiedDiff(want, f.content, `${name}/${f.path}`)}run with UPDATE_GOLDEN=1 to regenerate`);
      }
    }
  });
}
