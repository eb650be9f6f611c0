/**
 * Commands that take members beyond their declared ones (QEMU's `'gen': false`,
 * core/command-flags.ts): the engine checks the declared members and lets the
 * others through, in strict and lenient mode, while every other command keeps
 * refusing unknown members. Run on the shipped QEMU SDK's own validators.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sdk, wireSchema } from "../../generated/qemu/index.js";
import { decodeWireSchema, encodeWireSchema } from "../../core/data.js";

const hotplug = { driver: "virtio-blk-pci", drive: "disk0", id: "vd0", bootindex: 1 };

test("device_add carries a device's properties, strict and lenient, without notices", () => {
  for (const mode of ["strict", "lenient"] as const) {
    assert.deepEqual(sdk.validators.commandArgs("device_add", hotplug, mode), { errors: [], notices: [] }, mode);
  }
});

test("device_add's declared members stay checked", () => {
  const r = sdk.validators.commandArgs("device_add", { driver: 42, drive: "disk0" }, "strict")!;
  assert.deepEqual(r.errors, [{ path: "$.arguments.driver", message: "expected string, got 42" }]);
  const missing = sdk.validators.commandArgs("device_add", { drive: "disk0" }, "strict")!;
  assert.deepEqual(missing.errors, [{ path: "$.arguments.driver", message: "missing required member" }]);
});

test("other commands still refuse unknown members", () => {
  const r = sdk.validators.commandArgs("device_del", { id: "vd0", drive: "disk0" }, "strict")!;
  assert.deepEqual(r.errors, [{ path: "$.arguments.drive", message: "unknown member" }]);
});

test("the flag survives the SDK's data: only device_add has it in 10.2.2", () => {
  const schema = wireSchema();
  const open = [...schema.commands.values()].filter((c) => c.gen === false).map((c) => c.name);
  assert.deepEqual(open, ["device_add"]);
  const again = decodeWireSchema(encodeWireSchema(schema));
  assert.equal(again.commands.get("device_add")?.gen, false);
  assert.equal(again.commands.get("device_del")?.gen, true);
});
