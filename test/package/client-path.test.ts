/**
 * A program that only talks to QEMU loads none of the generator: importing
 * the client subpaths (`qapi-ts`, `qapi-ts/runtime`, `qapi-ts/qemu`, `qga`,
 * `qsd`, `mock`, `capabilities`) must not load build/generator/ or build/tools/, prettier or
 * yargs. A child Node process records every module it loads through a
 * module-resolution hook (node:module `register`), which writes each loaded
 * URL to a file; the test reads the list.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, test } from "node:test";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const dir = mkdtempSync(join(tmpdir(), "qapi-ts-client-path-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `program` (an ES module in the repository, so `qapi-ts` resolves to this package); returns the URLs it loaded. */
function loadedBy(program: string): string[] {
  const log = join(dir, "loaded.txt");
  writeFileSync(log, "");
  const hooks = join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";\n` +
      `export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + "\\n"); return next(url, context); }\n`,
  );
  const register = join(dir, "register.mjs");
  writeFileSync(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  const file = join(repoRoot, "build", `client-path-${process.pid}.mjs`);
  writeFileSync(file, program);
  try {
    const r = spawnSync(process.execPath, ["--import", pathToFileURL(register).href, file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(log, "utf8").split("\n").filter(Boolean);
  } finally {
    rmSync(file, { force: true });
  }
}

const generatorParts = /\/build\/(generator|tools)\/|\/node_modules\/(prettier|yargs|yargs-parser|cliui)\//;

test("the client subpaths load nothing of the generator, prettier or yargs", () => {
  const loaded = loadedBy(
    [
      `import * as root from "qapi-ts";`,
      `import * as runtime from "qapi-ts/runtime";`,
      `import * as qemu from "qapi-ts/qemu";`,
      `import * as qga from "qapi-ts/qga";`,
      `import * as qsd from "qapi-ts/qsd";`,
      `import * as mock from "qapi-ts/mock";`,
      `import * as capabilities from "qapi-ts/capabilities";`,
      `import * as versions from "qapi-ts/qemu/versions";`,
      `if (![root.connect, runtime.QmpClient, qemu.connect, qga.connect, qsd.connect, mock.createMockQemu, capabilities.connectWithCapabilities, versions.qemuVersionIndex].every(Boolean)) process.exit(3);`,
    ].join("\n"),
  );
  assert.ok(
    loaded.some((u) => u.endsWith("/build/generated/qemu/index.js")),
    `the hook saw the SDK load:\n${loaded.join("\n")}`,
  );
  assert.ok(loaded.some((u) => u.endsWith("/build/runtime/client.js")));
  assert.deepEqual(
    loaded.filter((u) => generatorParts.test(u)),
    [],
  );
});

test("the hook does see the generator when a program loads it (the check above can fail)", () => {
  const loaded = loadedBy(
    `import { generate } from "qapi-ts/generator";\nif (typeof generate !== "function") process.exit(3);\n`,
  );
  assert.ok(
    loaded.some((u) => /\/build\/generator\/index\.js$/.test(u)),
    loaded.join("\n"),
  );
});
