/**
 * `qapi-ts jsonschema --release 7.2.0` held to the validator engine: the
 * document it writes must be valid JSON Schema 2020-12 (ajv's own
 * meta-schema, ajv/dist/2020), and ajv with it must give the engine's strict
 * verdict (runtime/validate/, over the same wire schema) on every message of
 * the recorded QEMU 7.2 conversations — the arguments sent, the replies, the
 * events — of test/fixtures/qmp/qemu-7.2-queries.jsonl (Debian's QEMU 7.2)
 * and libvirt's .cache/libvirt-caps/caps_7.2.0.x86_64.replies, and on
 * variants of them: a seeded walk replaces a value, drops a member or adds
 * one (QAPI_TS_FUZZ_SEED, QAPI_TS_FUZZ_CASES per message).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";
import { parseJson } from "../../../runtime/json.js";
import { splitJsonTexts } from "../../../runtime/json-stream.js";
import { createValidators } from "../../../runtime/validate/index.js";
import type { SdkValidators } from "../../../runtime/sdk.js";
import { defRef, entryKey, type JsonSchema } from "../../../core/json-schema.js";
import { loadDescribedSchema } from "../../../tools/jsonschema/load.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";
import { libvirtCapsDir } from "../../support/libvirt-caps.js";
import { createPrng, type Prng } from "../../support/prng.js";

const out = mkdtempSync(join(repoRoot, "build", "jsonschema-"));
after(() => rmSync(out, { recursive: true, force: true }));

const seed = Number(process.env["QAPI_TS_FUZZ_SEED"] ?? 20261207);
const casesPerMessage = Number(process.env["QAPI_TS_FUZZ_CASES"] ?? 6);

/** One thing to judge: which validator, and the value as each side reads it. */
interface Sample {
  readonly where: string;
  readonly entry: string;
  /** Parsed losslessly (the engine's input, as the client gives it). */
  readonly exact: unknown;
}

/** The messages of a recorded conversation as samples: arguments sent, successful replies, events. */
function samples(file: string, texts: readonly string[]): Sample[] {
  const sent = new Map<string, string>();
  const found: Sample[] = [];
  let lastCommand: string | undefined;
  texts.forEach((text, i) => {
    const m = parseJson(text) as Record<string, unknown>;
    const where = `${file} message ${i + 1}`;
    if (typeof m["execute"] === "string") {
      lastCommand = m["execute"];
      if (m["id"] !== undefined) sent.set(JSON.stringify(m["id"]), m["execute"]);
      found.push({ where, entry: entryKey.arguments(m["execute"]), exact: m["arguments"] ?? {} });
    } else if ("return" in m) {
      const command = m["id"] !== undefined ? sent.get(JSON.stringify(m["id"])) : lastCommand;
      if (command) found.push({ where: `${where} (${command})`, entry: entryKey.return(command), exact: m["return"] });
    } else if (typeof m["event"] === "string") {
      found.push({ where, entry: entryKey.data(m["event"]), exact: m["data"] ?? {} });
    }
  });
  return found;
}

function recordedSamples(): Sample[] {
  const fixture = join(repoRoot, "test/fixtures/qmp/qemu-7.2-queries.jsonl");
  const all = samples("qemu-7.2-queries.jsonl", readFileSync(fixture, "utf8").trim().split("\n"));
  const caps = join(libvirtCapsDir, "caps_7.2.0.x86_64.replies");
  if (existsSync(caps)) all.push(...samples("caps_7.2.0.x86_64.replies", splitJsonTexts(readFileSync(caps, "utf8"))));
  return all;
}

/** The engine's strict verdict on a sample. */
function engineVerdict(validators: SdkValidators, entry: string, value: unknown): boolean | undefined {
  const [kind, name, part] = entry.split(":") as [string, string, string];
  const r =
    kind === "event"
      ? validators.event(name, value, "strict")
      : part === "arguments"
        ? validators.commandArgs(name, value, "strict")
        : validators.commandReturn(name, value, "strict");
  return r && r.errors.length === 0;
}

const replacements: readonly unknown[] = [42, -1, 1.5, 2 ** 40, "x", "", true, null, [], {}, ["x"], [{}]];

