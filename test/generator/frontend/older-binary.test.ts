/**
 * Simple unions as a real binary of their era reports them: QEMU 5.2.0's
 * source schema, read in default mode and brought into the wire view
 * (generator/model/wire-from-model.ts), against the `query-qmp-schema` reply
 * of a real QEMU 5.2 x86_64 binary recorded in libvirt's test data
 * (tests/qemucapabilitiesdata/caps_5.2.0.x86_64.replies of Debian's `libvirt`
 * source package, cached in .cache/libvirt-caps/ by the version-history
 * tooling; never committed). Types are paired structurally from every command
 * and event both have (core/pairing.ts), and every simple union met
 * must look on the wire exactly like its model: one member `type` whose enum
 * lists the branch names, tag `type`, and each branch an object with the one
 * member `data`, whose type pairs with the wrapped type. And for 5.2.0 and
 * 7.2.0 the whole diff of source and binary may hold only what a build
 * condition of the source leaves out of an x86_64 binary.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadSchema } from "../../../generator/load-schema.js";
import { ObjectType, WrapperType } from "../../../generator/model/entities.js";
import { wireFromModel } from "../../../generator/model/wire-from-model.js";
import { diffSchemas, type SchemaChange } from "../../../core/diff.js";
import { type IntrospectionFile, type SchemaInfo, wireFromIntrospection } from "../../../core/introspection-file.js";
import type { WireSchema } from "../../../core/schema.js";
import { pairTypes } from "../../../core/pairing.js";
import { hasQemuSources, qemuSourceDir, repoRoot } from "../../../scripts/lib/qemu-sources.js";

const version = "5.2.0";
const repliesOf = (release: string) => join(repoRoot, ".cache", "libvirt-caps", `caps_${release}.x86_64.replies`);
const replies = repliesOf(version);

/** Why a release's source or recording is not at hand, or false. */
function missing(release: string): string | false {
  if (!hasQemuSources(release))
    return `QEMU ${release}'s sources could not be fetched (npm run fetch-qemu -- ${release})`;
  if (!existsSync(repliesOf(release)))
    return `libvirt's recorded replies of QEMU ${release} are not in .cache/libvirt-caps/`;
  return false;
}

/**
 * The introspection in a libvirt .replies file: blank-line-separated JSON
 * messages, each command followed by its reply with the same id. The schema
 * has no number beyond 2^53, so JSON.parse loses nothing.
 */
function introspectionFromReplies(path: string): IntrospectionFile {
  const messages = readFileSync(path, "utf8")
    .split(/\n\s*\n/)
    .filter((block) => block.trim() !== "")
    .map((block) => JSON.parse(block) as { execute?: string; id?: string; return?: unknown });
  const replyTo = (command: string): unknown => {
    const id = messages.find((m) => m.execute === command)?.id;
    const reply = messages.find((m) => m.execute === undefined && m.id === id && "return" in m);
    assert.ok(id !== undefined && reply, `${path} has no reply to ${command}`);
    return reply.return;
  };
  return {
    version: replyTo("query-version") as IntrospectionFile["version"],
    schema: replyTo("query-qmp-schema") as SchemaInfo[],
  };
}

/** Whether the source side's `if` explains a change from source to binary (the thing is absent from this build). */
function conditionalInSource(source: WireSchema, change: SchemaChange): boolean {
  const type = change.type === undefined ? undefined : source.types.get(change.type);
  switch (change.kind) {
    case "command-removed":
      return source.commands.get(change.name)?.if !== undefined;
    case "event-removed":
      return source.events.get(change.name)?.if !== undefined;
    case "enum-value-removed":
      return type?.meta === "enum" && type.values.find((v) => v.name === change.name)?.if !== undefined;
    case "member-removed":
      return type?.meta === "object" && type.members.find((m) => m.name === change.name)?.if !== undefined;
    case "branch-removed":
      return type?.meta === "object" && type.variants.find((v) => v.case === change.name)?.if !== undefined;
    default:
      return false;
  }
}

const skip = missing(version);

