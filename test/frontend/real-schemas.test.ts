/**
 * QEMU's real schemas (QMP, guest agent, storage daemon) of 7.2.0 and 10.2.2
 * load and check clean in default mode (no doc lint, legacy doc sections
 * accepted), and their dump is deterministic.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadSchema } from "../../generator/frontend/index.js";
import { dumpSchema } from "../../generator/model/dump.js";
import { qemuSourceDir } from "../support/qemu-sources.js";

const schemaFiles = ["qapi/qapi-schema.json", "qga/qapi-schema.json", "storage-daemon/qapi/qapi-schema.json"];

for (const version of ["7.2.0", "10.2.2"]) {
  for (const file of schemaFiles) {
    test(`QEMU ${version} ${file} loads clean and dumps deterministically`, () => {
      const path = join(qemuSourceDir(version), file);
      const schema = loadSchema(path);
      const first = dumpSchema(schema);
      const second = dumpSchema(loadSchema(path));
      assert.equal(second, first, "dumping twice gives different text");
      assert.equal(dumpSchema(schema), first, "dumping the same Schema twice gives different text");
      // Sanity: the main module and some commands made it into the model.
      assert.ok(schema.modules.some((m) => m.name === "qapi-schema.json"), "main module missing");
      const commands = [...schema.allDefinitions()].filter((d) => d.kind === "command");
      assert.ok(commands.length > 10, `only ${commands.length} commands`);
    });
  }
}
