/**
 * Test files that start QEMU's programs are named `*.qemu.test.ts`, so that
 * scripts/test.sh runs them one at a time, after the others, by name alone.
 * This test keeps the names honest: a test file (or a helper beside it that
 * it imports) that names a QEMU binary or the QEMU-starting helpers must carry
 * the suffix, and a file with the suffix must start something.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

/** What a file that starts QEMU says: a binary by path or quoted name, or the helpers that start one. */
const startsQemu =
  /\/usr\/s?bin\/qemu-|["'`]qemu-(system-[a-z0-9_]+|img|ga|storage-daemon)["'`]|qemu-helpers\.js|launchQemu\(|startQemu|spawnQemu/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith(".test.ts") ? [join(dir, e.name)] : [],
  );
}

/** True when `file`, or a sibling module it imports (`./x.js`), matches `startsQemu`. */
function startsQemuIn(file: string): boolean {
  const text = readFileSync(file, "utf8");
  if (startsQemu.test(text)) return true;
  for (const [, ref] of text.matchAll(/["']\.\/([A-Za-z0-9_.-]+)\.js["']/g)) {
    const sibling = join(dirname(file), `${ref}.ts`);
    if (existsSync(sibling) && startsQemu.test(readFileSync(sibling, "utf8"))) return true;
  }
  return false;
}

test("test files that start QEMU, and only those, are named *.qemu.test.ts", () => {
  // This file names the patterns it looks for, so it leaves itself out.
  const self = join(repoRoot, "test", "support", "qemu-test-names.test.ts");
  const files = testFiles(join(repoRoot, "test")).filter((f) => f !== self);
  assert.ok(files.length > 50, `only ${files.length} test files found`);
  const misnamed = files
    .filter((f) => startsQemuIn(f) !== f.endsWith(".qemu.test.ts"))
    .map(
      (f) =>
        `${relative(repoRoot, f)}: ${f.endsWith(".qemu.test.ts") ? "named for QEMU but starts none" : "starts QEMU; rename it to *.qemu.test.ts"}`,
    );
  assert.deepEqual(misnamed, []);
  assert.ok(files.filter((f) => f.endsWith(".qemu.test.ts")).length >= 10);
});
