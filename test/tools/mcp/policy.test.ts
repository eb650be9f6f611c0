/**
 * The MCP server's policy (tools/mcp/policy.ts) on real schemas: the
 * default deny-list derived from arguments (QEMU 10.2.2's and 7.2's
 * `human-monitor-command`, fd passing) and from the table, the three
 * profiles, hidden features, and `--allow` / `--deny` globs with their order.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Policy, globMatcher, type PolicyOptions } from "../../../tools/mcp/policy.js";
import { historyAt } from "../../../core/history.js";
import { readHistory } from "../../../tools/history/files.js";
import { wireSchema } from "../../../generated/qemu/wire.js";
import { wireSchema as agentWire } from "../../../generated/qga/wire.js";

const base: PolicyOptions = { profile: "vm-control", allow: [], deny: [], deprecated: false, unstable: false };
const qemu = wireSchema();

test("the default deny-list: derived from arguments, and the table", () => {
  for (const wire of [qemu, historyAt(readHistory("qemu"), "7.2.0")]) {
    const policy = new Policy({ ...base, profile: "full" }, wire);
    assert.match(
      policy.verdict("human-monitor-command").reason,
      /arbitrary monitor text \(its 'command-line' argument\)/,
    );
    for (const fd of ["getfd", "closefd", "add-fd", "remove-fd"])
      assert.match(policy.verdict(fd).reason, /file descriptors/, fd);
    for (const memory of ["memsave", "pmemsave", "dump-guest-memory"])
      assert.match(policy.verdict(memory).reason, /reads guest memory/, memory);
    assert.equal(policy.verdict("blockdev-add").allowed, true);
    assert.equal(policy.verdict("no-such-command").allowed, false);
  }
  const agent = new Policy({ ...base, profile: "full" }, agentWire());
  assert.match(agent.verdict("guest-exec").reason, /runs a program in the guest/);
  assert.equal(agent.verdict("guest-get-time").allowed, true);
});

test("profiles: read-only, vm-control, full", () => {
  const readOnly = new Policy({ ...base, profile: "read-only" }, qemu);
  const control = new Policy(base, qemu);
  const full = new Policy({ ...base, profile: "full" }, qemu);
  for (const name of ["query-status", "qom-get", "query-kvm"]) assert.equal(readOnly.verdict(name).allowed, true, name);
  for (const name of ["stop", "cont", "system_reset", "blockdev-add"])
    assert.equal(readOnly.verdict(name).allowed, false, name);
  for (const name of ["stop", "cont", "device_add"]) assert.equal(control.verdict(name).allowed, true, name);
  assert.match(control.verdict("blockdev-add").reason, /not in the vm-control profile/);
  assert.equal(full.verdict("blockdev-add").allowed, true);
  assert.ok(readOnly.allowedCommands().length < control.allowedCommands().length);
  assert.ok(control.allowedCommands().length < full.allowedCommands().length);
});

test("deprecated and unstable are hidden unless asked; --allow and --deny by glob", () => {
  const hidden = new Policy({ ...base, profile: "full" }, qemu);
  assert.match(hidden.verdict("drive-backup").reason, /deprecated: hidden unless --deprecated/);
  assert.match(hidden.verdict("x-debug-query-block-graph").reason, /unstable/);
  const shown = new Policy({ ...base, profile: "full", deprecated: true, unstable: true }, qemu);
  assert.equal(shown.verdict("drive-backup").allowed, true);
  assert.equal(shown.verdict("x-debug-query-block-graph").allowed, true);
  const globs = new Policy(
    { ...base, profile: "read-only", allow: ["human-*", "block*"], deny: ["blockdev-del", "query-k?m"] },
    qemu,
  );
  assert.equal(globs.verdict("human-monitor-command").allowed, true, "an explicit allow over the deny-list");
  assert.equal(globs.verdict("blockdev-add").allowed, true, "and over the profile");
  assert.match(globs.verdict("blockdev-del").reason, /denied by --deny/, "an explicit deny wins");
  assert.match(globs.verdict("query-kvm").reason, /denied by --deny/);
  assert.equal(globMatcher("a.b*")("a.bc"), true);
  assert.equal(globMatcher("a.b*")("axbc"), false, "dots are literal");
});
