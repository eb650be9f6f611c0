/**
 * The golden-file cases of the generator: each folder test/golden/<case>/ holds
 * an `options.json` sidecar (which example schema, which generator options) and
 * the full expected output. golden.test.ts regenerates and compares them;
 * determinism.test.ts reuses the loader.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type GenerateOptions, type OutputFile, generate, loadSchema, qemuReferences } from "../../generator/index.js";
import { qemuSourceDir, repoRoot } from "../../scripts/lib/qemu-sources.js";

/** The directory holding the golden cases. */
export const goldenDir = join(repoRoot, "test", "golden");

/** One case's sidecar. */
export interface GoldenOptions {
  /** Schema path relative to the repository root, or `qemu:<version>/<path in QEMU's tree>` for a fetched QEMU schema. */
  schema: string;
  docs?: "full" | "facts" | "none";
  name?: string;
  reference?: "qmp" | "qga" | "qsd";
  protocol?: "qmp" | "qga";
  /** false: skip prettier (the big QEMU 7.2 case, which only feeds the real-data validator test). */
  format?: boolean;
}

/** The case names, sorted. */
export function goldenCases(): string[] {
  return readdirSync(goldenDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Reads a case's options.json. */
export function readGoldenOptions(caseName: string): GoldenOptions {
  return JSON.parse(readFileSync(join(goldenDir, caseName, "options.json"), "utf8")) as GoldenOptions;
}

/**
 * Generates a case's output as the committed golden files expect it: the
 * runtime imported relatively (test/golden/<case>/ → runtime/), so the goldens
 * type-check in the project's one strict program.
 */
export async function generateGolden(caseName: string): Promise<OutputFile[]> {
  const o = readGoldenOptions(caseName);
  const qemu = /^qemu:([^/]+)\/(.*)$/.exec(o.schema);
  const schema = loadSchema(qemu ? join(qemuSourceDir(qemu[1]!), qemu[2]!) : join(repoRoot, o.schema));
  const options: GenerateOptions = {
    name: o.name ?? caseName,
    sourceLabel: o.schema,
    docs: o.docs ?? "facts",
    runtimeImport: "../../../runtime/index.js",
    ...(o.reference ? { reference: qemuReferences[o.reference] } : {}),
    ...(o.protocol ? { protocol: o.protocol } : {}),
    ...(o.format === false ? { format: false } : {}),
  };
  return generate(schema, options);
}
