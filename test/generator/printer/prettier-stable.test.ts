/**
 * The printer is final: prettier, with the pinned options and through its API
 * (the CLI would skip gitignored files), leaves every generated file
 * unchanged — every golden case under test/golden/ and the committed SDKs in
 * generated/{qemu,qga,qsd} — and the SDKs generated here from the recorded
 * introspection files (names made up for masked types, other shapes).
 * `generate` no longer runs prettier, so this test is what keeps the output in
 * prettier's style. On a difference it prints a unified diff.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { generate } from "../../../generator/index.js";
import { loadIntrospectedSchema } from "../../../tools/introspection/introspected-schema.js";
import { formatTypeScript } from "../../../generator/printer/format.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

/** `diff -u` of two texts, cut to its first 60 lines. */
function unifiedDiff(name: string, want: string, got: string): string {
  const dir = mkdtempSync(join(tmpdir(), "qapi-ts-prettier-"));
  try {
    writeFileSync(join(dir, "generated"), want);
    writeFileSync(join(dir, "prettier"), got);
    const r = spawnSync(
      "diff",
      ["-u", "--label", `${name} (generated)`, "--label", `${name} (after prettier)`, "generated", "prettier"],
      { cwd: dir, encoding: "utf8" },
    );
    return r.stdout.split("\n").slice(0, 60).join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function generatedFiles(): string[] {
  const dirs: string[] = [];
  const golden = join(repoRoot, "test", "golden");
  for (const d of readdirSync(golden, { withFileTypes: true })) if (d.isDirectory()) dirs.push(join(golden, d.name));
  for (const sdk of ["qemu", "qga", "qsd"]) dirs.push(join(repoRoot, "generated", sdk));
  return dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(d, f)),
  );
}

const files = generatedFiles();

test("there are generated files to check", () => {
  assert.ok(files.length >= 30, `found ${files.length}`);
});

for (const file of files) {
  const name = file.slice(repoRoot.length + 1);
  test(`prettier leaves ${name} unchanged`, async () => {
    const text = readFileSync(file, "utf8");
    const formatted = await formatTypeScript(text);
    if (formatted !== text) assert.fail(`prettier changes ${name}:\n${unifiedDiff(name, text, formatted)}`);
  });
}

for (const fixture of ["qemu-system-x86_64-7.2.json", "qemu-storage-daemon-7.2.json"]) {
  test(`prettier leaves the SDK generated from introspection ${fixture} unchanged`, async () => {
    const { schema } = loadIntrospectedSchema(join(repoRoot, "test", "fixtures", "introspection", fixture));
    for (const file of await generate(schema, { name: "introspected", sourceLabel: fixture })) {
      const formatted = await formatTypeScript(file.content);
      if (formatted !== file.content)
        assert.fail(`prettier changes ${file.path} of ${fixture}:\n${unifiedDiff(file.path, file.content, formatted)}`);
    }
  });
}
