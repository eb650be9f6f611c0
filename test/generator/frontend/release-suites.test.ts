/**
 * Every QEMU release's own front-end test suite, read as that release read
 * it: each x.y.0 release, 10.0.13 and 10.2.2 in the shared folder
 * (../shared/qemu/<release>/tests/qapi-schema, or $QAPI_TS_SHARED/qemu).
 * Default mode finds the release in the tree's VERSION file and applies its
 * rules (generator/frontend/release-rules.ts). Every valid case must give the
 * model that release dumped (its .out, in our dump's conventions:
 * release-dump.ts), every invalid case must fail at the same location, with
 * the same context lines, naming the same things (qemu-suite.ts).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { releaseOfSchemaFile } from "../../../generator/frontend/schema-release.js";
import { sharedQemuReleases, sharedQemuRoot } from "../../../scripts/lib/qemu-sources.js";
import { runSuite, summary } from "./qemu-suite.js";
import { ourDumpFor, releaseDumpInOurTerms } from "./release-dump.js";

const releases = sharedQemuReleases().filter((v) => existsSync(join(sharedQemuRoot, v, "tests", "qapi-schema")));
const skip =
  releases.length > 0 ? false : `no QEMU test suites in ${sharedQemuRoot} (the shared folder; set QAPI_TS_SHARED)`;

test("every release's qapi-schema suite passes under that release's rules", { skip }, async (t) => {
  // Each x.y.0 from 4.2.0, with 10.0.13 and 10.2.2: a missing one is a broken shared folder.
  assert.ok(releases.length >= 21, `only ${releases.length} suites: ${releases.join(" ")}`);
  for (const version of releases) {
    await t.test(`QEMU ${version}`, () => {
      const dir = join(sharedQemuRoot, version, "tests", "qapi-schema");
      assert.equal(releaseOfSchemaFile(join(dir, "qapi-schema-test.json")), version, "the release from VERSION");
      const results = runSuite(dir, {
        expectedDump: (out) => releaseDumpInOurTerms(version, out),
        actualDump: (dump) => ourDumpFor(version, dump),
      });
      t.diagnostic(summary(version, results));
      assert.ok(results.length >= 185, `only ${results.length} cases`);
      assert.ok(results.filter((r) => r.valid).length >= 7, "valid cases");
      assert.deepEqual(
        results.filter((r) => r.problem !== null).map((r) => `${r.name}: ${r.problem}`),
        [],
      );
    });
  }
});
