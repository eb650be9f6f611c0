/**
 * Tests of scripts/fetch-qemu.sh and its helpers in scripts/lib/, without the
 * network: deb-src entries derived from a made-up apt configuration, Debian
 * version numbers mapped to QEMU versions, and whole fetches `--from` a
 * made-up QEMU-shaped tree and tarball into a temporary cache
 * (QAPI_TS_CACHE). CI itself copies the shared QEMU sources, so these tests
 * are what covers the other paths. No QEMU file is used or written here.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const libDir = join(repoRoot, "scripts", "lib");
const scratch = mkdtempSync(join(tmpdir(), "qapi-ts-fetch-test-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes `files` (relative path → text) under `root`. */
function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** Runs a bash snippet with scripts/lib's helpers sourced. */
function withLib(
  snippet: string,
  env: NodeJS.ProcessEnv = {},
): { stdout: string; stderr: string; status: number | null } {
  const script = `source "$1/common.sh"; source "$1/apt-deb-src.sh"; source "$1/apt-qemu-source.sh"; ${snippet}`;
  return spawnSync("bash", ["-c", script, "test", libDir], { encoding: "utf8", env: { ...process.env, ...env } });
}

function fetchQemu(args: string[], cache: string) {
  return spawnSync("bash", [join(repoRoot, "scripts", "fetch-qemu.sh"), ...args], {
    encoding: "utf8",
    env: { ...process.env, QAPI_TS_CACHE: cache, QAPI_TS_SHARED: join(scratch, "no-shared") },
  });
}

describe("deb-src entries from the machine's apt sources", () => {
  test("one-line and deb822 files, options, several URIs and suites, disabled entries, extra suites", () => {
    const etc = join(scratch, "apt-etc");
    writeTree(etc, {
      "sources.list": [
        "# a comment",
        "deb http://mirror.invalid/debian bookworm main contrib",
        "deb [arch=amd64 signed-by=/keys/k.gpg] http://mirror.invalid/security bookworm-security main",
        "deb-src http://mirror.invalid/debian bookworm main",
        "",
      ].join("\n"),
      "sources.list.d/a.sources": [
        "Types: deb deb-src",
        "URIs: http://one.invalid/debian http://two.invalid/debian",
        "Suites: bookworm bookworm-updates",
        "Components: main",
        "Signed-By: /keys/x.gpg",
        "",
        "Types: deb",
        "URIs: http://off.invalid/debian",
        "Suites: bookworm",
        "Components: main",
        "Enabled: no",
        "",
      ].join("\n"),
      "sources.list.d/b.sources": [
        "Types: deb",
        "URIs: http://embedded.invalid/debian",
        "Suites: trixie",
        "Components: main",
        "Signed-By:",
        " -----BEGIN PGP PUBLIC KEY BLOCK-----",
        " .",
        " -----END PGP PUBLIC KEY BLOCK-----",
        "",
      ].join("\n"),
      "sources.list.d/c.list.disabled": "deb http://disabled.invalid/debian bookworm main\n",
    });
    const result = withLib("apt_deb_src_list sid", { QAPI_TS_APT_ETC: etc });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.trimEnd().split("\n"), [
      "deb-src http://mirror.invalid/debian bookworm main contrib",
      "deb-src [signed-by=/keys/k.gpg] http://mirror.invalid/security bookworm-security main",
      "deb-src [signed-by=/keys/x.gpg] http://one.invalid/debian bookworm main",
      "deb-src [signed-by=/keys/x.gpg] http://one.invalid/debian bookworm-updates main",
      "deb-src [signed-by=/keys/x.gpg] http://two.invalid/debian bookworm main",
      "deb-src [signed-by=/keys/x.gpg] http://two.invalid/debian bookworm-updates main",
      "deb-src http://embedded.invalid/debian trixie main",
      // The extra suite, on every URI that serves a plain release suite.
      "deb-src http://mirror.invalid/debian sid main contrib",
      "deb-src [signed-by=/keys/x.gpg] http://one.invalid/debian sid main",
      "deb-src [signed-by=/keys/x.gpg] http://two.invalid/debian sid main",
      "deb-src http://embedded.invalid/debian sid main",
    ]);
  });

  test("no deb entries at all is a failure, not an empty list", () => {
    const etc = join(scratch, "apt-etc-empty");
    writeTree(etc, { "sources.list": "# nothing\n" });
    assert.notEqual(withLib("apt_deb_src_list", { QAPI_TS_APT_ETC: etc }).status, 0);
  });
});

