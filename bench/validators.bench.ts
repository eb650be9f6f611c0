/**
 * Benchmark of the validator engine (runtime/validate/) against ajv, on the same real data.
 *
 * Data: the QMP replies recorded from QEMU 7.2 (test/fixtures/qmp/
 * qemu-7.2-queries.jsonl), parsed once with JSON.parse so both sides get the
 * same plain values. Ours: the validators of the SDK generated from QEMU's
 * 7.2.0 schema (the committed golden test/golden/qemu-7.2: its wire data,
 * compiled to closures by the engine at the first call, which the warm-up
 * below makes), in strict mode. ajv:
 * a JSON Schema derived here from the same resolved model (structs closed with
 * `additionalProperties: false`, unions as ajv `discriminator` + `oneOf`,
 * alternates as `anyOf`, integer ranges), compiled once with ajv's defaults
 * (first error only), so ajv gets its fastest configuration. Both must accept
 * every reply before anything is timed. Prints a ratio table (goal: at least
 * twice as fast as ajv).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { loadSchema } from "../generator/load-schema.js";
import type { AnyType, ObjectMember, ObjectType } from "../generator/model/entities.js";
import type { Schema } from "../generator/model/schema.js";
import { validators } from "../test/golden/qemu-7.2/wire.js";
import { qemuSourceDir, repoRoot } from "../scripts/lib/qemu-sources.js";
import { performance } from "node:perf_hooks";
import { median } from "./lib/measure.js";
import { type Comparison, printRatioTable } from "./lib/ratio-table.js";

type JsonSchema = Record<string, unknown>;

const intRanges: Record<string, [number, number]> = {
  int: [-(2 ** 63), 2 ** 63],
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  int64: [-(2 ** 63), 2 ** 63],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
  uint64: [0, 2 ** 64],
  size: [0, 2 ** 64],
};

/** JSON Schema definitions for every type of the model (the ajv side of the comparison). */
function jsonSchemaDefinitions(schema: Schema): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {};
  const ref = (t: AnyType): JsonSchema => ({ $ref: `#/definitions/${encodeURIComponent(t.name)}` });
  const props = (members: readonly ObjectMember[]) => Object.fromEntries(members.map((m) => [m.name, ref(m.type)]));
  const required = (members: readonly ObjectMember[]) =>
    members.filter((m) => !m.optional && !m.ifcond.isPresent()).map((m) => m.name);
  for (const t of schema.allDefinitions()) {
    if (t.kind === "command" || t.kind === "event") continue;
    switch (t.kind) {
      case "builtin": {
        const range = intRanges[t.name];
        if (range) defs[t.name] = { type: "integer", minimum: range[0], maximum: range[1] };
        else
          defs[t.name] =
            {
              str: { type: "string" },
              number: { type: "number" },
              bool: { type: "boolean" },
              null: { type: "null" },
              any: {},
            }[t.name] ?? {};
        break;
      }
      case "enum":
        defs[t.name] = { type: "string", enum: t.memberNames() };
        break;
      case "array":
        defs[t.name] = { type: "array", items: ref(t.elementType as AnyType) };
        break;
      case "alternate":
        defs[t.name] = { anyOf: t.alternatives.variants.map((v) => ref(v.type)) };
        break;
      case "object":
        defs[t.name] = t.branches
          ? unionSchema(t, props, required)
          : {
              type: "object",
              properties: props(t.members),
              required: required(t.members),
              additionalProperties: false,
            };
        break;
    }
  }
  return defs;
}

function unionSchema(
  t: ObjectType,
  props: (m: readonly ObjectMember[]) => Record<string, JsonSchema>,
  required: (m: readonly ObjectMember[]) => string[],
): JsonSchema {
  const tag = t.branches!.tagMember.name;
  return {
    type: "object",
    discriminator: { propertyName: tag },
    required: [tag],
    oneOf: t.branches!.variants.map((v) => {
      const members = [...t.members, ...(v.type.kind === "object" ? v.type.members : [])];
      return {
        type: "object",
        properties: { ...props(members), [tag]: { const: v.name } },
        required: required(members),
        additionalProperties: false,
      };
    }),
  };
}

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
  const schema = loadSchema(join(qemuSourceDir("7.2.0"), "qapi/qapi-schema.json"));
  const ajv = new Ajv({ strict: false, discriminator: true, allErrors: false });
  ajv.addSchema({ $id: "qapi", definitions: jsonSchemaDefinitions(schema) });
  const replies = loadReplies();
  const ajvFor = new Map<string, ReturnType<Ajv["compile"]>>();
  for (const { command } of replies) {
    const c = schema.lookupEntity(command);
    if (!c || c.kind !== "command" || ajvFor.has(command)) continue;
    const ret = c.retType ?? schema.lookupType("q_empty")!;
    ajvFor.set(command, ajv.compile({ $ref: `qapi#/definitions/${encodeURIComponent(ret.name)}` }));
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