/** A copy of `value` with one change at a random place: a value replaced, a member dropped or added. */
function variant(value: unknown, prng: Prng): unknown {
  const copy = structuredClone(value);
  const containers: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => (containers.push({ parent: v, key: i }), walk(x)));
    else if (typeof v === "object" && v !== null)
      for (const [k, x] of Object.entries(v))
        (containers.push({ parent: v as Record<string, unknown>, key: k }), walk(x));
  };
  walk(copy);
  if (containers.length === 0) return prng.pick(replacements);
  const { parent, key } = prng.pick(containers);
  const change = prng.int(0, 3);
  if (change === 0 && !Array.isArray(parent)) delete parent[key as string];
  else if (change === 1 && !Array.isArray(parent)) parent["no-such-member"] = prng.pick(replacements);
  else (parent as Record<string | number, unknown>)[key] = structuredClone(prng.pick(replacements));
  return copy;
}

test("qapi-ts jsonschema --release 7.2.0 is JSON Schema 2020-12 and agrees with the engine on the 7.2 recordings", () => {
  const cli = spawnSync(
    process.execPath,
    [join(repoRoot, "build/tools/cli/main.js"), "jsonschema", "--release", "7.2.0", "--out", out],
    { encoding: "utf8" },
  );
  assert.equal(cli.status, 0, cli.stderr);
  const text = readFileSync(join(out, "schema.json"), "utf8");
  assert.match(text, /"maximum": 9223372036854775807\b/, "64-bit bounds are written exactly");
  const document = JSON.parse(text) as JsonSchema;

  const ajv = new Ajv2020({ discriminator: true, strict: true, allowUnionTypes: true });
  assert.equal(ajv.validateSchema(document), true, ajv.errorsText(ajv.errors));
  ajv.addSchema(document, "qapi");
  const compiled = new Map<string, ValidateFunction | undefined>();
  const ajvVerdict = (entry: string, value: unknown): boolean | undefined => {
    if (!compiled.has(entry)) compiled.set(entry, ajv.getSchema(`qapi${defRef(entry)}`));
    const validate = compiled.get(entry);
    // ajv reads what JSON.parse gives: integers past 2^53 as rounded floats.
    return validate
      ? validate(JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v))))
      : undefined;
  };

  const { wire } = loadDescribedSchema({ release: "7.2.0", sdk: "qemu" }, "jsonschema");
  const engine = createValidators(wire);
  const recorded = recordedSamples();
  assert.ok(recorded.length > 100, `the recordings hold their messages (${recorded.length})`);
  const prng = createPrng(seed);
  const tally = { recorded: 0, recordedValid: 0, variants: 0, variantsValid: 0, variantsInvalid: 0 };
  for (const s of recorded) {
    const ours = engineVerdict(engine, s.entry, s.exact);
    if (ours === undefined) continue; // a command 7.2's history lacks (none in these recordings, but say so below)
    assert.equal(ajvVerdict(s.entry, s.exact), ours, `${s.where}: ${s.entry}: ajv and the engine disagree`);
    tally.recorded++;
    if (ours) tally.recordedValid++;
    for (let i = 0; i < casesPerMessage; i++) {
      const v = variant(s.exact, prng);
      const verdict = engineVerdict(engine, s.entry, v);
      assert.equal(
        ajvVerdict(s.entry, v),
        verdict,
        `${s.where}: ${s.entry} variant ${i} (QAPI_TS_FUZZ_SEED=${seed}): ajv and the engine disagree on ${JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? String(x) : x)).slice(0, 400)}`,
      );
      tally.variants++;
      if (verdict) tally.variantsValid++;
      else tally.variantsInvalid++;
    }
  }
  console.log(`# ${JSON.stringify(tally)} (seed ${seed})`);
  assert.equal(tally.recorded, recorded.length, "every recorded message has a schema entry");
  assert.equal(tally.recordedValid, tally.recorded, "the engine accepts every recorded message");
  assert.ok(tally.variantsInvalid > tally.variants / 4, "the variants include many invalid values");
  assert.ok(tally.variantsValid > 0, "and some valid ones");
});