test("Debian versions of source package qemu map to QEMU versions", () => {
  const cases: [string, string][] = [
    ["1:7.2+dfsg-7+deb12u18", "7.2.0"],
    ["1:10.2.2+ds-1", "10.2.2"],
    ["1:9.2.1+ds-1~bpo12+1", "9.2.1"],
    ["8.0", "8.0.0"],
    // A release candidate never passes for the release.
    ["1:10.0~rc1+ds-1", "10.0~rc1"],
  ];
  const script = cases.map(([debian]) => `debian_to_upstream_version '${debian}'`).join("; ");
  const result = withLib(script);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(
    result.stdout.trimEnd().split("\n"),
    cases.map(([, upstream]) => upstream),
  );
});

test("the SHA-256 a source index lists for one file of one version", () => {
  // The shape of `apt-cache showsrc qemu`: one paragraph per version, checksum lines indented.
  const index = join(scratch, "showsrc.txt");
  writeFileSync(
    index,
    [
      "Package: qemu",
      "Version: 1:5.2+dfsg-11",
      "Checksums-Sha256:",
      " 1111 10 qemu_5.2+dfsg-11.dsc",
      " 2222 20 qemu_5.2+dfsg.orig.tar.xz",
      "",
      "Package: qemu",
      "Version: 1:10.0.2+ds-2~bpo12+1",
      "Files:",
      " 9999 30 qemu_10.0.2+ds.orig.tar.xz",
      "Checksums-Sha256:",
      " 3333 30 qemu_10.0.2+ds.orig.tar.xz",
      " 4444 40 qemu_10.0.2+ds-2~bpo12+1.debian.tar.xz",
      "",
    ].join("\n"),
  );
  // private_apt is replaced by the recorded index: the parsing is what is tested here.
  const lookup = (version: string, file: string) =>
    withLib(`private_apt() { cat '${index}'; }; apt_listed_sha256 '${version}' '${file}'`).stdout.trim();
  assert.equal(lookup("1:10.0.2+ds-2~bpo12+1", "qemu_10.0.2+ds.orig.tar.xz"), "3333");
  assert.equal(lookup("1:5.2+dfsg-11", "qemu_5.2+dfsg.orig.tar.xz"), "2222");
  assert.equal(lookup("1:5.2+dfsg-11", "qemu_10.0.2+ds.orig.tar.xz"), "");
  assert.equal(lookup("1:9.0+ds-1", "qemu_5.2+dfsg.orig.tar.xz"), "");
});

