/**
 * An SDK carries its own version history only when generated with one
 * (`generate --history`, generator/emitters/history-data.ts): the descriptor
 * then names its loader, and the data decodes to the history it was given.
 * Without one, no history.ts and no loader, whatever the SDK is called
 * (runtime/follow-server.ts never looks a history up by name).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { generate } from "../../generator/index.js";
import { loadSchema } from "../../generator/load-schema.js";
import { readHistoryFile } from "../../tools/history/files.js";
import { decodeHistory, encodeHistory } from "../../core/history.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const schema = loadSchema(join(repoRoot, "schema/examples/kitchen-sink.json"));
const history = readHistoryFile(join(repoRoot, "generated/history/qga.json"));

test("an SDK named qemu generated without --history carries none", async () => {
  const files = await generate(schema, { name: "qemu", qemuVersion: "10.2.2" });
  assert.deepEqual(
    files.map((f) => f.path),
    ["types.ts", "commands.ts", "events.ts", "wire.ts", "index.ts"],
  );
  assert.doesNotMatch(files.find((f) => f.path === "index.ts")!.content, /history/);
});

test("with a history, the SDK ships it as data and the descriptor names its loader", async () => {
  const files = await generate(schema, { name: "qemu", qemuVersion: "10.2.2", history });
  const index = files.find((f) => f.path === "index.ts")!.content;
  assert.match(index, /\n {2}history: \(\) => import\("\.\/history\.js"\)\.then\(\(m\) => m\.history\(\)\),\n/);
  const data = files.find((f) => f.path === "history.ts")!.content;
  assert.match(data, /export function history\(\): History \{\n {2}return decodeHistory\(historyData\(\)\);\n\}/);
});

test("the history data decodes to the history, names like __proto__ kept as own keys", () => {
  assert.deepEqual(decodeHistory(encodeHistory(history)), history);
  const hostile = { ...history, commands: JSON.parse('{"__proto__": {"arg": "q_empty", "ret": "q_empty"}}') };
  const back = decodeHistory(encodeHistory(hostile));
  assert.ok(Object.hasOwn(back.commands, "__proto__"));
  assert.equal(Object.getPrototypeOf(back.commands), Object.prototype);
});