test(`QEMU ${version}'s simple unions on the wire, against a recorded ${version} binary`, { skip }, (t) => {
  const schema = loadSchema(join(qemuSourceDir(version), "qapi", "qapi-schema.json"));
  const source = wireFromModel(schema, `${version} source`);
  const file = introspectionFromReplies(replies);
  assert.equal(`${file.version.qemu.major}.${file.version.qemu.minor}.${file.version.qemu.micro}`, version);
  const binary = wireFromIntrospection(file, `${version} binary`);

  const simpleUnions = new Set(
    [...schema.allDefinitions()]
      .filter(
        (d): d is ObjectType =>
          d instanceof ObjectType && !!d.branches && d.branches.variants.every((v) => v.type instanceof WrapperType),
      )
      .map((d) => d.name),
  );
  const pairs = [...pairTypes(source, binary).values()];
  const paired = (sourceType: string, binaryType: string) =>
    pairs.some((p) => p.old === sourceType && p.new === binaryType);
  const problems: string[] = [];
  const checked = new Set<string>();
  for (const pair of pairs) {
    if (!simpleUnions.has(pair.old)) continue;
    checked.add(pair.old);
    const ours = source.types.get(pair.old);
    const theirs = binary.types.get(pair.new);
    assert.ok(ours?.meta === "object");
    if (theirs?.meta !== "object") {
      problems.push(`${pair.old}: the binary has ${theirs?.meta ?? "nothing"} at ${pair.path}`);
      continue;
    }
    if (theirs.tag !== "type" || theirs.members.map((m) => m.name).join() !== "type" || theirs.members[0]!.optional) {
      problems.push(
        `${pair.old}: the binary's members are ${theirs.members.map((m) => m.name).join()}, tag ${theirs.tag}`,
      );
      continue;
    }
    const theirKind = binary.types.get(theirs.members[0]!.type);
    const ourKind = source.types.get(ours.members[0]!.type);
    assert.ok(ourKind?.meta === "enum" && ourKind.name === `${pair.old}Kind`);
    if (theirKind?.meta !== "enum") {
      problems.push(`${pair.old}: the binary's tag is no enum`);
      continue;
    }
    // Conditional branches may be compiled out of this binary; nothing else may differ.
    const theirValues = theirKind.values.map((v) => v.name);
    const ourValues = ourKind.values
      .filter((v) => v.if === undefined || theirValues.includes(v.name))
      .map((v) => v.name);
    if (theirValues.join() !== ourValues.join())
      problems.push(`${pair.old}: tag values ${theirValues.join()} instead of ${ourValues.join()}`);
    for (const variant of theirs.variants) {
      const ourVariant = ours.variants.find((v) => v.case === variant.case);
      const theirWrapper = binary.types.get(variant.type);
      if (!ourVariant) {
        problems.push(`${pair.old}: the binary has branch ${variant.case}`);
      } else if (
        theirWrapper?.meta !== "object" ||
        theirWrapper.members.map((m) => m.name).join() !== "data" ||
        theirWrapper.variants.length > 0
      ) {
        problems.push(`${pair.old}: branch ${variant.case} is no object with the one member 'data' in the binary`);
      } else {
        const ourWrapper = source.types.get(ourVariant.type);
        assert.ok(ourWrapper?.meta === "object");
        if (!paired(ourWrapper.members[0]!.type, theirWrapper.members[0]!.type)) {
          problems.push(`${pair.old}: branch ${variant.case}'s data does not pair with ${ourWrapper.members[0]!.type}`);
        }
      }
    }
  }
  t.diagnostic(`simple unions compared: ${[...checked].sort().join(", ")}`);
  assert.deepEqual(problems, []);
  // ChardevBackend, SocketAddressLegacy, TransactionAction, KeyValue, InputEvent … are reachable from commands.
  assert.ok(checked.size >= 8, `only ${checked.size} simple unions met on the wire: ${[...checked].join(", ")}`);
});

for (const release of [version, "7.2.0"]) {
  test(
    `QEMU ${release}'s source and a recorded ${release} binary differ only by build conditions`,
    { skip: missing(release) },
    (t) => {
      const source = wireFromModel(
        loadSchema(join(qemuSourceDir(release), "qapi", "qapi-schema.json")),
        `${release} source`,
      );
      const binary = wireFromIntrospection(introspectionFromReplies(repliesOf(release)), `${release} binary`);
      const changes = diffSchemas(source, binary).changes;
      t.diagnostic(`source → binary: ${changes.length} changes`);
      const problems = changes
        // The diff itself names what a build condition left out ("not-built"); anything else must still be conditional.
        .filter((change) => change.kind !== "not-built" && !conditionalInSource(source, change))
        .map((change) => `not a build condition: ${change.kind} ${change.path}: ${change.detail}`);
      assert.deepEqual(problems, []);
    },
  );
}
