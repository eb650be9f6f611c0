/**
 * `qapi-ts generate --introspection`: an SDK for what the recorded QEMU 7.2 binary
 * offers, from its introspection file alone and with 10.2.2's source names.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const fixture = join(repoRoot, "test", "fixtures", "introspection", "qemu-system-x86_64-7.2.json");
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, "bin", "qapi-ts"), "generate", ...args], { encoding: "utf8" });

test("generate --introspection writes an SDK, with and without a source schema, and --check sees it current", () => {
  mkdirSync(join(repoRoot, "tmp"), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, "tmp", "generate-introspection-"));
  try {
    const alone = join(dir, "qemu72");
    let run = cli("--introspection", fixture, "--out", alone, "--docs", "none");
    assert.equal(run.status, 0, run.stderr);
    const index = readFileSync(join(alone, "index.ts"), "utf8");
    assert.match(index, /qemuVersion: "7\.2\.22"/);
    // The shipped history covers 7.2: its names, paired structurally, not ones made up from the path.
    assert.match(readFileSync(join(alone, "commands.ts"), "utf8"), /"blockdev-add": \{ args: BlockdevOptions;/);
    run = cli("--introspection", fixture, "--out", alone, "--docs", "none", "--check");
    assert.equal(run.status, 0, run.stderr);

    const named = join(dir, "qemu72named");
    run = cli(
      "--introspection",
      fixture,
      "--schema",
      join(repoRoot, ".cache", "qemu", "10.2.2", "qapi", "qapi-schema.json"),
      "--out",
      named,
    );
    assert.equal(run.status, 0, run.stderr);
    const commands = readFileSync(join(named, "commands.ts"), "utf8");
    assert.match(commands, /"blockdev-add": \{ args: BlockdevOptions;/);
    assert.doesNotMatch(commands, /"query-accelerators"/, "the 7.2 binary has no query-accelerators");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
