/**
 * The validator engine on values of a recursive type nested deep
 * (`query-blockstats`'s `backing` chain, issue 18): past the nesting bound
 * a typed finding instead of a stack overflow, in strict and lenient mode,
 * valid or not; the work grows linearly with the depth (counted as property
 * reads through a Proxy, not timed); findings are capped and the rest counted.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sdk } from "../../generated/qemu/index.js";
import { maxNesting } from "../../runtime/validate/compile.js";
import { maxFindings } from "../../runtime/validate/findings.js";

const counters = [
  "rd_bytes wr_bytes zone_append_bytes unmap_bytes rd_operations wr_operations zone_append_operations",
  "flush_operations unmap_operations rd_total_time_ns wr_total_time_ns zone_append_total_time_ns",
  "flush_total_time_ns unmap_total_time_ns wr_highest_offset rd_merged wr_merged zone_append_merged unmap_merged",
  "failed_rd_operations failed_wr_operations failed_zone_append_operations failed_flush_operations",
  "failed_unmap_operations invalid_rd_operations invalid_wr_operations invalid_zone_append_operations",
  "invalid_flush_operations invalid_unmap_operations",
]
  .join(" ")
  .split(" ");
const stats = {
  ...Object.fromEntries(counters.map((c) => [c, 0])),
  account_invalid: true,
  account_failed: true,
  timed_stats: [],
};

/** A BlockStats chain `levels` long; `bad`: the innermost stats has a string where a number goes. */
function chain(levels: number, bad: "none" | "bottom" | "every", reads?: { n: number }): unknown[] {
  const counted = <T extends object>(o: T): T =>
    reads
      ? new Proxy(o, {
          get(target, key, receiver) {
            reads.n++;
            return Reflect.get(target, key, receiver) as unknown;
          },
        })
      : o;
  let node: object | undefined;
  for (let i = 0; i < levels; i++) {
    const wrong = bad === "every" || (bad === "bottom" && i === 0);
    node = counted({ stats: wrong ? { ...stats, rd_bytes: "x" } : stats, ...(node ? { backing: node } : {}) });
  }
  return [node];
}

const validate = (value: unknown, mode: "strict" | "lenient") =>
  sdk.validators.commandReturn("query-blockstats", value, mode)!;

test("a chain within the bound is valid; past it, a typed finding instead of a stack overflow", () => {
  for (const mode of ["strict", "lenient"] as const) {
    assert.deepEqual(validate(chain(maxNesting - 2, "none"), mode).errors, [], mode);
    for (const levels of [maxNesting + 1, 3_000, 100_000]) {
      const { errors } = validate(chain(levels, "none"), mode);
      assert.ok(errors.length > 0, `${levels} ${mode}`);
      assert.match(errors[0]!.message, /nested deeper than 1024 objects: not validated/);
      assert.ok(errors[0]!.path.startsWith("$.return[0].backing.backing."), errors[0]!.path.slice(0, 80));
    }
  }
});

test("checking a deep invalid chain costs reads in proportion to its depth", () => {
  for (const bad of ["bottom", "every"] as const) {
    const reads = [250, 500, 1_000].map((levels) => {
      const counter = { n: 0 };
      const { errors } = validate(chain(levels, bad, counter), "strict");
      assert.ok(errors.length > 0 && errors.length <= maxFindings + 1, `${bad} ${levels}: ${errors.length} findings`);
      return counter.n;
    });
    // Linear: doubling the depth doubles the reads (quadratic would quadruple them).
    for (let i = 1; i < reads.length; i++)
      assert.ok(reads[i]! <= 2.2 * reads[i - 1]!, `${bad}: reads ${reads.join(", ")} grow faster than the depth`);
  }
});

test("findings past the cap are counted in one last issue, as errors or notices", () => {
  const { errors } = validate(chain(500, "every"), "strict");
  assert.equal(errors.length, maxFindings + 1);
  assert.equal(errors.at(-1)!.message, `${500 - maxFindings} more findings not listed`);
});
