/**
 * The package as a stranger gets it: packed from a clean copy of the
 * repository (never built: `prepack` must build it), installed from the
 * tarball into an empty project, and the README followed there line by line.
 *
 * 1. The repository's files (tracked and new, not ignored) are copied to a
 *    temporary folder with the dev dependencies linked in; `npm pack` there
 *    must give a complete package: compiled entry points, LICENSE, README,
 *    no source maps, no tests; the README's links (its users' part) point
 *    at files the package holds.
 * 2. An empty folder becomes the user's project. Every fenced block of the
 *    packed README.md runs in order (test/package/readme-blocks.ts): shell
 *    commands run as they are (`npm install qapi-ts` installs the tarball),
 *    `file` blocks are written as the user's files (tsconfig.json: strict,
 *    skipLibCheck false; an ES module, a CommonJS one, a unit test…) and are
 *    compiled and run by the README's own commands, against a real QEMU the
 *    README starts. QEMU's sources, which the README assumes in `qemu/`, are
 *    the fetched 10.2.2 ones.
 * 3. The same project type-checks with TypeScript 6 (scripts/api-docs), the
 *    other version the README says is tested.
 */
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { cleanupAll, startProcess } from "../runtime/qemu-helpers.js";
import { waitUntilListening } from "../support/monitor-ready.js";
import { qemuSourceDir, repoRoot } from "../../scripts/lib/qemu-sources.js";
import { readmeBlocks, shellCommands } from "./readme-blocks.js";

const work = mkdtempSync(join(tmpdir(), "qapi-ts-pack-"));
after(async () => {
  await cleanupAll();
  rmSync(work, { recursive: true, force: true });
});

/** The environment of a user's shell: no npm_* variables of the `npm test` that may be running us, nor the test runner's marker. */
const userEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== "NODE_TEST_CONTEXT"),
);
userEnv["PATH"] = `${process.env["PATH"] ?? ""}:/usr/sbin:/sbin`;

