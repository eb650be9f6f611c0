/**
 * `validate-log` with each kind of schema it takes: a source, an introspection
 * file, a recorded conversation, a release of the version history, and the
 * log's own query-qmp-schema reply (--schema-from-log). The log is Debian QEMU
 * 7.2's recorded conversation (test/fixtures/qmp/qemu-7.2-queries.jsonl).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { libvirtCaps } from "../../support/libvirt-caps.js";
import { qemuSourceDir, repoRoot } from "../../../scripts/lib/qemu-sources.js";

const log = join(repoRoot, "test", "fixtures", "qmp", "qemu-7.2-queries.jsonl");
const tmp = mkdtempSync(join(repoRoot, "build", "validate-log-schemas-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function validate(...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, "build/tools/cli/main.js"), "validate-log", ...args], {
    encoding: "utf8",
  });
}
const summary = (stdout: string) => /(\d+) violation\(s\)/.exec(stdout)?.[1];

test("the 7.2 log passes against 7.2 in every form", () => {
  const forms = [
    ["--schema", join(qemuSourceDir("7.2.0"), "qapi", "qapi-schema.json")],
    ["--schema", join(repoRoot, "test", "fixtures", "introspection", "qemu-system-x86_64-7.2.json")],
    ["--schema", libvirtCaps("7.2.0", "x86_64")],
    ["--schema", "7.2"],
    ["--schema-from-log"],
  ];
  for (const form of forms) {
    const r = validate(...form, log);
    assert.equal(r.status, 0, `${form.join(" ")}: ${r.stdout.slice(-1500)}${r.stderr}`);
    assert.equal(summary(r.stdout), "0", form.join(" "));
  }
});

test("a history release with no sources fetched validates too, and finds what that release lacks", () => {
  // 10.2.0 is in no cache: its schema comes from the shipped history. The 7.2 log calls x-query-rdma, gone by then.
  const r = validate("--schema", "10.2.0", log);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /unknown command 'x-query-rdma'/);
  assert.match(r.stdout, /query-status.*singlestep|singlestep.*unknown member/);
});

test("the 10.2.2 source finds the 7.2 log's differences (the issue's false rejections)", () => {
  const r = validate("--schema", join(qemuSourceDir("10.2.2"), "qapi", "qapi-schema.json"), log);
  assert.equal(r.status, 1);
  assert.ok(Number(summary(r.stdout)) > 0);
});

test("--schema-from-log: a log without its schema is a one-line error; a tampered reply is still caught", () => {
  const noSchema = join(tmp, "no-schema.jsonl");
  writeFileSync(noSchema, '{"execute":"query-status","id":1}\n{"return":{"running":true,"status":"running"},"id":1}\n');
  let r = validate("--schema-from-log", noSchema);
  assert.equal(r.status, 1);
  assert.match(
    r.stderr,
    /^.*no-schema\.jsonl: no successful reply to query-version \(--schema-from-log needs the log to hold both replies\)\n$/,
  );
  const tampered = join(tmp, "tampered.jsonl");
  writeFileSync(
    tampered,
    readFileSync(log, "utf8").replace('"running":false', '"running":"no"').replace('"running":true', '"running":"yes"'),
  );
  r = validate("--schema-from-log", tampered);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /\$\.return\.running: /);
});

test("neither --schema nor --schema-from-log is a usage error", () => {
  const r = validate(log);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /give --schema or --schema-from-log/);
});
