/**
 * The mock answers protocol-level situations the way the real QEMU 7.2 does:
 * the same raw script goes to both, and the shapes of the answers (reply kind,
 * error class, echoed id) must match. This is what makes the mock a fair
 * stand-in for runtime tests.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { sdk, type CommandMap, type EventMap } from "../../generated/qemu/index.js";
import { createDuplexPair, createMockQemu, type JsonObject } from "../../runtime/mock/index.js";
import { waitUntilListening } from "../support/monitor-ready.js";
import { RawClient } from "./raw-client.js";

const qemu = "/usr/bin/qemu-system-x86_64";

/** Raw inputs, each answered by exactly one message. */
const script: string[] = [
  `{"execute":"query-status","id":1}`, // before negotiation
  `{"execute":"qmp_capabilities","arguments":{"enable":["telepathy"]},"id":2}`,
  `{"execute":"qmp_capabilities","arguments":{"enable":["oob"]},"id":3}`,
  `{"execute":"qmp_capabilities","id":4}`, // again
  `{"execute":"no-such-command","id":5}`,
  `{"execute":"query-status","colour":"red","id":6}`,
  `{"execute":"query-status","arguments":[1],"id":7}`,
  `{"exec-oob":"query-status","id":8}`, // not allowed out-of-band
  `{"execute":"device_del","arguments":{"id":"x","force":true},"id":9}`, // unknown argument
  `{"execute":"device_del","arguments":{},"id":10}`, // missing argument
  `{"execute":"query-name","id":11}`,
  `[1, 2]`, // not an object
  `{"arguments":{},"id":13}`, // no command at all
];

/** What is compared: reply kind, error class, id. Descriptions and values may differ. */
function shapeOf(message: JsonObject | undefined): string {
  if (!message) return "nothing";
  const id = JSON.stringify(message["id"] ?? null);
  if ("return" in message) return `return id=${id}`;
  if ("error" in message) return `error ${(message["error"] as JsonObject)["class"]} id=${id}`;
  return `other ${JSON.stringify(message).slice(0, 40)}`;
}

async function run(client: RawClient): Promise<string[]> {
  const greeting = await client.next();
  assert.ok(greeting && "QMP" in greeting);
  const out: string[] = [];
  for (const line of script) {
    client.sendRaw(line + "\n");
    out.push(shapeOf(await client.next()));
  }
  return out;
}

test(
  "the mock and QEMU 7.2 answer the same protocol script alike",
  { skip: existsSync(qemu) ? false : "no QEMU" },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "qapi-ts-mock-vs-qemu-"));
    const path = join(dir, "qmp.sock");
    const child = spawn(
      qemu,
      ["-machine", "none", "-nodefaults", "-display", "none", "-qmp", `unix:${path},server=on,wait=off`],
      { stdio: "ignore" },
    );
    let real: string[];
    try {
      await waitUntilListening(path, () => child.exitCode === null);
      const socket = connect(path);
      real = await run(new RawClient(socket));
      socket.destroy();
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }

    const mock = createMockQemu<CommandMap, EventMap>({
      sdk,
      handlers: {
        "query-status": () => ({ running: false, status: "prelaunch" }),
        "query-name": () => ({}),
        device_del: () => {},
      },
    });
    const [a, b] = createDuplexPair();
    mock.attach(b);
    const mocked = await run(new RawClient(a));
    await mock.close();
    assert.deepEqual(mocked, real);
    assert.equal(real[0], "error CommandNotFound id=1");
    assert.equal(real[2], "return id=3");
  },
);
