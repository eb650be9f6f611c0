/**
 * Fuzz test of the generator on hostile input: seeded QAPI source schemas and
 * introspection files (test/support/hostile-input.ts) whose names, docs, SDK
 * names, source labels and version strings hold the texts that mean something
 * to generated code (`*\/`, quotes, backticks, `${`, U+2028/U+2029, `__proto__`,
 * `then`, `constructor`, very long names), some carrying a payload, and a share
 * of them one structural defect each. Every case must end in either
 * - a located, one-line, user-facing error (a QapiError for a source schema,
 *   `FILE: …` for an introspection file), never another exception; or
 * - an SDK that type-checks under `strict` (all cases' SDKs in one tsc
 *   program) and imports without running injected code (the payload's global
 *   stays unset) and without hanging (a `then` export would make the module
 *   namespace a thenable).
 * A few cases also go through the CLI (`qapi-ts generate`), which must give
 * the same outcome with one line on stderr and no stack trace.
 *
 * Seeded: QAPI_TS_FUZZ_SEED=N for other cases, QAPI_TS_FUZZ_CASES=N for more.
 * A failure names the case; rerun with the same seed to repeat it. The cases
 * live under build/ (so the SDKs resolve `qapi-ts/runtime` to this checkout).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { after, test } from "node:test";
import { QapiError } from "../../generator/frontend/errors.js";
import { generate, loadSchema, writeFiles } from "../../generator/index.js";
import { UserFacingError } from "../../generator/errors.js";
import { loadIntrospectedSchema } from "../../tools/introspection/introspected-schema.js";
import { hostileIntrospection, hostileSchema, hostileTexts, injectionMarker } from "../support/hostile-input.js";
import { createPrng, type Prng } from "../support/prng.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const seed = Number(process.env["QAPI_TS_FUZZ_SEED"] ?? 0x6e2a_2026);
const caseCount = Number(process.env["QAPI_TS_FUZZ_CASES"] ?? 300);
/** Share of cases with a structural defect. */
const defectRate = 0.3;
/** How many cases also run through the CLI. */
const cliCases = 6;

const root = mkdtempSync(join(repoRoot, "build", "hostile-generate-"));
if (!process.env["QAPI_TS_FUZZ_KEEP"]) after(() => rmSync(root, { recursive: true, force: true }));

interface Case {
  id: number;
  kind: "schema" | "introspection";
  /** The input file. */
  input: string;
  defect: string | null;
  name: string;
  sourceLabel: string;
  qemuVersion: string | undefined;
  docs: "full" | "facts" | "none";
}

type Outcome =
  { kind: "error"; message: string } | { kind: "generated"; dir: string } | { kind: "crash"; message: string };

/** A hostile text made safe for a file name only where it must be one. */
function hostileLabel(rng: Prng): string {
  return rng.next() < 0.5 ? rng.pick(hostileTexts) : `schema/${rng.pick(hostileTexts)}.json`;
}

function buildCases(): Case[] {
  const rng = createPrng(seed);
  const cases: Case[] = [];
  for (let id = 0; id < caseCount; id++) {
    const dir = join(root, `case-${id}`);
    mkdirSync(dir);
    const kind = id % 2 === 0 ? "schema" : "introspection";
    let input: string;
    let defect: string | null;
    if (kind === "schema") {
      const made = hostileSchema(rng, defectRate);
      input = join(dir, "schema.json");
      writeFileSync(input, made.text);
      defect = made.defect;
    } else {
      const made = hostileIntrospection(rng, defectRate);
      input = join(dir, "introspection.json");
      writeFileSync(input, JSON.stringify(made.file));
      defect = made.defect;
    }
    cases.push({
      id,
      kind,
      input,
      defect,
      name: rng.next() < 0.5 ? rng.pick(hostileTexts) : `sdk-${id}`,
      sourceLabel: hostileLabel(rng),
      qemuVersion: rng.next() < 0.5 ? rng.pick(hostileTexts) : undefined,
      docs: rng.pick(["full", "full", "facts", "none"] as const),
    });
  }
  return cases;
}

