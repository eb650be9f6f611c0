/**
 * Tests of scripts/fetch-libvirt-caps.sh without the network: fetches
 * `--from` a libvirt-shaped tree and tarball (holding copies of real
 * recordings from the cache, in a temporary directory outside the repository)
 * into a temporary cache (QAPI_TS_CACHE), and its one-line errors. The
 * Debian download path runs in every `npm test` (scripts/test.sh).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { libvirtCaps } from "../support/libvirt-caps.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const scratch = mkdtempSync(join(tmpdir(), "qapi-ts-libvirt-test-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function fetchCaps(args: string[], cache: string) {
  return spawnSync("bash", [join(repoRoot, "scripts", "fetch-libvirt-caps.sh"), ...args], {
    encoding: "utf8",
    env: { ...process.env, QAPI_TS_CACHE: cache },
  });
}

/** A libvirt-shaped tree with two recordings (and a file that is not one). */
function makeTree(root: string): void {
  const data = join(root, "tests", "qemucapabilitiesdata");
  mkdirSync(data, { recursive: true });
  copyFileSync(libvirtCaps("7.2.0", "x86_64"), join(data, "caps_7.2.0.x86_64.replies"));
  copyFileSync(libvirtCaps("5.2.0", "s390x"), join(data, "caps_5.2.0.s390x.replies"));
  copyFileSync(libvirtCaps("7.2.0", "x86_64"), join(data, "caps_7.2.0.x86_64.xml"));
}

test("--from a tree copies the recordings, and a second run does nothing", () => {
  const tree = join(scratch, "libvirt-9.0.0");
  makeTree(tree);
  const cache = join(scratch, "cache-tree");
  let r = fetchCaps(["--from", tree], cache);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(join(cache, "libvirt-caps")).sort(), [
    "LIBVIRT_VERSION",
    "caps_5.2.0.s390x.replies",
    "caps_7.2.0.x86_64.replies",
  ]);
  assert.equal(readFileSync(join(cache, "libvirt-caps", "LIBVIRT_VERSION"), "utf8"), "9.0.0\n");
  assert.match(r.stderr, /2 QEMU recordings from libvirt 9\.0\.0/);
  r = fetchCaps(["--from", tree], cache);
  assert.equal(r.status, 0);
  assert.match(r.stderr, /already in/);
});

test("--from a tarball extracts only the recordings", () => {
  const tree = join(scratch, "t", "libvirt-9.0.0");
  makeTree(tree);
  const tarball = join(scratch, "libvirt_9.0.0.orig.tar.xz");
  assert.equal(spawnSync("tar", ["-cJf", tarball, "-C", join(scratch, "t"), "libvirt-9.0.0"]).status, 0);
  const cache = join(scratch, "cache-tar");
  const r = fetchCaps(["--from", tarball], cache);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(
    readdirSync(join(cache, "libvirt-caps"))
      .filter((f) => f.endsWith(".replies"))
      .sort(),
    ["caps_5.2.0.s390x.replies", "caps_7.2.0.x86_64.replies"],
  );
});

test("bad sources are one-line errors and leave no cache behind", () => {
  const cache = join(scratch, "cache-bad");
  const cases: [string[], RegExp][] = [
    [["--from", join(scratch, "nowhere")], /--from .*nowhere: no such directory or file/],
    [["--from", scratch], /has no tests\/qemucapabilitiesdata\/caps_\*\.replies/],
    [["--bogus"], /unknown argument --bogus/],
  ];
  for (const [args, message] of cases) {
    const r = fetchCaps(args, cache);
    assert.equal(r.status, 1, args.join(" "));
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
  assert.deepEqual(
    readdirSync(cache).filter((f) => f === "libvirt-caps"),
    [],
  );
});
