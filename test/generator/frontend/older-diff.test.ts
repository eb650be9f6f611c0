/**
 * QEMU 6.2 rewrote every simple union as a flat union over explicit
 * one-member `data` wrapper structs, keeping the wire format. So the wire
 * view of 5.2.0's source (simple unions as 5.2 modelled them) and of 7.2.0's
 * source (their flat rewrites) must differ, where those unions are used, only
 * by what 6.0–7.2 really added (branches, enum values, features) and by type names:
 * nothing a client built from 5.2 would trip over (every change safe
 * forward), and no member, tag or type change inside them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadSchema } from "../../../generator/load-schema.js";
import { ObjectType, WrapperType } from "../../../generator/model/entities.js";
import { wireFromModel } from "../../../generator/model/wire-from-model.js";
import { diffSchemas } from "../../../core/diff.js";
import { pairTypes } from "../../../core/pairing.js";
import { hasQemuSources, qemuSourceDir } from "../../../scripts/lib/qemu-sources.js";

const older = "5.2.0";
const newer = "7.2.0";
const skip = hasQemuSources(older)
  ? false
  : `QEMU ${older}'s sources could not be fetched (npm run fetch-qemu -- ${older})`;

test(`${older}'s simple unions and ${newer}'s flat rewrites are the same on the wire`, { skip }, (t) => {
  const oldModel = loadSchema(join(qemuSourceDir(older), "qapi", "qapi-schema.json"));
  const oldWire = wireFromModel(oldModel, older, older);
  const newWire = wireFromModel(loadSchema(join(qemuSourceDir(newer), "qapi", "qapi-schema.json")), newer, newer);
  const simpleUnions = new Set(
    [...oldModel.allDefinitions()]
      .filter(
        (d): d is ObjectType =>
          d instanceof ObjectType && !!d.branches && d.branches.variants.every((v) => v.type instanceof WrapperType),
      )
      .map((d) => d.name),
  );
  // Where the walk meets each simple union in both schemas.
  const places = [...pairTypes(oldWire, newWire).values()].filter((p) => simpleUnions.has(p.old));
  const met = new Set(places.map((p) => p.old));
  t.diagnostic(`simple unions met in both: ${[...met].sort().join(", ")}`);
  assert.ok(met.size >= 8, `only ${met.size} simple unions met: ${[...met].join(", ")}`);

  // The union's own level: itself, its tag, its branches and their `data`;
  // what lies deeper is the wrapped types' own history.
  const atUnion = (path: string) =>
    places.some(
      (p) => path.startsWith(p.path) && /^(\.type|\{type=[^}]*\}(\.data)?)?$/.test(path.slice(p.path.length)),
    );
  const allowed = new Set(["branch-added", "enum-value-added", "type-renamed", "feature-added"]);
  const problems = diffSchemas(oldWire, newWire)
    .changes.filter((c) => atUnion(c.path))
    // Build conditions are no wire format (TpmTypeOptions became conditional on CONFIG_TPM).
    .filter((c) => !c.kind.startsWith("condition-"))
    .filter((c) => c.forward !== "safe" || !allowed.has(c.kind))
    .map((c) => `${c.forward}/${c.backward} ${c.kind} ${c.path}: ${c.detail}`);
  const seen = diffSchemas(oldWire, newWire).changes.filter((c) => atUnion(c.path) && allowed.has(c.kind)).length;
  t.diagnostic(`${seen} wire-compatible changes at those unions (branches, values and features added, renames)`);
  assert.ok(seen > 0, "the walk reaches the unions' own level");
  assert.deepEqual(problems, []);
});