/**
 * The error's report ends in a located message line, after QEMU's context lines (include
 * chain, "In X 'y':"); a clash names its other location the same way ("the first definition is here").
 */
function locatedSchemaError(report: string): boolean {
  const lines = report.split("\n");
  const located = /^[^\n]+:\d+(:\d+)?: \S/;
  return (
    located.test(lines.at(-1)!) &&
    lines.every((l) => located.test(l) || l.startsWith("In file included from ") || /^[^\n]+: In [\w-]+ '/.test(l))
  );
}

async function runCase(c: Case): Promise<Outcome> {
  let schema;
  let qemuVersion = c.qemuVersion;
  try {
    if (c.kind === "schema") schema = loadSchema(c.input);
    else {
      const loaded = loadIntrospectedSchema(c.input);
      schema = loaded.schema;
      qemuVersion ??= loaded.qemuVersion;
    }
  } catch (error) {
    if (c.kind === "schema" && error instanceof QapiError) {
      return locatedSchemaError(error.report())
        ? { kind: "error", message: error.report() }
        : { kind: "crash", message: `not located: ${error.report()}` };
    }
    if (c.kind === "introspection" && error instanceof UserFacingError && !(error instanceof QapiError)) {
      const ok = error.message.startsWith(`${c.input}: `) && !error.message.includes("\n");
      return ok
        ? { kind: "error", message: error.message }
        : { kind: "crash", message: `not located: ${error.message}` };
    }
    return { kind: "crash", message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  try {
    const files = await generate(schema, {
      name: c.name,
      sourceLabel: c.sourceLabel,
      docs: c.docs,
      // Prettier on every case would cost most of the run; every fourth is formatted.
      format: c.id % 4 === 1,
      ...(qemuVersion !== undefined ? { qemuVersion } : {}),
    });
    const dir = join(root, `case-${c.id}`, "sdk");
    await writeFiles(dir, files);
    return { kind: "generated", dir };
  } catch (error) {
    // The generator may refuse a name it cannot emit safely, with a located one-line error.
    if (error instanceof QapiError && locatedSchemaError(error.report()))
      return { kind: "error", message: error.report() };
    if (error instanceof UserFacingError && !(error instanceof QapiError) && !error.message.includes("\n"))
      return { kind: "error", message: error.message };
    return {
      kind: "crash",
      message: `generate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    };
  }
}

const cases = buildCases();
const outcomes = new Map<number, Outcome>();

test(`hostile schemas and introspection files (seed ${seed}): a located error or an SDK`, async () => {
  for (const c of cases) outcomes.set(c.id, await runCase(c));
  const crashes = cases.filter((c) => outcomes.get(c.id)!.kind === "crash");
  const missedDefects = cases.filter(
    (c) => c.defect !== null && c.kind === "introspection" && outcomes.get(c.id)!.kind === "generated",
  );
  const generated = cases.filter((c) => outcomes.get(c.id)!.kind === "generated").length;
  process.stdout.write(
    `# hostile-generate: seed ${seed}: ${cases.length} cases tried, ${generated} generated, ${cases.length - generated - crashes.length} located errors, ${crashes.length} crashes\n`,
  );
  assert.deepEqual(
    crashes.map(
      (c) =>
        `case ${c.id} (${c.kind}, ${c.defect ?? "no defect"}): ${(outcomes.get(c.id) as { message: string }).message.split("\n").slice(0, 3).join(" | ")}`,
    ),
    [],
  );
  // Every defect put into an introspection file breaks it: none may slip through.
  assert.deepEqual(
    missedDefects.map((c) => `case ${c.id}: ${c.defect}`),
    [],
  );
});

test("every generated SDK type-checks under strict, in one program", () => {
  const dirs = cases.flatMap((c) => {
    const o = outcomes.get(c.id);
    return o?.kind === "generated" ? [o.dir] : [];
  });
  assert.ok(dirs.length > 0, "no case generated an SDK");
  const back = (dir: string) => relative(root, dir).split("\\").join("/");
  writeFileSync(
    join(root, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: "ES2022",
        lib: ["ES2022"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        types: [],
        skipLibCheck: true,
        outDir: "js",
        rootDir: ".",
      },
      include: dirs.map((d) => `${back(d)}/*.ts`),
    }),
  );
  const r = spawnSync(
    join(repoRoot, "node_modules", ".bin", "tsc"),
    ["-p", join(root, "tsconfig.json"), "--pretty", "false"],
    { cwd: root, encoding: "utf8" },
  );
  const errors = r.stdout.split("\n").filter((line) => /error TS/.test(line));
  // Each kind of error once (file and position without the case), with the first case that shows it.
  const kinds = new Map<string, string>();
  for (const e of errors) {
    const kind = e.replace(/^case-\d+\//, "");
    if (!kinds.has(kind)) kinds.set(kind, e.split("/")[0]!);
  }
  assert.deepEqual(
    [...kinds].map(([kind, first]) => `${kind} (first in ${first})`),
    [],
    `${errors.length} type errors in ${dirs.length} SDKs`,
  );
  assert.equal(r.status, 0, r.stderr);
});

test("every generated SDK imports without running injected code or hanging", () => {
  const modules = cases.flatMap((c) => {
    const o = outcomes.get(c.id);
    return o?.kind === "generated" ? [{ id: c.id, file: join(root, "js", relative(root, o.dir), "index.js") }] : [];
  });
  // One child process imports them all; each import is bounded, so a thenable namespace cannot hang it.
  const script = `
    const modules = ${JSON.stringify(modules)};
    const results = [];
    for (const m of modules) {
      let outcome;
      try {
        outcome = await Promise.race([
          import(m.file).then((ns) => "ok " + Object.keys(ns).length),
          new Promise((resolve) => setTimeout(() => resolve("hang: the import did not settle"), 5000)),
        ]);
      } catch (error) {
        outcome = "throws: " + String(error && error.message).split("\\n")[0];
      }
      if (globalThis[${JSON.stringify(injectionMarker)}] !== undefined) outcome = "INJECTED CODE RAN";
      results.push({ id: m.id, outcome });
      delete globalThis[${JSON.stringify(injectionMarker)}];
    }
    process.stdout.write(JSON.stringify(results));
    process.exit(0);
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.status, 0, r.stderr);
  const results = JSON.parse(r.stdout) as { id: number; outcome: string }[];
  assert.equal(results.length, modules.length);
  assert.deepEqual(
    results.filter((x) => !x.outcome.startsWith("ok ")).map((x) => `case ${x.id}: ${x.outcome}`),
    [],
  );
});

test("a few cases through the CLI: the same outcome, one line on stderr, no stack trace", () => {
  // A command line cannot hold a NUL character.
  const fits = (c: Case) => !`${c.name}${c.sourceLabel}`.includes("\0");
  const withOutcome = (kind: Outcome["kind"]) =>
    cases.filter((c) => outcomes.get(c.id)!.kind === kind && fits(c)).slice(0, cliCases / 2);
  const picked = [...withOutcome("error"), ...withOutcome("generated")];
  assert.equal(picked.length, cliCases);
  for (const c of picked) {
    const expected = outcomes.get(c.id)!;
    const out = join(root, `case-${c.id}`, "cli-sdk");
    const r = spawnSync(
      process.execPath,
      [
        join(repoRoot, "build/tools/cli/main.js"),
        "generate",
        c.kind === "schema" ? "--schema" : "--introspection",
        c.input,
        "--out",
        out,
        "--name",
        c.name,
        "--source-label",
        c.sourceLabel,
        "--docs",
        c.docs,
      ],
      { encoding: "utf8", timeout: 120_000 },
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /, `case ${c.id}`);
    if (expected.kind === "error") {
      assert.equal(r.status, 1, `case ${c.id}: ${r.stderr}`);
      assert.equal(r.stderr, `${expected.message}\n`, `case ${c.id}`);
    } else {
      assert.equal(r.status, 0, `case ${c.id}: ${r.stderr}`);
      assert.equal(r.stderr, "");
    }
  }
});
