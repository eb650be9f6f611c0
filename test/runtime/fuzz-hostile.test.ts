/**
 * The seeded hostile-peer fuzzer (issue 18), beside fuzz-peer.test.ts (which
 * fuzzes timing, order and framing): here every message is hostile in
 * content — bigints where numbers or ids go, nesting past the reader's limit
 * and just within it, recursive-type chains, control characters and bidi
 * overrides in strings and keys, Object.prototype names, greetings and
 * `guest-info` replies that lie about the version (test/support/hostile-values.ts).
 *
 * Against the QMP client and the guest agent client (the ready-made SDKs, in
 * a random validation mode): connect settles, and when it fails the error is
 * a QmpError; every call settles with a value or a QmpError; afterwards the
 * session either still runs or ended with a QmpError. Against the mock: each
 * hostile client text costs at most an error reply, and the mock still
 * answers. Against the shell's renderers: whatever the value, the rendered
 * text holds no character a terminal acts on (terminalSafe leaves it as is).
 * An uncaught exception anywhere fails the file: the process must survive.
 *
 * QAPI_TS_FUZZ_SEED (default 20261218) and QAPI_TS_FUZZ_CASES (default 150)
 * repeat or extend a run; the counts are printed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPrng, type Prng } from "../support/prng.js";
import { hostileGreeting, hostileMessage, hostileString, hostileValue } from "../support/hostile-values.js";
import { FakePeer, type ReceivedCommand } from "./fake-peer.js";
import { connectEither, typed, type UntypedClient } from "./hostile-connect.js";
import { createDuplexPair, createMockQemu } from "../../runtime/mock/index.js";
import { sdk as qemuSdk } from "../../generated/qemu/index.js";
import { RawClient } from "../mock/raw-client.js";
import { parseJson } from "../../runtime/json.js";
import type { QmpEventMessage } from "../../runtime/messages.js";
import { colours, plain, renderError, renderEvent, renderReturn } from "../../tools/shell/render.js";
import { terminalSafe } from "../../tools/terminal-text.js";

const seed = Number(process.env["QAPI_TS_FUZZ_SEED"] ?? 20261218);
const cases = Number(process.env["QAPI_TS_FUZZ_CASES"] ?? 150);
const valid = '{"QMP":{"version":{"qemu":{"major":10,"minor":2,"micro":2},"package":""},"capabilities":["oob"]}}';

/** One client case: connect, a few calls, each answered (or not) with hostile messages. */
async function clientCase(rng: Prng, protocol: "qmp" | "qga", counts: Record<string, number>): Promise<void> {
  const validate = rng.pick(["off", "lenient", "strict"] as const);
  const hostile = (id: unknown) => Array.from({ length: rng.int(1, 3) }, () => hostileMessage(rng, String(id)));
  const peer = new FakePeer({
    onCommand: (c: ReceivedCommand, p) => {
      if (c.execute === "guest-sync-delimited") {
        p.raw(Buffer.from([0xff]));
        return p.reply(c, c.arguments!["id"]);
      }
      if (c.execute === "guest-info" && rng.next() < 0.7)
        return p.raw(
          `{"return":{"version":${rng.pick([hostileString(rng), '"../../7.2.0"', "18446744073709551616"])}},"id":${String(c.id)}}\r\n`,
        );
      if (c.execute === "qmp_capabilities" || c.execute === "guest-info") return p.reply(c);
      for (const text of hostile(c.id)) p.raw(text + "\r\n");
      if (rng.next() < 0.5) p.reply(c);
    },
  });
  if (protocol === "qmp") peer.raw((rng.next() < 0.3 ? hostileGreeting(rng) : valid) + "\r\n");
  const options = {
    ...peer.target,
    validate,
    handshakeTimeout: 1_000,
    syncTimeout: 1_000,
    onDiagnostic: () => undefined,
  };
  let client: UntypedClient;
  try {
    client = await connectEither(protocol, options);
  } catch (error) {
    assert.ok(typed(error), `connect rejected with ${String(error)}`);
    counts["connect refused"]!++;
    return;
  }
  for (let i = rng.int(1, 4); i > 0 && client.state === "running"; i--) {
    try {
      await client.executeWith("fuzz", undefined, { timeout: 100 });
      counts["calls answered"]!++;
    } catch (error) {
      assert.ok(typed(error), `a call rejected with ${String(error)}`);
      counts["calls rejected (typed)"]!++;
    }
  }
  if (client.state === "closed") {
    assert.ok(typed(await client.closed), "the session ended with an untyped reason");
    counts["sessions ended (typed)"]!++;
  } else counts["sessions survived"]!++;
  await client.close();
}

