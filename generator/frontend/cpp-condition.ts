/**
 * Reads the `if` conditions of QEMU releases before 6.2, which were C
 * preprocessor expressions in a string (`'defined(CONFIG_X) && !defined(Y)'`),
 * into the condition tree that 6.2 and later write as `{'all': …}`,
 * `{'any': …}` and `{'not': …}`, so an old schema's model, dump and
 * generated code are the ones its modern spelling gives.
 *
 * Called by generator/frontend/check-parts.ts (checkIf) for releases before 6.2 only (release-rules.ts `cppConditions`);
 * `--doc-lint` keeps QEMU 10.2's rule that a string condition is one symbol.
 *
 * Grammar (what QEMU's schemas used, nothing more):
 *   or    := and ('||' and)*
 *   and   := unary ('&&' unary)*
 *   unary := '!' unary | '(' or ')' | 'defined' '(' SYMBOL ')' | 'defined' SYMBOL | SYMBOL
 * A chain of one operator becomes one n-ary node, as a writer of the modern
 * form would write it; `defined(X)` and a bare `X` both become 'X'.
 */
import type { IfCond } from "./if-cond.js";

/** Why a C condition string was not understood; check-parts.ts locates it. */
export class CppConditionError extends Error {}

const symbolPattern = /^[A-Z][A-Z0-9_]*$/;
const tokenPattern = /\s*(&&|\|\||!|\(|\)|[A-Za-z_][A-Za-z0-9_]*|\S)/y;

/** Parentheses and '!' nest no deeper than this (the tree's own limit is checked by the caller). */
const maxNesting = 200;

/**
 * Parses one C preprocessor condition.
 * @throws CppConditionError naming what does not fit the grammar
 */
export function parseCppCondition(text: string): IfCond {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const expect = (wanted: string): void => {
    if (tokens[pos] !== wanted) throw new CppConditionError(`expected '${wanted}' ${where()}`);
    pos++;
  };
  const where = (): string => (pos < tokens.length ? `at '${tokens[pos]}'` : "at the end");

  const symbol = (token: string | undefined): string => {
    if (token === undefined || !symbolPattern.test(token)) {
      throw new CppConditionError(`expected a configuration symbol (capitals, digits, '_') ${where()}`);
    }
    pos++;
    return token;
  };

  const parseOr = (depth: number): IfCond => {
    const operands = [parseAnd(depth)];
    while (peek() === "||") {
      pos++;
      operands.push(parseAnd(depth));
    }
    return operands.length === 1 ? operands[0]! : { any: operands };
  };
  const parseAnd = (depth: number): IfCond => {
    const operands = [parseUnary(depth)];
    while (peek() === "&&") {
      pos++;
      operands.push(parseUnary(depth));
    }
    return operands.length === 1 ? operands[0]! : { all: operands };
  };
  const parseUnary = (depth: number): IfCond => {
    if (depth > maxNesting) throw new CppConditionError(`nests deeper than ${maxNesting} levels`);
    const token = peek();
    if (token === "!") {
      pos++;
      return { not: parseUnary(depth + 1) };
    }
    if (token === "(") {
      pos++;
      const inner = parseOr(depth + 1);
      expect(")");
      return inner;
    }
    if (token === "defined") {
      pos++;
      if (peek() !== "(") return symbol(peek());
      pos++;
      const name = symbol(peek());
      expect(")");
      return name;
    }
    return symbol(token);
  };

  if (tokens.length === 0) throw new CppConditionError("is empty");
  const tree = parseOr(0);
  if (pos < tokens.length) throw new CppConditionError(`has '${tokens[pos]}' where an operator or the end belongs`);
  return tree;
}

/** Splits into operators, parentheses, words and single stray characters (which the grammar then rejects). */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  tokenPattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = tokenPattern.exec(text)) !== null) tokens.push(match[1]!);
  return tokens;
}
