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

/**
 * A condition tree from its text form (`toString`): what a wire view keeps of
 * a condition (`if` of core/schema.ts), read back for a model built from
 * one. Undefined for text that is not such a form.
 */
export function ifCondFromText(text: string): IfCond | undefined {
  let at = 0;
  const fail = (): never => {
    throw new SyntaxError(text);
  };
  const skip = () => {
    while (text[at] === " ") at++;
  };
  const expect = (s: string) => {
    skip();
    if (!text.startsWith(s, at)) fail();
    at += s.length;
  };
  const quoted = (): string => {
    expect("'");
    const end = text.indexOf("'", at);
    if (end < 0) fail();
    const value = text.slice(at, end);
    at = end + 1;
    return value;
  };
  const node = (): IfCond => {
    skip();
    if (text[at] === "'") return quoted();
    expect("{");
    const op = quoted();
    expect(":");
    let result: IfCond;
    if (op === "not") result = { not: node() };
    else if (op === "all" || op === "any") {
      expect("[");
      const items = [node()];
      for (skip(); text[at] === ","; skip()) {
        at++;
        items.push(node());
      }
      expect("]");
      result = op === "all" ? { all: items } : { any: items };
    } else return fail();
    expect("}");
    return result;
  };
  try {
    // At the top, a lone symbol is written without quotes (ifCondRepr).
    const cond = text.startsWith("{") ? node() : text;
    skip();
    return at === 0 || at === text.length ? cond : undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
