/**
 * The mock QEMU against a hostile client (issue 18): commands named like
 * Object.prototype's members find no handler (before, `constructor` echoed
 * its arguments, and with an SDK it never answered); ids and arguments
 * nested past the reader's depth limit, or with 2^64, cost an error reply,
 * not the test process; the one splitter (runtime/json-stream.ts) skips a
 * message past the depth limit and reads on.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createDuplexPair, createMockQemu } from "../../runtime/mock/index.js";
import { JsonTextSplitter, maxMessageDepth } from "../../runtime/json-stream.js";
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

test("the splitter reports a message past the depth limit once, skips it, and reads on", () => {
  const splitter = new JsonTextSplitter();
  const texts: string[] = [];
  const faults: string[] = [];
  const sink = {
    text: (t: string) => void texts.push(t),
    fault: (f: { reason: string }) => void faults.push(f.reason),
  };
  const deep = "[".repeat(maxMessageDepth + 1) + "]".repeat(maxMessageDepth + 1);
  // Across chunks, as a socket delivers it.
  splitter.read(`{"a": 1}\n${deep.slice(0, 700)}`, sink);
  splitter.read(`${deep.slice(700)}\n{"b": 2}\n`, sink);
  assert.deepEqual(faults, ["too-deep"]);
  assert.deepEqual(texts, ['{"a": 1}', '{"b": 2}']);
});
