/**
 * `if` conditions of the resolved model: the condition tree and its text forms.
 *
 * Stage 2 (generator/frontend/check-exprs.ts) has already validated the shape
 * (generator/frontend/if-cond.ts), so this module only wraps it. The dump
 * (generator/model/dump.ts) prints the condition the way QEMU's test harness
 * does (Python's repr of the tree); the code generators walk the tree through
 * `IfCondition.cond`.
 */
import type { IfCond } from "../frontend/if-cond.js";

export type { IfCond };

/** The optional `if` condition of a definition, member, branch or feature. */
export class IfCondition {
  /** The shared "always present" condition. */
  static readonly none = new IfCondition(undefined);

  /** The condition tree, or undefined when the entity is unconditional. */
  readonly cond: IfCond | undefined;

  constructor(cond: IfCond | undefined) {
    this.cond = cond;
    Object.freeze(this);
  }

  /** True when there is a condition at all. */
  isPresent(): boolean {
    return this.cond !== undefined;
  }

  /** The condition as QEMU's test dump prints it (Python repr), e.g. `{'all': ['A', 'B']}`. */
  toString(): string {
    return this.cond === undefined ? "" : ifCondRepr(this.cond);
  }
}

/** Python's repr of a condition tree; condition symbols never contain quotes. */
function ifCondRepr(cond: IfCond): string {
  if (typeof cond === "string") return cond;
  return reprNode(cond);
}

function reprNode(cond: IfCond): string {
  if (typeof cond === "string") return `'${cond}'`;
  if ("not" in cond) return `{'not': ${reprNode(cond.not)}}`;
  if ("all" in cond) return `{'all': [${cond.all.map(reprNode).join(", ")}]}`;
  return `{'any': [${cond.any.map(reprNode).join(", ")}]}`;
}
