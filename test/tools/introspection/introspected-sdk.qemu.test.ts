/**
 * An SDK generated from a real binary's introspection (`qapi-ts introspect
 * --qemu qemu-system-x86_64`, Debian's QEMU 7.2, then `generate
 * --introspection`) takes the shipped SDK's type names, paired structurally
 * through the version history that covers 7.2 (`StatusInfo`, not
 * `QueryStatusReturn`), keeps a union's base members (`blockdev-add`'s
 * `node-name`, `object-add`'s `id`) and `device_add`'s extra members; so one
 * program type-checks against it and against the shipped 10.2.2 SDK.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const system = "/usr/bin/qemu-system-x86_64";
// Inside the repository (tmp/ is ignored) so the SDK can import the runtime's sources.
mkdirSync(join(repoRoot, "tmp"), { recursive: true });
const dir = mkdtempSync(join(repoRoot, "tmp", "introspected-sdk-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => {
  const run = spawnSync(process.execPath, [join(repoRoot, "bin/qapi-ts"), ...args], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return run;
};

/** The same program, against the SDK at `sdk` (a module specifier). */
const program = (sdk: string) => `
import { type BlockdevOptions, type Client, type StatusInfo, blockdevAdd, deviceAdd, queryStatus } from "${sdk}";

export async function hotplug(client: Client): Promise<boolean> {
  const status: StatusInfo = await queryStatus(client);
  const disk: BlockdevOptions = { driver: "null-co", "node-name": "disk0", size: 1048576 };
  await blockdevAdd(client, disk);
  await client.execute("object-add", { "qom-type": "iothread", id: "io0" });
  await deviceAdd(client, { driver: "virtio-blk-pci", drive: "disk0", id: "vd0", bootindex: 1 });
  return status.running;
}
`;

test(
  "an SDK from QEMU 7.2's introspection has the shipped names, and one program compiles against both",
  { skip: !existsSync(system) && `${system} is not installed` },
  () => {
    const file = join(dir, "qemu-7.2.json");
    cli("introspect", "--qemu", system, "-o", file);
    cli(
      "generate",
      "--introspection",
      file,
      "--out",
      join(dir, "sdk72"),
      "--runtime-import",
      "../../../runtime/index.js",
    );
    const types = readFileSync(join(dir, "sdk72", "types.ts"), "utf8");
    assert.match(types, /\nexport interface StatusInfo \{/);
    assert.doesNotMatch(types, /QueryStatusReturn/);
    assert.match(types, /\nexport interface BlockdevOptionsBase \{\n(?: {2}.*\n)*? {2}"node-name"\?: string;/);
    // cloop, dmg and vdi share bochs's options type in the source, so they do here, by its name.
    assert.match(types, /\| \(BlockdevOptionsBase & \{ driver: "cloop" \} & BlockdevOptionsGenericFormat\)/);
    assert.match(
      readFileSync(join(dir, "sdk72", "commands.ts"), "utf8"),
      /device_add: \{ args: DeviceAddArguments & ExtraMembers;/,
    );

    writeFileSync(join(dir, "against-7.2.ts"), program("./sdk72/index.js"));
    writeFileSync(join(dir, "against-shipped.ts"), program("../../generated/qemu/index.js"));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: "../../tsconfig.json",
        compilerOptions: { noEmit: true, rootDir: "../.." },
        include: ["against-7.2.ts", "against-shipped.ts"],
      }),
    );
    const tsc = join(repoRoot, "node_modules", ".bin", "tsc");
    const run = spawnSync(tsc, ["-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  },
);