describe("fetch-qemu.sh --from a QEMU-shaped tree", () => {
  // A made-up tree with the shape of QEMU's (upstream layout: docs in subdirectories).
  const tree = join(scratch, "qemu-9.9.9");
  writeTree(tree, {
    VERSION: "9.9.9\n",
    "qapi/qapi-schema.json": "{ 'include': 'a.json' }\n",
    "qapi/a.json": "{ 'command': 'a' }\n",
    "qapi/meson.build": "not a schema\n",
    "qga/qapi-schema.json": "{ 'command': 'g' }\n",
    "qga/other.c": "not a schema\n",
    "storage-daemon/qapi/qapi-schema.json": "{ 'command': 's' }\n",
    "tests/qapi-schema/case.json": "{ 'command': 'c' }\n",
    "tests/qapi-schema/case.err": "",
    "tests/qapi-schema/case.out": "dump\n",
    "tests/qapi-schema/include/sub.json": "{ 'command': 'i' }\n",
    "tests/qapi-schema/meson.build": "build glue\n",
    "tests/qapi-schema/test-qapi.py": "driver\n",
    "docs/devel/qapi-code-gen.rst": "language\n",
    "docs/interop/qmp-spec.rst": "protocol\n",
    "docs/other.rst": "unrelated\n",
    "scripts/qapi/schema.py": "front end\n",
  });

  test("copies the layout qapi-ts reads, and only that", () => {
    const cache = join(scratch, "cache-tree");
    const result = fetchQemu(["9.9.9", "--from", tree], cache);
    assert.equal(result.status, 0, result.stderr);
    const dest = join(cache, "qemu", "9.9.9");
    assert.equal(readFileSync(join(dest, "VERSION"), "utf8"), "9.9.9\n");
    assert.deepEqual(readdirSync(join(dest, "qapi")).sort(), ["a.json", "qapi-schema.json"]);
    assert.deepEqual(readdirSync(join(dest, "qga")), ["qapi-schema.json"]);
    assert.deepEqual(readdirSync(join(dest, "docs")).sort(), ["qapi-code-gen.rst", "qmp-spec.rst"]);
    assert.deepEqual(readdirSync(join(dest, "tests", "qapi-schema")).sort(), [
      "case.err",
      "case.json",
      "case.out",
      "include",
    ]);
    assert.ok(existsSync(join(dest, "storage-daemon", "qapi", "qapi-schema.json")));
    assert.ok(existsSync(join(dest, "scripts", "qapi", "schema.py")));
    // Nothing half-made is left beside it.
    assert.deepEqual(readdirSync(join(cache, "qemu")), ["9.9.9"]);

    const again = fetchQemu(["9.9.9", "--from", tree], cache);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /already in/);
  });

  test("refuses a tree of another version, and a malformed version", () => {
    const cache = join(scratch, "cache-mismatch");
    const other = fetchQemu(["9.9.8", "--from", tree], cache);
    assert.equal(other.status, 1);
    assert.match(other.stderr, /holds QEMU 9\.9\.9, not 9\.9\.8/);
    assert.equal(existsSync(join(cache, "qemu", "9.9.8")), false);
    const malformed = fetchQemu(["9.9", "--from", tree], cache);
    assert.equal(malformed.status, 1);
    assert.match(malformed.stderr, /not a QEMU version/);
  });

  test("extracts from a tarball with a top directory", () => {
    const tarball = join(scratch, "qemu-9.9.9.tar.gz");
    const tar = spawnSync("tar", ["-czf", tarball, "-C", scratch, "qemu-9.9.9"], { encoding: "utf8" });
    assert.equal(tar.status, 0, tar.stderr);
    const cache = join(scratch, "cache-tarball");
    const result = fetchQemu(["9.9.9", "--from", tarball], cache);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(join(cache, "qemu", "9.9.9", "qapi", "a.json"), "utf8"), "{ 'command': 'a' }\n");
    assert.ok(existsSync(join(cache, "qemu", "9.9.9", "docs", "qmp-spec.rst")));
  });

  test("--with-python-frontend adds scripts/qapi to a copy that lacks it", () => {
    const cache = join(scratch, "cache-python");
    const flat = join(scratch, "flat-9.9.9");
    writeTree(flat, {
      VERSION: "9.9.9\n",
      "qapi/qapi-schema.json": "{ 'command': 'a' }\n",
      "qga/qapi-schema.json": "{ 'command': 'g' }\n",
      "storage-daemon/qapi/qapi-schema.json": "{ 'command': 's' }\n",
      "tests/qapi-schema/case.json": "{ 'command': 'c' }\n",
      "docs/qmp-spec.rst": "protocol\n",
    });
    assert.equal(fetchQemu(["9.9.9", "--from", flat], cache).status, 0);
    assert.equal(existsSync(join(cache, "qemu", "9.9.9", "scripts")), false);
    const refused = fetchQemu(["9.9.9", "--from", flat, "--with-python-frontend"], cache);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /no scripts\/qapi/);
    const added = fetchQemu(["9.9.9", "--from", tree, "--with-python-frontend"], cache);
    assert.equal(added.status, 0, added.stderr);
    assert.ok(existsSync(join(cache, "qemu", "9.9.9", "scripts", "qapi", "schema.py")));
  });
});
