/**
 * The command-line faces of the version history, run as a user would:
 * `qapi-ts versions NAME`, and `qapi-ts diff` with release names (from a
 * directory with nothing fetched) and with a source against libvirt's recorded
 * binary of the same release (the done-when: exit 0 with
 * `--fail-on breaking`; exit 1 against a release two years newer).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { libvirtCaps } from "../../support/libvirt-caps.js";
import { qemuSourceDir, repoRoot } from "../../../scripts/lib/qemu-sources.js";

const empty = mkdtempSync(join(tmpdir(), "qapi-ts-history-cli-"));
after(() => rmSync(empty, { recursive: true, force: true }));

function cli(args: string[], cwd = repoRoot) {
  return spawnSync(process.execPath, [join(repoRoot, "build/tools/cli/main.js"), ...args], {
    encoding: "utf8",
    cwd,
  });
}

test("versions: a member, with where it was seen", () => {
  const r = cli(["versions", "StatusInfo.singlestep"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^member 'singlestep' of type 'StatusInfo'\n  exists in: 4\.2\.0–8\.2\.8 \(Since: 0\.14\.0\)\n/,
  );
  assert.match(r.stdout, /seen in: sources 4\.2\.0–8\.2\.8; recorded binaries 4\.2\.0, /);
  assert.match(r.stdout, /deprecated: 8\.1\.0–8\.2\.8/);
});

test("versions: a command's deprecation, an enum value's condition, a guest agent command", () => {
  let r = cli(["versions", "query-cpus"]);
  assert.match(r.stdout, /exists in: 4\.2\.0–5\.2\.0.*\n.*\n  deprecated: 5\.0\.0–5\.2\.0/);
  r = cli(["versions", "NetClientDriver.passt"]);
  assert.match(r.stdout, /exists in: 10\.1\.0–10\.2\.2 \(Since: 10\.1\.0\)/);
  assert.match(r.stdout, /built only if CONFIG_PASST: 10\.1\.0–10\.2\.2/);
  r = cli(["versions", "--sdk", "qga", "guest-get-load"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^command 'guest-get-load'\n  exists in: 10\.0\.0–10\.2\.2/);
  r = cli(["versions", "--format", "json", "query-status"]);
  assert.equal(JSON.parse(r.stdout)[0].releases, "4.2.0-10.2.2");
});

test("versions: a stable release's change (migrate's uri became optional in 8.2.2)", () => {
  const r = cli(["versions", "migrate.uri"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\n  required: 4\.2\.0–8\.2\.1\n  optional: 8\.2\.2–10\.2\.2\n/);
});

test("versions: an unknown name is a one-line error", () => {
  const r = cli(["versions", "query-nothing"]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, "query-nothing: not in the qemu history (QEMU 4.2.0–10.2.2)\n");
});

test("versions: Object.prototype's names are names like any other, not found", () => {
  for (const name of ["StatusInfo.constructor", "constructor", "__proto__", "query-status.toString"]) {
    const r = cli(["versions", name]);
    assert.equal(r.status, 1, `${name}: ${r.stdout}`);
    assert.match(r.stderr, /not in the qemu history/, name);
  }
});

test("diff of two history releases works with nothing fetched", () => {
  // "6.2" names a release, never a fetched tree (this checkout's .cache/qemu/6.2.0 would be read for "6.2.0").
  const r = cli(["diff", "6.2", "8.2", "--format", "json"], empty);
  assert.equal(r.status, 0, r.stderr);
  const diff = JSON.parse(r.stdout);
  assert.equal(diff.old.label, "6.2 (version history)");
  const removed = diff.changes
    .filter((c: { kind: string }) => c.kind === "command-removed")
    .map((c: { name: string }) => c.name);
  assert.ok(removed.includes("x-query-rdma") === false, "undecided for 8.2 is not claimed removed");
  const added = diff.changes
    .filter((c: { kind: string }) => c.kind === "command-added")
    .map((c: { name: string }) => c.name);
  assert.ok(added.includes("query-stats"), `added: ${added.join(", ")}`);
  assert.equal(cli(["diff", "6.2.0", "8.2.0", "--fail-on", "breaking"], empty).status, 1);
});

test("7.2.0's source against the 7.2.0 binary: only build conditions differ, so --fail-on breaking passes", () => {
  const source = join(qemuSourceDir("7.2.0"), "qapi", "qapi-schema.json");
  const r = cli(["diff", source, libvirtCaps("7.2.0", "x86_64"), "--fail-on", "breaking", "--format", "json"]);
  assert.equal(r.status, 0, r.stdout.slice(0, 2000));
  const diff = JSON.parse(r.stdout);
  assert.ok(diff.changes.length > 0);
  assert.ok(diff.changes.every((c: { kind: string }) => c.kind === "not-built"));
  assert.ok(
    diff.changes.some(
      (c: { name: string; detail: string }) =>
        c.name === "query-cpu-model-comparison" && /built only if TARGET_S390X/.test(c.detail),
    ),
  );
  // Release name and source give the same answer.
  assert.equal(cli(["diff", "7.2.0", libvirtCaps("7.2.0", "x86_64"), "--fail-on", "breaking"]).status, 0);
});

test("against releases two years apart, --fail-on breaking fails", () => {
  const source = join(qemuSourceDir("7.2.0"), "qapi", "qapi-schema.json");
  // 7.2 (Dec 2022) → 9.2 (Dec 2024) as the history has it.
  assert.equal(cli(["diff", source, "9.2.0", "--fail-on", "breaking"]).status, 1);
  // The 5.2 binary (Dec 2020) meeting 7.2's schema.
  assert.equal(cli(["diff", libvirtCaps("5.2.0", "x86_64"), source, "--fail-on", "breaking"]).status, 1);
});

test("versions: a member of what a command returns, and names close to a misspelt one", () => {
  let r = cli(["versions", "query-cpus-fast.arch"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^member 'arch' of what command 'query-cpus-fast' returns\n  exists in: 4\.2\.0–5\.2\.0/);
  r = cli(["versions", "query-stauts"]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^query-stauts: not in the qemu history \(QEMU 4\.2\.0–10\.2\.2\); similar: .*query-status/);
});

test("5.2.0's source, the other release with both a source and a recording: 0 against its binary, 1 against 7.2's", () => {
  const source = join(qemuSourceDir("5.2.0"), "qapi", "qapi-schema.json");
  assert.equal(cli(["diff", source, libvirtCaps("5.2.0", "x86_64"), "--fail-on", "breaking"]).status, 0);
  // 5.2 (Dec 2020) → the 7.2 binary (Dec 2022): block_passwd, migrate_set_speed … are gone.
  const newer = cli(["diff", source, libvirtCaps("7.2.0", "x86_64"), "--fail-on", "breaking"]);
  assert.equal(newer.status, 1);
  assert.match(newer.stdout, /^BREAKING\/safe {5}command 'block_passwd': removed$/m);
});