test(`hostile peers (seed ${seed}, ${cases} cases): the QMP and guest agent clients survive every message`, async () => {
  const counts: Record<string, number> = {
    "connect refused": 0,
    "calls answered": 0,
    "calls rejected (typed)": 0,
    "sessions ended (typed)": 0,
    "sessions survived": 0,
  };
  for (let n = 0; n < cases; n++) {
    const rng = createPrng(seed + n);
    const protocol = rng.next() < 0.7 ? "qmp" : "qga";
    await clientCase(rng, protocol, counts).catch((error: unknown) => {
      throw new Error(`case ${n} (seed ${seed + n}, ${protocol}): ${String(error)}`, { cause: error });
    });
  }
  console.log(
    `# hostile peers: ${cases} cases; ${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
});

test(`hostile clients of the mock (seed ${seed}, ${cases} cases): it answers each and goes on`, async () => {
  let texts = 0;
  for (let n = 0; n < cases; n++) {
    const rng = createPrng(seed ^ (n * 7919));
    const mock = createMockQemu({ sdk: qemuSdk });
    const [client, server] = createDuplexPair();
    mock.attach(server);
    const raw = new RawClient(client);
    await raw.next();
    await raw.call({ execute: "qmp_capabilities", id: 0 });
    for (let i = rng.int(1, 4); i > 0; i--, texts++) {
      const name = rng.pick(['"constructor"', '"__proto__"', '"query-status"', hostileString(rng)]);
      raw.sendRaw(
        rng.next() < 0.2
          ? hostileValue(rng)
          : `{"execute":${name},"arguments":${hostileValue(rng)},"id":${hostileValue(rng, 2)}}\n`,
      );
    }
    raw.send({ execute: "query-version", id: "last" });
    let last: unknown;
    for (let m = await raw.next(); m && last === undefined; m = last === undefined ? await raw.next() : undefined)
      if (m["id"] === "last") last = m;
    assert.ok(last !== undefined && "return" in (last as object), `case ${n}: the mock stopped answering`);
    raw.end();
  }
  console.log(`# hostile clients of the mock: ${cases} cases, ${texts} hostile texts`);
});

test(`hostile values (seed ${seed}, ${cases * 4} values): the shell's renderers write nothing a terminal acts on`, () => {
  let rendered = 0;
  for (let n = 0; n < cases * 4; n++) {
    const rng = createPrng(seed + 1_000_003 * n);
    let value: unknown;
    try {
      value = parseJson(hostileValue(rng, rng.pick([1, 3, 5, 300])));
    } catch {
      continue;
    }
    const name = JSON.parse(hostileString(rng)) as string;
    const event = { event: name, data: value, timestamp: value } as unknown as QmpEventMessage;
    for (const p of [colours, plain])
      for (const json of [false, true]) {
        const outputs = [
          renderReturn(value, p, json),
          renderReturn(name, p, json),
          renderError(name, name, p, json),
          renderEvent(event, p, json),
        ];
        for (const out of outputs)
          assert.equal(terminalSafe(out), out, `value ${n}: ${JSON.stringify(out).slice(0, 200)}`);
        rendered += outputs.length;
      }
  }
  console.log(`# hostile values: ${rendered} renderings checked`);
});
