/**
 * Which top-level folder may import which, as README.md's layout table says:
 * `tools/` sits on the compiler (`generator/`), which sits on `core/` and
 * the runtime; `core/` imports none of them; nothing imports `tools/`; and
 * the front end never imports the model. Every relative import of every
 * module in those folders is read with prettier's TypeScript parser (so code
 * inside template strings does not count) and checked against the table; a
 * violation is reported as file: specifier.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { posix } from "node:path";
import { test } from "node:test";
import type { ParserOptions } from "prettier";
import { parsers } from "prettier/plugins/typescript";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

/** Folder → the folders its modules may import (the first path segment; generated/ is the compiler's output, checked elsewhere). */
const allowed: Record<string, readonly string[]> = {
  core: ["core"],
  runtime: ["core", "runtime"],
  generator: ["core", "runtime", "generator"],
  tools: ["core", "runtime", "generated", "generator", "tools"],
};
/** Narrower rules inside a folder: [importer prefix, forbidden target prefix]. */
const forbidden: readonly (readonly [string, string])[] = [["generator/frontend/", "generator/model/"]];

function sources(dir: string): string[] {
  return readdirSync(posix.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const path = posix.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sources(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

/** The relative specifiers a module imports or re-exports, including import() and import types. */
async function relativeImports(text: string): Promise<string[]> {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as Record<string, unknown>;
    const literal = (v: unknown) => {
      const l = v as { type?: string; value?: unknown } | undefined;
      if (l?.type === "Literal" && typeof l.value === "string" && l.value.startsWith(".")) found.push(l.value);
    };
    if (/^(ImportDeclaration|ExportAllDeclaration|ExportNamedDeclaration|ImportExpression)$/.test(String(n["type"])))
      literal(n["source"]);
    if (n["type"] === "TSImportType") {
      const arg = n["argument"] as { literal?: unknown } | undefined;
      literal(arg?.literal ?? arg);
    }
    for (const [k, v] of Object.entries(n)) if (k !== "loc" && k !== "range" && k !== "parent") visit(v);
  };
  // The TypeScript parser reads none of the printing options a plugin's parse() is typed with.
  visit(await parsers.typescript.parse(text, {} as ParserOptions));
  return found;
}

/** Violations of the table among `modules` (repo-relative path → text), as "file: specifier (why)". */
async function violations(modules: ReadonlyMap<string, string>): Promise<string[]> {
  const out: string[] = [];
  for (const [file, text] of modules) {
    const from = file.split("/")[0]!;
    for (const spec of await relativeImports(text)) {
      const target = posix.normalize(posix.join(posix.dirname(file), spec));
      const to = target.split("/")[0]!;
      if (!(allowed[from] ?? []).includes(to)) out.push(`${file}: ${spec} (${from}/ may not import ${to}/)`);
      for (const [importer, target_] of forbidden)
        if (file.startsWith(importer) && target.startsWith(target_))
          out.push(`${file}: ${spec} (${importer} may not import ${target_})`);
    }
  }
  return out;
}

test("imports point tools → generator → core/runtime, never the reverse", async () => {
  const modules = new Map<string, string>();
  for (const dir of Object.keys(allowed))
    for (const file of sources(dir)) modules.set(file, readFileSync(posix.join(repoRoot, file), "utf8"));
  assert.ok(modules.size > 150, `only ${modules.size} modules found`);
  assert.ok(
    [...modules.keys()].some((f) => f.startsWith("tools/cli/")),
    "tools/cli/ is read",
  );
  assert.deepEqual(await violations(modules), []);
});

test("the check reports a compiler module that imports a tool (it can fail)", async () => {
  const modules = new Map([
    [
      "generator/emitters/x.ts",
      'import { main } from "../../tools/cli/main.js";\nconst s = `import "../../tools/y.js"`;\n',
    ],
    ["generator/frontend/y.ts", 'export type { Schema } from "../model/schema.js";\n'],
    ["core/z.ts", 'type T = typeof import("../runtime/index.js");\n'],
    ["tools/shell/w.ts", 'import "../../generator/index.js";\nimport "../../generated/qemu/index.js";\n'],
  ]);
  assert.deepEqual(await violations(modules), [
    "generator/emitters/x.ts: ../../tools/cli/main.js (generator/ may not import tools/)",
    "generator/frontend/y.ts: ../model/schema.js (generator/frontend/ may not import generator/model/)",
    "core/z.ts: ../runtime/index.js (core/ may not import runtime/)",
  ]);
});
