/**
 * QEMU's real schemas (QMP, guest agent, storage daemon) of 7.2.0 and 10.2.2,
 * and of the older releases the tests read when they could be fetched (5.2.0,
 * 10.0.x: package.json's `config.olderQemuVersions`), load and check clean in
 * default mode (each release's rules, from its VERSION file), and their dump is
 * deterministic. The 7.2.0 models also agree
 * with what real QEMU 7.2 binaries report through introspection (recorded in
 * test/fixtures/introspection/): the same commands and events, with the same
 * argument names and optionality, up to build-time `if` conditions.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadSchema } from "../../../generator/load-schema.js";
import { dumpSchema } from "../../../generator/model/dump.js";
import { hasQemuSources, olderQemuVersions, qemuSourceDir, repoRoot } from "../../../scripts/lib/qemu-sources.js";
import type { Command, Event } from "../../../generator/model/entities.js";

const schemaFiles = ["qapi/qapi-schema.json", "qga/qapi-schema.json", "storage-daemon/qapi/qapi-schema.json"];

for (const version of ["7.2.0", "10.2.2", ...olderQemuVersions]) {
  // The always-tested releases must be there; an older one may be gone from Debian's archive.
  const required = !olderQemuVersions.includes(version);
  const skip =
    required || hasQemuSources(version)
      ? false
      : `QEMU ${version}'s sources could not be fetched (npm run fetch-qemu -- ${version})`;
  for (const file of schemaFiles) {
    test(`QEMU ${version} ${file} loads clean and dumps deterministically`, { skip }, () => {
      const path = join(qemuSourceDir(version), file);
      const schema = loadSchema(path);
      const first = dumpSchema(schema);
      const second = dumpSchema(loadSchema(path));
      assert.equal(second, first, "dumping twice gives different text");
      assert.equal(dumpSchema(schema), first, "dumping the same Schema twice gives different text");
      // Sanity: the main module and some commands made it into the model.
      assert.ok(
        schema.modules.some((m) => m.name === "qapi-schema.json"),
        "main module missing",
      );
      const commands = [...schema.allDefinitions()].filter((d) => d.kind === "command");
      assert.ok(commands.length > 10, `only ${commands.length} commands`);
    });
  }
}

/** One entry of `query-qmp-schema` (only the fields compared here). */
interface IntrospectedEntity {
  name: string;
  "meta-type": string;
  "arg-type"?: string;
  members?: { name: string; default?: null }[];
}

const introspectionFixtures = [
  ["qemu-system-x86_64-7.2.json", "qapi/qapi-schema.json"],
  ["qemu-storage-daemon-7.2.json", "storage-daemon/qapi/qapi-schema.json"],
] as const;

for (const [fixture, file] of introspectionFixtures) {
  test(`QEMU 7.2.0 ${file} agrees with the introspection of ${fixture}`, () => {
    const recorded = JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "introspection", fixture), "utf8")) as {
      schema: IntrospectedEntity[];
    };
    const byName = new Map(recorded.schema.map((e) => [e.name, e]));
    const schema = loadSchema(join(qemuSourceDir("7.2.0"), file));
    const problems: string[] = [];
    let compared = 0;
    for (const meta of ["command", "event"] as const) {
      const ours = new Map<string, Command | Event>();
      for (const defn of schema.allDefinitions()) if (defn.kind === meta) ours.set(defn.name, defn);
      const theirs = recorded.schema.filter((e) => e["meta-type"] === meta);
      for (const entity of theirs) {
        const defn = ours.get(entity.name);
        if (!defn) {
          problems.push(`${meta} ${entity.name} is missing`);
          continue;
        }
        compared++;
        const introspected = new Map(
          (byName.get(entity["arg-type"] ?? "")?.members ?? []).map((m) => [m.name, "default" in m]),
        );
        const members = defn.argType?.members ?? [];
        for (const name of introspected.keys()) {
          if (!members.some((m) => m.name === name))
            problems.push(`${meta} ${entity.name}: argument ${name} is missing`);
        }
        for (const member of members) {
          const optional = introspected.get(member.name);
          // A conditional member may be compiled out of the binary.
          if (optional === undefined && !member.ifcond.isPresent())
            problems.push(`${meta} ${entity.name}: extra argument ${member.name}`);
          if (optional !== undefined && optional !== member.optional)
            problems.push(`${meta} ${entity.name}: ${member.name} optionality differs`);
        }
      }
      const theirNames = new Set(theirs.map((e) => e.name));
      for (const [name, defn] of ours) {
        if (!defn.ifcond.isPresent() && !theirNames.has(name))
          problems.push(`unconditional ${meta} ${name} is not in the binary`);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(compared > 50, `only ${compared} commands and events compared`);
  });
}