function run(command: string, cwd: string): SpawnSyncReturns<string> {
  return spawnSync("bash", ["-c", command], { cwd, env: userEnv, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

function output(r: SpawnSyncReturns<string>): string {
  return `status ${r.status}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;
}

/** Packs a copy of the repository that was never built; returns the tarball's path and what npm says it holds. */
function packCleanCopy(): { tarball: string; size: number; unpackedSize: number; files: string[] } {
  const copy = join(work, "clone");
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  assert.equal(listed.status, 0, listed.stderr);
  for (const file of listed.stdout.split("\0")) {
    if (file === "" || !existsSync(join(repoRoot, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(copy, file));
  }
  assert.ok(!existsSync(join(copy, "build")), "the copy is unbuilt");
  symlinkSync(join(repoRoot, "node_modules"), join(copy, "node_modules"));
  const packed = run(`npm pack --json --pack-destination ${JSON.stringify(work)}`, copy);
  assert.equal(packed.status, 0, output(packed));
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  return {
    tarball: join(work, info!.filename),
    size: info!.size,
    unpackedSize: info!.unpackedSize,
    files: info!.files.map((f) => f.path),
  };
}

/** Bytes of the files under `dir`, leaving out top-level entries `skip` names. */
function diskUsage(dir: string, skip: (name: string) => boolean = () => false): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += diskUsage(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Everything in the project's node_modules but the TypeScript the README adds. */
function installSize(app: string): number {
  return diskUsage(
    join(app, "node_modules"),
    (name) => name === "typescript" || name === "@typescript" || name === ".bin",
  );
}

const sources = qemuSourceDir("10.2.2");

test(
  "npm pack of an unbuilt copy, installed into an empty project, runs every README block",
  { skip: !existsSync(join(sources, "qapi")) && "QEMU 10.2.2's sources are not fetched" },
  async (t) => {
    const packStarted = Date.now();
    const pack = packCleanCopy();
    t.diagnostic(`packed in ${Date.now() - packStarted} ms`);
    t.diagnostic(`tarball ${pack.size} bytes, ${pack.unpackedSize} unpacked, ${pack.files.length} files`);
    for (const file of [
      "LICENSE",
      "README.md",
      "package.json",
      "bin/qapi-ts",
      "docs/sdk.md",
      "build/runtime/index.js",
      "build/runtime/index.d.ts",
      "build/tools/cli/main.js",
      "build/generated/qemu/index.d.ts",
      "build/generated/qga/index.js",
      "build/runtime/mock/index.js",
    ]) {
      assert.ok(pack.files.includes(file), `the package holds ${file}`);
    }
    assert.deepEqual(
      pack.files.filter((f) => f.endsWith(".map")),
      [],
      "no source maps without their sources",
    );
    assert.deepEqual(
      pack.files.filter((f) => f.startsWith("build/test/") || f.startsWith("build/bench/")),
      [],
      "no tests",
    );

    // The user's part of the README links only to what the package holds (contributors' part: the repository).
    const readmeText = readFileSync(join(repoRoot, "README.md"), "utf8");
    const userPart = readmeText.slice(0, readmeText.indexOf("\n# Contributing"));
    for (const [, target] of userPart.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const path = target!.replace(/\/$/, "");
      assert.ok(
        pack.files.some((f) => f === path || f.startsWith(`${path}/`)),
        `README links to ${target}, which the package holds`,
      );
    }

    const app = join(work, "app");
    mkdirSync(join(app, "qemu"), { recursive: true });
    for (const part of ["qapi", "qga", "storage-daemon"]) symlinkSync(join(sources, part), join(app, "qemu", part));

    let installed: number | undefined;
    const blocks = readmeBlocks(readmeText);
    assert.ok(blocks.length > 10, "the README has its blocks");
    let ran = 0;
    const stderrs: string[] = [];
    for (const block of blocks) {
      const where = `README.md:${block.line}`;
      if (block.skip !== undefined) continue;
      if (block.file !== undefined) {
        writeFileSync(join(app, block.file), block.text);
        ran++;
        continue;
      }
      assert.ok(block.lang === "sh", `${where}: a ${block.lang || "plain"} block needs a 'file' or 'skip' annotation`);
      const commands = shellCommands(block);
      if (block.background) {
        assert.equal(commands.length, 1, `${where}: a background block holds one command`);
        const child = startProcess("bash", ["-c", `exec ${commands[0]!}`], { cwd: app, env: userEnv });
        const socket = /unix:([^,\s]+)/.exec(commands[0]!)?.[1];
        assert.ok(socket, `${where}: the background command names its unix socket`);
        await waitUntilListening(join(app, socket), () => child.exitCode === null);
        ran++;
        continue;
      }
      for (const command of commands) {
        // The differences from a user's shell: the package comes from the tarball, not a registry; and
        // `npx CMD` runs what npx would run, the project's node_modules/.bin/CMD, without npx's
        // start-up (1-2 s a call, some twenty calls).
        let actual = command.replace(
          /^npm install qapi-ts$/,
          `npm install --prefer-offline --no-audit --no-fund ${JSON.stringify(pack.tarball)}`,
        );
        const npx = /^npx (\S+)/.exec(command);
        if (npx) {
          const bin = join("node_modules", ".bin", npx[1]!);
          assert.ok(existsSync(join(app, bin)), `${where}: ${command}: the project has ${bin}`);
          actual = command.replace(/^npx /, "node_modules/.bin/");
        }
        const started = Date.now();
        const r = run(actual, app);
        assert.equal(r.status, block.exit ?? 0, `${where}: ${command}\n${output(r)}`);
        stderrs.push(r.stderr);
        // The install cost the README states ("about 7 MB"), measured before the README adds optional packages.
        if (command === "npm install qapi-ts") installed = installSize(app);
        t.diagnostic(`${where}: ${command}: ok (${Date.now() - started} ms)`);
        ran++;
      }
    }
    t.diagnostic(`${ran} README blocks and commands ran`);

    // The README's claims about the install, checked in the project it built.
    const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    assert.ok(manifest.dependencies?.["qapi-ts"], "qapi-ts is a dependency of the project");
    assert.ok(!existsSync(join(app, "node_modules", "prettier")), "prettier is not installed with the package");
    assert.ok(installed !== undefined, "the README installs qapi-ts");
    t.diagnostic(`the package and its dependencies take ${(installed / 1e6).toFixed(1)} MB`);
    assert.ok(installed < 10e6, `the install stays near the README's 7 MB: ${installed} bytes`);
    const tsconfig = JSON.parse(readFileSync(join(app, "tsconfig.json"), "utf8")) as {
      compilerOptions: Record<string, unknown>;
    };
    assert.equal(tsconfig.compilerOptions["skipLibCheck"], false);
    assert.equal(tsconfig.compilerOptions["strict"], true);

    // The other TypeScript the README names: the same project, the same tsconfig.
    const ts6 = join(repoRoot, "scripts", "api-docs", "node_modules", "typescript", "bin", "tsc");
    if (!existsSync(ts6)) {
      const installed = run("npm ci --prefer-offline --no-audit --no-fund", join(repoRoot, "scripts", "api-docs"));
      assert.equal(installed.status, 0, output(installed));
    }
    const version6 = run(`node ${JSON.stringify(ts6)} --version`, app);
    assert.match(version6.stdout, /^Version 6\.0\./);
    const checked6 = run(`node ${JSON.stringify(ts6)} -p tsconfig.json --noEmit`, app);
    assert.equal(checked6.status, 0, `TypeScript 6 on the README's project:\n${output(checked6)}`);
  },
);
