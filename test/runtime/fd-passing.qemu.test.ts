/**
 * File descriptors passed to a real QEMU 7.2 (SCM_RIGHTS through the optional
 * usocket): `getfd`, and `add-fd` of an opened qcow2 file followed by
 * `blockdev-add` of /dev/fdset/N, directly and through the proxy; a transport
 * that cannot carry descriptors, and a process without usocket
 * (fd/without-usocket.ts), where the call fails with FdPassingError and
 * nothing is sent.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connect } from "../../generated/qemu/index.js";
import { FdPassingError } from "../../runtime/index.js";
import { startProxy } from "../../runtime/proxy.js";
import {
  bareMachineArgs,
  cleanupAll,
  makeTempDir,
  qemuImg,
  qemuSystem,
  startProcess,
  waitForPath,
} from "./qemu-helpers.js";

after(cleanupAll);

async function startQemu(dir: string): Promise<string> {
  const path = join(dir, "qmp.sock");
  const child = startProcess(qemuSystem, [...bareMachineArgs, "-qmp", `unix:${path},server=on,wait=off`]);
  await waitForPath(path, child);
  return path;
}

function qcow2(dir: string, name: string): string {
  const file = join(dir, name);
  execFileSync(qemuImg, ["create", "-q", "-f", "qcow2", file, "1M"]);
  return file;
}

/** add-fd of the opened image, then blockdev-add of /dev/fdset/N: the node reads the image through it. */
async function addImageByFd(client: Awaited<ReturnType<typeof connect>>, image: string, fdset: number, node: string) {
  const fd = openSync(image, "r+");
  try {
    const added = await client.executeWith("add-fd", { "fdset-id": fdset }, { fds: [fd] });
    assert.equal(added["fdset-id"], fdset);
  } finally {
    closeSync(fd); // QEMU holds its own copy now
  }
  await client.execute("blockdev-add", {
    driver: "qcow2",
    "node-name": node,
    file: { driver: "file", filename: `/dev/fdset/${fdset}` },
  });
  const nodes = await client.execute("query-named-block-nodes", { flat: true });
  const ours = nodes.find((n) => n["node-name"] === node);
  assert.equal(ours?.image.filename, `/dev/fdset/${fdset}`);
  assert.equal(ours?.image.format, "qcow2");
  assert.equal(ours?.image["virtual-size"], 1 << 20);
}

test("add-fd of an opened qcow2, then blockdev-add of /dev/fdset/N; getfd and closefd", async () => {
  const dir = makeTempDir();
  const client = await connect({ path: await startQemu(dir), fds: true, validate: "strict" });
  await addImageByFd(client, qcow2(dir, "a.qcow2"), 1, "disk-a");
  const fd = openSync(qcow2(dir, "b.qcow2"), "r");
  await client.executeWith("getfd", { fdname: "image-b" }, { fds: [fd] });
  closeSync(fd);
  await client.execute("closefd", { fdname: "image-b" });
  await assert.rejects(client.execute("closefd", { fdname: "image-b" }), { name: "ExecuteError" });
  await client.close();
});

test("a transport that cannot carry descriptors: FdPassingError, nothing sent, the session goes on", async () => {
  const dir = makeTempDir();
  const client = await connect({ path: await startQemu(dir) }); // no fds: true
  const fd = openSync(qcow2(dir, "c.qcow2"), "r");
  await assert.rejects(
    client.executeWith("add-fd", { "fdset-id": 2 }, { fds: [fd] }),
    (e: unknown) => e instanceof FdPassingError && e.reason === "transport",
  );
  closeSync(fd);
  // Had add-fd gone out without its descriptor, QEMU would have answered with an error; nothing is pending.
  assert.equal(client.pendingCount, 0);
  assert.deepEqual(await client.execute("query-fdsets"), []);
  await client.close();
});

test("without usocket: fds: true still connects, and a call with fds fails with FdPassingError, nothing sent", async () => {
  const dir = makeTempDir();
  const here = fileURLToPath(new URL("./fd/", import.meta.url));
  const out = execFileSync(
    process.execPath,
    ["--import", join(here, "hide-usocket.js"), join(here, "without-usocket.js"), dir, qcow2(dir, "d.qcow2")],
    { encoding: "utf8" },
  );
  const result = JSON.parse(out) as { name: string; reason: string; lines: string[] };
  assert.equal(result.name, "FdPassingError");
  assert.equal(result.reason, "missing");
  assert.deepEqual(
    result.lines.map((line) => (JSON.parse(line) as { execute: string }).execute),
    ["qmp_capabilities", "query-fdsets"],
    "add-fd was never sent",
  );
});

test("through the proxy: a client's descriptor reaches QEMU with its add-fd", async () => {
  const dir = makeTempDir();
  const shared = join(dir, "shared.sock");
  await using proxy = await startProxy({ connect: { path: await startQemu(dir) }, listen: { path: shared } });
  const client = await connect({ path: proxy.path, fds: true });
  await addImageByFd(client, qcow2(dir, "e.qcow2"), 5, "disk-e");
  await client.close();
});
