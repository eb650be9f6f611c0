/**
 * The mock QEMU against a hostile client (issue 18): commands named like
 * Object.prototype's members find no handler (before, `constructor` echoed
 * its arguments, and with an SDK it never answered); ids and arguments
 * nested past the reader's depth limit, or with 2^64, cost an error reply,
 * not the test process; an unterminated message is bounded at the size
 * limit instead of being buffered (at growing cost) for ever.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createDuplexPair, createMockQemu } from "../../runtime/mock/index.js";
import { JsonTextSplitter } from "../../runtime/mock/wire.js";
import { maxMessageDepth } from "../../runtime/json-stream.js";
import { sdk } from "../../generated/qemu/index.js";
import { RawClient } from "./raw-client.js";

async function negotiated(withSdk: boolean): Promise<RawClient> {
  const mock = withSdk ? createMockQemu({ sdk }) : createMockQemu({});
  const [client, server] = createDuplexPair();
  mock.attach(server);
  const raw = new RawClient(client);
  await raw.next(); // greeting
  await raw.call({ execute: "qmp_capabilities", id: 0 });
  return raw;
}

test("commands named like Object.prototype's members are unknown, with or without an SDK", async () => {
  for (const withSdk of [false, true]) {
    const raw = await negotiated(withSdk);
    for (const [i, name] of ["constructor", "__proto__", "toString", "hasOwnProperty"].entries()) {
      const [reply] = await raw.call({ execute: name, arguments: { echo: "me" }, id: i + 1 });
      assert.equal((reply!["error"] as { class: string }).class, "CommandNotFound", `${name} (sdk: ${withSdk})`);
    }
    raw.end();
  }
});

test("deep and bigint ids and arguments cost an error reply, and the connection goes on", async () => {
  const raw = await negotiated(true);
  const deep = (n: number) => "[".repeat(n) + "1" + "]".repeat(n);
  raw.sendRaw(`{"execute": "query-status", "id": ${deep(maxMessageDepth + 5)}}\n`);
  raw.sendRaw(`{"execute": "query-status", "arguments": {"x": ${deep(100_000)}}, "id": 2}\n`);
  raw.sendRaw(`{"execute": "qom-list", "arguments": {"path": 18446744073709551616}, "id": 18446744073709551616}\n`);
  const [reply] = await raw.call({ execute: "query-version", id: 4 });
  assert.ok(reply, "the mock still answers");
  raw.end();
});

test("an unterminated message is handed over at the size limit, not kept growing", () => {
  const splitter = new JsonTextSplitter();
  const chunk = `{"x": "${"a".repeat(1024 * 1024)}`;
  let handed: string[] = [];
  for (let i = 0; i < 80 && handed.length === 0; i++) handed = splitter.push(i === 0 ? chunk : "a".repeat(1024 * 1024));
  assert.equal(handed.length, 1, "handed over once past 64 MiB");
  assert.equal(splitter.pending(), "");
});
