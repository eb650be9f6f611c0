/**
 * Benchmark of the validator engine (runtime/validate/) against ajv, on the same real data.
 *
 * Data: the QMP replies recorded from QEMU 7.2 (test/fixtures/qmp/
 * qemu-7.2-queries.jsonl), parsed once with JSON.parse so both sides get the
 * same plain values. Ours: the validators of the SDK generated from QEMU's
 * 7.2.0 schema (the committed golden test/golden/qemu-7.2: its wire data,
 * compiled to closures by the engine at the first call, which the warm-up
 * below makes), in strict mode. ajv:
 * the JSON Schema `qapi-ts jsonschema` writes for the same wire data
 * (tools/jsonschema/: objects closed, unions as `oneOf` with a
 * `discriminator`, alternates as `anyOf`, integer ranges), compiled once with
 * ajv's defaults (first error only), so ajv gets its fastest configuration. Both must accept
 * every reply before anything is timed. Prints a ratio table (goal: at least
 * twice as fast as ajv).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";
import { defRef, entryKey, jsonSchemaDocument } from "../core/json-schema.js";
import { stringifyJson } from "../runtime/json.js";
import { validators, wireSchema } from "../test/golden/qemu-7.2/wire.js";
import { repoRoot } from "../scripts/lib/qemu-sources.js";
import { performance } from "node:perf_hooks";
import { median } from "./lib/measure.js";
import { type Comparison, printRatioTable } from "./lib/ratio-table.js";

function loadReplies(): { command: string; value: unknown }[] {
  const lines = readFileSync(join(repoRoot, "test/fixtures/qmp/qemu-7.2-queries.jsonl"), "utf8").trim().split("\n");
  const commands = new Map<string, string>();
  const replies: { command: string; value: unknown }[] = [];
  for (const line of lines) {
    const m = JSON.parse(line) as Record<string, unknown>;
    if ("execute" in m && m["id"] !== undefined) commands.set(JSON.stringify(m["id"]), m["execute"] as string);
    if ("return" in m && m["id"] !== undefined)
      replies.push({ command: commands.get(JSON.stringify(m["id"]))!, value: m["return"] });
  }
  return replies;
}

async function main(): Promise<void> {
  const ajv = new Ajv2020({ strict: false, discriminator: true, allErrors: false });
  ajv.addSchema(JSON.parse(stringifyJson(jsonSchemaDocument(wireSchema()))) as object, "qapi");
  const replies = loadReplies();
  const ajvFor = new Map<string, ValidateFunction>();
  for (const { command } of replies) {
    if (ajvFor.has(command)) continue;
    ajvFor.set(command, ajv.getSchema(`qapi${defRef(entryKey.return(command))}`)!);
  }

  // Both sides must accept everything before anything is timed.
  for (const { command, value } of replies) {
    const ours = validators.commandReturn(command, value, "strict");
    if (!ours || ours.errors.length > 0)
      throw new Error(`qapi-ts rejects ${command}: ${JSON.stringify(ours?.errors.slice(0, 3))}`);
    const check = ajvFor.get(command)!;
    if (!check(value)) throw new Error(`ajv rejects ${command}: ${JSON.stringify(check.errors?.slice(0, 3))}`);
  }

  const workloads: [string, { command: string; value: unknown }[], number][] = [
    [`all ${replies.length} recorded replies`, replies, 60],
    ["query-qmp-schema reply", replies.filter((r) => r.command === "query-qmp-schema"), 100],
    ["small replies (all but query-qmp-schema)", replies.filter((r) => r.command !== "query-qmp-schema"), 600],
  ];
  const comparisons: Comparison[] = [];
  for (const [workload, data, repeat] of workloads) {
    const checks = data.map((d) => ajvFor.get(d.command)!);
    const runOurs = () => {
      for (let r = 0; r < repeat; r++) for (const d of data) validators.commandReturn(d.command, d.value, "strict");
    };
    const runAjv = () => {
      for (let r = 0; r < repeat; r++) for (let i = 0; i < data.length; i++) checks[i]!(data[i]!.value);
    };
    // Alternate the two sides sample by sample, so load from other processes hits both alike.
    const ours: number[] = [];
    const theirs: number[] = [];
    runOurs();
    runAjv();
    for (let round = 0; round < 11; round++) {
      let start = performance.now();
      runOurs();
      ours.push(performance.now() - start);
      start = performance.now();
      runAjv();
      theirs.push(performance.now() - start);
    }
    comparisons.push({
      workload,
      ours: { label: `qapi-ts ×${repeat}`, samplesMs: ours, medianMs: median(ours) },
      baseline: { label: `ajv ×${repeat}`, samplesMs: theirs, medianMs: median(theirs) },
      goal: 2,
    });
  }
  printRatioTable(
    "Validators: the engine over the SDK's wire data vs ajv (QEMU 7.2 replies, strict mode, valid data)",
    comparisons,
  );
}

await main();
