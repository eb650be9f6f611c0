/**
 * Statements in the pinned prettier style, for emitters that generate code
 * with bodies (the validators).
 *
 * An emitter builds a small tree — simple statements, calls, `if`/`else`,
 * blocks, `for` loops, `switch` — and `renderStatements` lays it out as
 * prettier would: blocks always broken, one statement per line, an `if`
 * without braces kept on one line when it fits, else its statement moved to
 * the next line, a call whose arguments do not fit broken one per line, a
 * non-block `else` on its own line. layout.ts does the same for declarations;
 * the prettier-stable test holds both to prettier's output.
 */
import { fits, indentText, printWidth } from "./layout.js";

/** A call statement `callee(a, b);`, broken one argument per line when too long. */
export interface CallStatement {
  readonly call: string;
  readonly args: readonly string[];
}

/** `if (test) …`; `then`/`otherwise` arrays are blocks, a single statement is printed without braces. */
export interface IfStatement {
  readonly if: string;
  readonly then: Statement | readonly Statement[];
  readonly otherwise?: Statement | readonly Statement[];
}

/** `{ … }` on its own. */
export interface BlockStatement {
  readonly block: readonly Statement[];
}

/** `for (header) { … }`. */
export interface ForStatement {
  readonly for: string;
  readonly body: readonly Statement[];
}

/** `switch (on) { case a: case b: …; default: … }`; a case with `labels: []` is `default`. */
export interface SwitchStatement {
  readonly switch: string;
  readonly cases: readonly { readonly labels: readonly string[]; readonly body: readonly Statement[] }[];
}

/** A statement: a simple one written out (`return;`, `k++;`), or one of the shapes above. */
export type Statement = string | CallStatement | IfStatement | BlockStatement | ForStatement | SwitchStatement;

const isBlock = (s: Statement | readonly Statement[]): s is readonly Statement[] => Array.isArray(s);

/** A call statement. */
export function call(callee: string, ...args: string[]): CallStatement {
  return { call: callee, args };
}

function renderCall(s: CallStatement, level: number): string {
  const flat = `${s.call}(${s.args.join(", ")});`;
  if (fits(flat, level) || s.args.length === 0) return flat;
  const pad = indentText(1);
  return [`${s.call}(`, ...s.args.map((a) => `${pad}${a},`), ");"].join("\n");
}

/** The statement as text at `level` (the first line unindented, the others relative to it). */
function renderOne(s: Statement, level: number): string {
  if (typeof s === "string") return s;
  if ("call" in s) return renderCall(s, level);
  if ("block" in s) return block(s.block, level);
  if ("for" in s) return `for (${s.for}) ${block(s.body, level)}`;
  if ("switch" in s) {
    const lines = [`switch (${s.switch}) {`];
    for (const c of s.cases) {
      for (const l of c.labels) lines.push(`${indentText(1)}case ${l}:`);
      if (c.labels.length === 0) lines.push(`${indentText(1)}default:`);
      for (const st of c.body) lines.push(indentBy(renderOne(st, level + 2), 2));
    }
    lines.push("}");
    return lines.join("\n");
  }
  return renderIf(s, level);
}

/** `prefix`: how many columns precede `if` on its first line (`else ` of an `else if`). */
function renderIf(s: IfStatement, level: number, prefix = 0): string {
  let text = `if (${s.if})`;
  if (isBlock(s.then)) text += " " + block(s.then, level);
  else text += clause(" ".repeat(prefix) + text, s.then, level);
  if (s.otherwise === undefined) return text;
  // prettier: `} else` after a block; a non-block `then` puts `else` on its own line.
  text += isBlock(s.then) ? " else" : "\nelse";
  const lastLine = text.slice(text.lastIndexOf("\n") + 1);
  if (isBlock(s.otherwise)) return text + " " + block(s.otherwise, level);
  const other = s.otherwise;
  if (typeof other === "object" && "if" in other) return text + " " + renderIf(other, level, lastLine.length + 1);
  return text + clause(lastLine, other, level);
}

/** A braceless clause after `if (…)` or `else`: on the same line when it fits, else indented on the next. */
function clause(before: string, s: Statement, level: number): string {
  const head = before.slice(before.lastIndexOf("\n") + 1);
  const one = renderOne(s, level);
  if (!one.includes("\n") && level * 2 + head.length + 1 + one.length <= printWidth) return " " + one;
  return "\n" + indentBy(renderOne(s, level + 1), 1);
}

function indentBy(text: string, steps: number): string {
  const pad = indentText(steps);
  return text
    .split("\n")
    .map((l) => (l === "" ? l : pad + l))
    .join("\n");
}

function block(body: readonly Statement[], level: number): string {
  const inner = body.filter((s) => s !== "");
  if (inner.length === 0) return "{}";
  return ["{", ...inner.map((s) => indentBy(renderOne(s, level + 1), 1)), "}"].join("\n");
}

/** Statements at `level`, one per line, each indented. */
export function renderStatements(body: readonly Statement[], level: number): string {
  return body
    .filter((s) => s !== "")
    .map((s) => indentBy(renderOne(s, level), level))
    .join("\n");
}

/** `function header {` body `}` at top level. */
export function renderFunction(header: string, body: readonly Statement[]): string {
  const inner = renderStatements(body, 1);
  return inner === "" ? `${header} {}` : `${header} {\n${inner}\n}`;
}
