/**
 * The shell's history file (tools/shell/history.ts): where it lives by
 * the XDG base directory rules, and that what is saved comes back in
 * readline's order (newest first), capped, with blank lines dropped.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { defaultHistoryFile, historySize, loadHistory, saveHistory } from "../../../tools/shell/history.js";

const dir = mkdtempSync(join(tmpdir(), "qapi-ts-history-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the default file follows XDG_STATE_HOME, else ~/.local/state; a relative XDG_STATE_HOME is ignored", () => {
  assert.equal(defaultHistoryFile({ XDG_STATE_HOME: "/var/state" }), "/var/state/qapi-ts/history");
  assert.equal(defaultHistoryFile({}), join(homedir(), ".local/state/qapi-ts/history"));
  assert.equal(defaultHistoryFile({ XDG_STATE_HOME: "state" }), join(homedir(), ".local/state/qapi-ts/history"));
});

test("saved oldest first, loaded newest first; directories are made", () => {
  const file = join(dir, "a", "b", "history");
  assert.deepEqual(loadHistory(file), { entries: [] });
  assert.equal(saveHistory(file, ["query-kvm", "query-status"]), undefined);
  assert.equal(readFileSync(file, "utf8"), "query-status\nquery-kvm\n");
  assert.equal(statSync(file).mode & 0o777, 0o600, "history may hold secrets");
  assert.deepEqual(loadHistory(file), { entries: ["query-kvm", "query-status"] });
});

test("only the newest entries are kept, blank lines skipped", () => {
  const file = join(dir, "long");
  const lines = Array.from({ length: historySize + 5 }, (_, i) => `cmd-${i}`);
  writeFileSync(file, lines.join("\n\n") + "\n");
  const { entries } = loadHistory(file);
  assert.equal(entries.length, historySize);
  assert.equal(entries[0], `cmd-${historySize + 4}`);
  assert.equal(entries.at(-1), "cmd-5");
});

test("an unreadable history is a problem to report, not a crash", () => {
  const result = loadHistory(dir); // a directory
  assert.deepEqual(result.entries, []);
  assert.match(result.problem!, /^history .*: Is a directory/);
  // A device would be read forever: refused at once.
  assert.deepEqual(loadHistory("/dev/zero"), {
    entries: [],
    problem: "history /dev/zero: not a regular file (a character device)",
  });
  assert.match(saveHistory(join(dir, "long", "x"), ["a"])!, /^history .*long\/x: /);
});
