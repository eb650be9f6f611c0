/**
 * `qapi-ts generate --release V [--sdk …]`: a typed SDK for any listed
 * release from the shipped history, nothing fetched (run from an empty
 * folder). 6.2.0's QMP SDK type-checks strictly, names its types as the
 * pinned SDK does, and differs from it exactly where 6.2 differs; build
 * conditions come back from the history's text as the pinned SDK says them.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

mkdirSync(join(repoRoot, "tmp"), { recursive: true });
// Inside the repository (tmp/ is ignored) so the SDK can import the runtime's sources.
const dir = mkdtempSync(join(repoRoot, "tmp", "sdk-release-"));
const empty = mkdtempSync(join(tmpdir(), "qapi-ts-release-"));
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

function generate(...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, "build/tools/cli/main.js"), "generate", ...args], {
    encoding: "utf8",
    cwd: empty,
  });
}

const read = (path: string) => readFileSync(path, "utf8");
const pinned = (file: string) => read(join(repoRoot, "generated", "qemu", file));

test("generate --release 6.2.0: type-checks, the pinned SDK's names, 6.2's types", () => {
  const out = join(dir, "qemu62");
  const r = generate("--release", "6.2.0", "--out", out, "--runtime-import", "../../../runtime/index.js");
  assert.equal(r.status, 0, r.stderr);
  const types = read(join(out, "types.ts"));
  const commands = read(join(out, "commands.ts"));
  // The pinned SDK's names for the same types.
  for (const name of ["StatusInfo", "BlockInfo", "BlockDeviceInfo", "BlockdevDriver", "QCryptoCipherAlgo"]) {
    assert.match(types, new RegExp(`export (interface|type) ${name}\\b`), name);
    assert.match(pinned("types.ts"), new RegExp(`export (interface|type) ${name}\\b`), name);
  }
  // Where 6.2 differs: no query-accelerators (10.2), StatusInfo still has singlestep (gone after 8.2),
  // BlockDeviceInfo has no active (10.0), BlockdevDriver has no io_uring (7.2).
  assert.doesNotMatch(commands, /"query-accelerators"/);
  assert.match(pinned("commands.ts"), /"query-accelerators"/);
  const body = (text: string, name: string) => {
    const start = text.indexOf(`export interface ${name} {`);
    assert.ok(start >= 0, name);
    return text.slice(start, text.indexOf("\n}\n", start));
  };
  assert.match(body(types, "StatusInfo"), /singlestep: boolean/);
  assert.doesNotMatch(body(pinned("types.ts"), "StatusInfo"), /singlestep/);
  assert.doesNotMatch(body(types, "BlockDeviceInfo"), /\bactive: boolean/);
  assert.match(body(pinned("types.ts"), "BlockDeviceInfo"), /\bactive: boolean/);
  const driver = (text: string) => {
    const start = text.indexOf("export type BlockdevDriver =");
    return text.slice(start, text.indexOf(";\n", start));
  };
  assert.doesNotMatch(driver(types), /"io_uring"/);
  assert.match(driver(pinned("types.ts")), /"io_uring"/);
  // Build conditions, which the history keeps as text, come back: doc lines as the pinned SDK's say them.
  const docBefore = (text: string, entry: string) => {
    const at = text.indexOf(entry);
    assert.ok(at >= 0, entry);
    return text.slice(text.lastIndexOf("/**", at), at);
  };
  for (const text of [commands, pinned("commands.ts")])
    assert.match(docBefore(text, '  "query-vnc":'), /Conditional: present only in builds where `CONFIG_VNC` holds\./);
  assert.match(types, /Conditional: present only in builds where `CONFIG_LINUX` holds\./);
  // Facts-only docs with the history's since-lines; the descriptor knows its release.
  assert.match(types, /@since 6\.2\b/);
  assert.match(read(join(out, "index.ts")), /qemuVersion: "6\.2\.0"/);

  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.json",
      compilerOptions: { noEmit: true, rootDir: "../.." },
      include: ["qemu62"],
    }),
  );
  const tsc = spawnSync(join(repoRoot, "node_modules", ".bin", "tsc"), ["-p", join(dir, "tsconfig.json")], {
    encoding: "utf8",
  });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});

test("generate --release for the guest agent and the storage daemon; an unlisted release is a one-line error", () => {
  const qga = join(dir, "qga72");
  let r = generate("--release", "7.2", "--sdk", "qga", "--out", qga);
  assert.equal(r.status, 0, r.stderr);
  assert.match(read(join(qga, "index.ts")), /protocol: "qga"/);
  assert.doesNotMatch(read(join(qga, "commands.ts")), /"guest-get-load"/, "added in 10.0");
  r = generate("--release", "5.0.0", "--sdk", "qsd", "--out", join(dir, "qsd50"));
  assert.equal(r.status, 0, r.stderr);
  r = generate("--release", "4.2.0", "--sdk", "qsd", "--out", join(dir, "qsd42"));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^--release 4\.2\.0: not a release of the qsd version history \(5\.0\.0–10\.2\.2;/);
  r = generate("--release", "6.2.0", "--schema", "x.json", "--out", join(dir, "both"));
  assert.equal(r.status, 2);
});
