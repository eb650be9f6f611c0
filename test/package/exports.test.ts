/**
 * The package as a user meets it: every subpath in package.json's `exports`
 * loads after the set-up command, and a consumer program written against the
 * README's public face type-checks (strict, NodeNext) through those subpaths.
 *
 * The consumer lives in a temporary folder inside the repository, so that the
 * name `qapi-ts` resolves to this package the way it would from node_modules.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  name: string;
  exports: Record<string, unknown>;
};

/** What each subpath must export at run time (a few names each, enough to catch a wrong target). */
const expectedExports: Record<string, string[]> = {
  ".": ["connect", "connectWith", "QmpClient", "QmpError", "stringifyJson", "launchQemu"],
  "./runtime": ["connect", "connectWith", "QmpClient", "QmpError", "parseJson", "launchQemu"],
  "./capabilities": ["connectWithCapabilities", "probeCapabilities", "UnsupportedCommandError"],
  "./operations": ["runJob", "startJob", "migrate", "listenForMigration", "executeAndWait", "guestExec"],
  "./mock": ["createMockQemu", "replayMockQemu", "createDuplexPair"],
  "./qemu": ["connect", "sdk", "validators", "queryStatus"],
  "./qga": ["connect", "sdk", "validators"],
  "./qsd": ["connect", "sdk", "validators"],
  "./history": ["shippedHistory", "historyAt", "releaseOfVersion", "cutToRelease"],
  "./qemu/versions": ["qemuVersionIndex", "narrow"],
  "./qga/versions": ["narrow"],
  "./qsd/versions": ["narrow"],
  "./generator": ["loadSchema", "generate"],
};

test("every exported subpath loads and exports what it promises", async () => {
  const subpaths = Object.keys(manifest.exports).filter((p) => p !== "./package.json");
  assert.deepEqual([...subpaths].sort(), Object.keys(expectedExports).sort(), "the test lists every subpath");
  for (const subpath of subpaths) {
    const specifier = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    const module = (await import(specifier)) as Record<string, unknown>;
    for (const name of expectedExports[subpath]!) {
      assert.ok(name in module, `${specifier} exports ${name}`);
    }
  }
});

const consumer = `
import { connect, type StatusInfo } from "qapi-ts/qemu";
import { connectWith, genericSdk, type QmpClient } from "qapi-ts/runtime";
import type { CommandMap } from "qapi-ts/qemu";
import type { CommandsSince } from "qapi-ts/qemu/versions";

export async function publicFace(): Promise<StatusInfo> {
  const qmp = await connect({ path: "/run/vm.qmp" });
  qmp.on("STOP", (event) => void event);
  const status = await qmp.execute("query-status");
  const running: boolean = status.running;
  void running;
  // @ts-expect-error: no such command
  await qmp.execute("query-no-such-thing");
  // @ts-expect-error: a required argument is missing
  await qmp.execute("blockdev-del");
  await qmp.close();
  return status;
}

export async function untyped(): Promise<unknown> {
  const client = await connectWith(genericSdk, { path: "/run/vm.qmp" });
  return client.execute("anything", { at: "all" });
}

type Qemu72 = CommandsSince<CommandMap, "7.2.0">;
export declare const old: QmpClient<Qemu72, {}>;
export async function narrowed(): Promise<void> {
  await old.execute("query-status");
  // @ts-expect-error: query-accelerators came after 7.2
  await old.execute("query-accelerators");
}
`;

test("a consumer of the README's public face type-checks through the package's subpaths", () => {
  mkdirSync(join(repoRoot, "tmp"), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, "tmp", "consumer-"));
  try {
    writeFileSync(join(dir, "consumer.ts"), consumer);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          types: ["node"],
          skipLibCheck: false,
        },
        files: ["consumer.ts"],
      }),
    );
    const tsc = spawnSync(
      process.execPath,
      [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")],
      {
        encoding: "utf8",
      },
    );
    assert.equal(tsc.status, 0, `tsc reported:\n${tsc.stdout}${tsc.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
