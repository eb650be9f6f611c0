/**
 * The SDKs' validators as Standard Schema v1 (runtime/standard-schema.ts):
 * assignable to `@standard-schema/spec`'s own types with the SDK's types as
 * output; `validate` gives `{ value }` or issues whose paths are key lists
 * (including keys that need quoting in an engine path); unknown names give
 * an issue; and a real consumer, Hono's Standard Schema validator
 * middleware, refuses a bad request body with the engine's finding and
 * hands a good one on typed. Each schema is also Standard JSON Schema: its
 * draft-2020-12 and draft-07 forms, compiled by ajv, give the engine's
 * verdicts (device_add's extra members included); other targets throw.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { StandardJSONSchemaV1, StandardSchemaV1 } from "@standard-schema/spec";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { Hono } from "hono";
import { sValidator } from "@hono/standard-validator";
import { standardSchemas, type CommandMap, type StatusInfo } from "../../generated/qemu/index.js";
import { standardSchemas as agentSchemas } from "../../generated/qga/index.js";
import { pathKeys } from "../../runtime/standard-schema.js";
import { UsageError } from "../../runtime/errors.js";
import type { CommandArgs } from "../../runtime/sdk.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

test("the schemas are Standard Schema v1 to the specification's own types, typed by the SDK", () => {
  const result: StandardSchemaV1 = standardSchemas.result("query-status");
  const args: StandardSchemaV1 = standardSchemas.arguments("blockdev-add");
  const typedResult: Equal<
    StandardSchemaV1.InferOutput<ReturnType<typeof standardSchemas.result<"query-status">>>,
    StatusInfo
  > = true;
  const typedArgs: Equal<
    StandardSchemaV1.InferOutput<ReturnType<typeof standardSchemas.arguments<"qom-list">>>,
    CommandArgs<CommandMap, "qom-list">
  > = true;
  assert.ok(typedResult && typedArgs);
  assert.equal(result["~standard"].version, 1);
  assert.equal(args["~standard"].vendor, "qapi-ts");
  assert.equal(standardSchemas.result("query-status"), result, "one schema per name");
});

test("validate: the value when valid, issues with key paths when not", async () => {
  const schema = standardSchemas.arguments("blockdev-add");
  const good = { driver: "null-co", "node-name": "n0", size: 2n ** 60n };
  assert.deepEqual(await schema["~standard"].validate(good), { value: good });
  const bad = await schema["~standard"].validate({ driver: "null-co", "node-name": 7, "read-zeroes": "yes" });
  assert.deepEqual(bad.issues, [
    { message: "expected string, got 7", path: ["node-name"] },
    { message: 'expected boolean, got "yes"', path: ["read-zeroes"] },
  ]);
  const nested = await standardSchemas.result("query-block")["~standard"].validate([{ device: "d", locked: 1 }]);
  assert.ok(nested.issues?.some((i) => i.message === "expected boolean, got 1" && i.path?.join("/") === "0/locked"));
  const unknown = await standardSchemas.event("STOP")["~standard"].validate({ extra: true });
  assert.deepEqual(unknown.issues, [{ message: "unknown member", path: ["extra"] }]);
  const missing = (standardSchemas.arguments as (name: string) => StandardSchemaV1)("no-such-command");
  assert.match(String((await missing["~standard"].validate({})).issues?.[0]?.message), /no command 'no-such-command'/);
  const agent = await agentSchemas.arguments("guest-file-read")["~standard"].validate({ handle: "h" });
  assert.deepEqual(agent.issues?.[0]?.path, ["handle"]);
});

test("the schemas are Standard JSON Schema too: draft-2020-12 and draft-07, with the engine's verdicts", async () => {
  const schema: StandardJSONSchemaV1 = standardSchemas.arguments("blockdev-add");
  const values: [unknown, boolean][] = [
    [{ driver: "null-co", "node-name": "n0", size: 1024 }, true],
    [{ driver: "null-co", "node-name": 7 }, false],
    [{ driver: "qcow2", "node-name": "q", file: "n0", "lazy-refcounts": true }, true],
    [{ driver: "qcow2", "node-name": "q", file: "n0", "no-such-member": 1 }, false],
    [{ driver: "no-such-driver" }, false],
  ];
  const modern = schema["~standard"].jsonSchema.input({ target: "draft-2020-12" });
  assert.equal(modern["$schema"], "https://json-schema.org/draft/2020-12/schema");
  assert.equal(modern["type"], "object", "the root says what the arguments are");
  const draft07 = schema["~standard"].jsonSchema.output({ target: "draft-07" });
  assert.equal(draft07["$schema"], "http://json-schema.org/draft-07/schema#");
  assert.ok(!JSON.stringify(draft07).includes("$defs"), "no $defs left in draft-07");
  const checks = [
    new Ajv2020({ discriminator: true, allowUnionTypes: true, strict: false }).compile(modern),
    new Ajv({ discriminator: true, allowUnionTypes: true, strict: false }).compile(draft07),
  ];
  for (const [value, valid] of values) {
    const engine = (await standardSchemas.arguments("blockdev-add")["~standard"].validate(value)).issues === undefined;
    assert.equal(engine, valid, JSON.stringify(value));
    for (const check of checks) assert.equal(check(value), valid, JSON.stringify(value));
  }
  // 'gen': false: device_add's declared members are checked, others allowed, as the engine does.
  const deviceAdd = new Ajv2020({ strict: false }).compile(
    standardSchemas.arguments("device_add")["~standard"].jsonSchema.input({ target: "draft-2020-12" }),
  );
  assert.equal(deviceAdd({ driver: "virtio-blk-pci", id: "vd0", drive: "disk0", bootindex: 1 }), true);
  assert.equal(deviceAdd({ driver: 7 }), false);
  // 64-bit bounds as JSON numbers, a JSON consumer's reading of them.
  assert.doesNotThrow(() => JSON.stringify(modern));
  assert.throws(
    () => schema["~standard"].jsonSchema.input({ target: "openapi-3.0" }),
    (e: unknown) => e instanceof UsageError && /target 'openapi-3.0' is not supported/.test(e.message),
  );
  const missing = (standardSchemas.arguments as (name: string) => StandardJSONSchemaV1)("no-such-command");
  assert.throws(() => missing["~standard"].jsonSchema.input({ target: "draft-07" }), /no command 'no-such-command'/);
  const status = standardSchemas.result("query-status")["~standard"].jsonSchema.output({ target: "draft-2020-12" });
  assert.deepEqual((status["required"] as string[]).sort(), ["running", "status"]);
});

test("pathKeys reads every path the engine writes", () => {
  assert.deepEqual(pathKeys("$"), []);
  assert.deepEqual(pathKeys('$.return[0]["node-name"]'), ["return", 0, "node-name"]);
  assert.deepEqual(pathKeys('$["a.b"]["x\\"]y"][12]._z'), ["a.b", 'x"]y', 12, "_z"]);
  assert.throws(() => pathKeys("return.x"), /not a validator path/);
});

test("a Standard Schema consumer: Hono's validator middleware", async () => {
  const app = new Hono();
  app.post("/qom-list", sValidator("json", standardSchemas.arguments("qom-list")), (c) => {
    const args = c.req.valid("json");
    const path: string = args.path;
    return c.json({ path });
  });
  const post = (body: unknown) =>
    app.request("/qom-list", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });
  const ok = await post({ path: "/machine" });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { path: "/machine" });
  const refused = await post({ path: 42 });
  assert.equal(refused.status, 400);
  const body = JSON.stringify(await refused.json());
  assert.match(body, /expected string, got 42/);
  assert.match(body, /"path":\["path"\]/);
});
