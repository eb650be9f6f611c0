/**
 * All generated code type-checks under stricter settings than the project's
 * own: the committed SDKs (generated/**), every golden case (test/golden/**)
 * and the type-level tests (test/types/*.ts), in one program with
 * exactOptionalPropertyTypes, noUncheckedIndexedAccess,
 * noPropertyAccessFromIndexSignature and noImplicitReturns. Uses the tsc
 * command line (TypeScript 7 has no JavaScript compiler API). Diagnostics in
 * hand-written modules the generated code imports (runtime/) are not this
 * test's business and are left out; the allow-list below must stay empty —
 * fix the generator instead.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const allowList: string[] = [];

test("generated code, goldens and type-level tests pass the strictest settings", () => {
  const dir = mkdtempSync(join(repoRoot, "build", "typecheck-"));
  try {
    const back = relative(dir, repoRoot).split("\\").join("/");
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ES2022",
          lib: ["ES2022"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          types: ["node"],
          skipLibCheck: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          noPropertyAccessFromIndexSignature: true,
          noImplicitReturns: true,
          noImplicitOverride: true,
          noFallthroughCasesInSwitch: true,
        },
        include: [`${back}/generated/**/*.ts`, `${back}/test/golden/**/*.ts`, `${back}/test/types/*.ts`],
      }),
    );
    const r = spawnSync(
      join(repoRoot, "node_modules", ".bin", "tsc"),
      ["-p", join(dir, "tsconfig.json"), "--pretty", "false"],
      {
        cwd: repoRoot,
        encoding: "utf8",
      },
    );
    const ours = r.stdout
      .split("\n")
      .filter((line) => /^(generated|test\/golden|test\/types)\//.test(line))
      .filter((line) => !allowList.some((allowed) => line.startsWith(allowed)));
    assert.deepEqual(ours, [], "type errors in generated code (file:line:col: message)");
    assert.ok(r.status === 0 || r.stdout.includes("error TS"), `tsc failed to run: ${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
