/**
 * Every release's schemas load in default mode: the QMP, guest agent and
 * (from 5.0) storage daemon schema of every QEMU release in the shared
 * folder (../shared/qemu, or $QAPI_TS_SHARED/qemu), each read by the rules
 * of the release its VERSION file names. And where releases disagree, the
 * release decides: 10.0's guest agent schema has a "Returns:" line that
 * continues a paragraph, which 10.0 read as body text.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { compareReleases } from "../../../core/release.js";
import { QapiError, loadSchema } from "../../../generator/load-schema.js";
import { sharedQemuReleases, sharedQemuRoot } from "../../../scripts/lib/qemu-sources.js";

const releases = sharedQemuReleases();
const skip =
  releases.length > 0 ? false : `no QEMU sources in ${sharedQemuRoot} (the shared folder; set QAPI_TS_SHARED)`;

/** The schema files of a release: QMP and guest agent always, the storage daemon from 5.0. */
function schemaFiles(version: string): string[] {
  const files = ["qapi/qapi-schema.json", "qga/qapi-schema.json"];
  if (compareReleases(version, "5.0.0") >= 0) files.push("storage-daemon/qapi/qapi-schema.json");
  return files;
}

test("every release's QMP, guest agent and storage daemon schemas load in default mode", { skip }, () => {
  const failures: string[] = [];
  let loaded = 0;
  for (const version of releases) {
    for (const file of schemaFiles(version)) {
      const path = join(sharedQemuRoot, version, file);
      if (!existsSync(path)) {
        failures.push(`${version}: ${file} is missing`);
        continue;
      }
      try {
        const schema = loadSchema(path);
        assert.ok(schema.lookupEntity("query-version") ?? schema.lookupEntity("guest-info"), `${version} ${file}`);
        loaded++;
      } catch (error) {
        if (!(error instanceof QapiError)) throw error;
        failures.push(`${version}: ${error.report()}`);
      }
    }
  }
  assert.deepEqual(failures, []);
  // 64 releases at the time of writing: 3 schemas each, but no storage daemon in 4.2.x.
  assert.ok(loaded >= 190, `only ${loaded} schemas`);
});

test("10.0's guest agent schema: 'Returns:' continuing a paragraph is body text, as 10.0 read it", { skip }, () => {
  const file = join(sharedQemuRoot, "10.0.13", "qga", "qapi-schema.json");
  const doc = loadSchema(file).lookupEntity("guest-network-get-route")!.doc!;
  assert.equal(doc.returns, null);
  assert.match(
    doc.body.text,
    /^Retrieve information about route of network\.\nReturns: List of route info of guest\.$/,
  );
  assert.deepEqual(
    doc.sections.map((s) => s.kind),
    ["Since"],
  );
});
