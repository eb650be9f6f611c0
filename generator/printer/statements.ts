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

// Rendering appends whole lines, indentation included, to one array per
// function (no re-indenting of nested text: generated validators are large).

function pad(level: number): string {
  return indentText(level);
}

/** `head{ … }` at `level`: `head` is what precedes the brace on its line (`if (x) `, `for (…) `, `} else `). */
function blockLines(head: string, body: readonly Statement[], level: number, out: string[]): void {
  const inner = body.filter((s) => s !== "");
  if (inner.length === 0) {
    out.push(pad(level) + head + "{}");
    return;
  }
  out.push(pad(level) + head + "{");
  for (const s of inner) statementLines(s, level + 1, out);
  out.push(pad(level) + "}");
}

/** A braceless clause after `head` (`if (…)`, `else`): on its line when it fits, else indented on the next. */
function clauseLines(head: string, s: Statement, level: number, out: string[]): void {
  const one: string[] = [];
  statementLines(s, level, one);
  if (one.length === 1 && level * 2 + head.length + 1 + one[0]!.length - level * 2 <= printWidth) {
    out.push(pad(level) + head + " " + one[0]!.slice(level * 2));
    return;
  }
  out.push(pad(level) + head);
  statementLines(s, level + 1, out);
}

/** `lead` precedes `if` on its first line (`} else `, `else `). */
function ifLines(s: IfStatement, level: number, out: string[], lead = ""): void {
  const head = `${lead}if (${s.if})`;
  if (isBlock(s.then)) blockLines(head + " ", s.then, level, out);
  else clauseLines(head, s.then, level, out);
  if (s.otherwise === undefined) return;
  // prettier: `} else` after a block; after a braceless statement, `else` starts its own line.
  let elseHead = "else";
  if (isBlock(s.then) && s.then.some((t) => t !== "")) {
    out.pop();
    elseHead = "} else";
  }
  const other = s.otherwise;
  if (isBlock(other)) blockLines(elseHead + " ", other, level, out);
  else if (typeof other === "object" && "if" in other) ifLines(other, level, out, elseHead + " ");
  else clauseLines(elseHead, other, level, out);
}

function statementLines(s: Statement, level: number, out: string[]): void {
  if (s === "") return;
  if (typeof s === "string") {
    out.push(pad(level) + s);
    return;
  }
  if ("call" in s) {
    const flat = `${s.call}(${s.args.join(", ")});`;
    if (fits(flat, level) || s.args.length === 0) out.push(pad(level) + flat);
    else {
      out.push(pad(level) + s.call + "(");
      for (const a of s.args) out.push(pad(level + 1) + a + ",");
      out.push(pad(level) + ");");
    }
    return;
  }
  if ("block" in s) return blockLines("", s.block, level, out);
  if ("for" in s) return blockLines(`for (${s.for}) `, s.body, level, out);
  if ("switch" in s) {
    out.push(pad(level) + `switch (${s.switch}) {`);
    for (const c of s.cases) {
      for (const l of c.labels) out.push(pad(level + 1) + `case ${l}:`);
      if (c.labels.length === 0) out.push(pad(level + 1) + "default:");
      for (const st of c.body) statementLines(st, level + 2, out);
    }
    out.push(pad(level) + "}");
    return;
  }
  ifLines(s, level, out);
}

/** Statements at `level`, one per line, each indented. */
export function renderStatements(body: readonly Statement[], level: number): string {
  const out: string[] = [];
  for (const s of body) statementLines(s, level, out);
  return out.join("\n");
}

/** `function header {` body `}` at top level. */
export function renderFunction(header: string, body: readonly Statement[]): string {
  const out: string[] = [];
  blockLines(header + " ", body, 0, out);
  return out.join("\n");
}

/**
 * `function name(a: A, b: B): R` for renderFunction: on one line when it fits
 * with its ` {`, else one parameter per line (prettier's layout).
 * @param returnType with its colon (`: void`), or "" for none
 */
export function functionHeader(name: string, params: readonly string[], returnType: string): string {
  const flat = `function ${name}(${params.join(", ")})${returnType}`;
  if (fits(`${flat} {`, 0) || params.length === 0) return flat;
  return [`function ${name}(`, ...params.map((p) => `  ${p},`), `)${returnType}`].join("\n");
}
