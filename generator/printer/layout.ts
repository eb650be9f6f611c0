/**
 * Line breaking for generated code, in the pinned prettier style, without
 * running prettier.
 *
 * The printer is final (as in protobuf-es): an emitter hands each construct
 * whose layout depends on its width to one of the functions below, which
 * choose the lines prettier would choose for it — a union on the right of
 * `type X =`, a type literal, a bracketed list (arrays, object literals,
 * imports, parameters, call arguments). Texts are measured after imports are
 * resolved (GeneratedFile renders a LaidOut's parts first), so aliases count.
 * test/generator/printer/prettier-stable.test.ts runs prettier over every
 * generated file and asserts it changes nothing: prettier stays the judge of
 * the style, it just no longer runs on every `generate`.
 */
import { type LaidOut, type Printable, laidOut } from "./generated-file.js";
import { stringLiteral } from "./escape.js";

/** The pinned line width; format.ts gives prettier the same. */
export const printWidth = 110;

/** Two spaces per level. */
export function indentText(level: number): string {
  return "  ".repeat(level);
}

/** True when `text` (one line) fits at this indentation level. */
export function fits(text: string, level: number): boolean {
  return !text.includes("\n") && level * 2 + text.length <= printWidth;
}

/** Indents every non-empty line of `text` by `level` steps. */
export function indentLines(text: string, level: number): string {
  const pad = indentText(level);
  return text
    .split("\n")
    .map((l) => (l === "" ? l : pad + l))
    .join("\n");
}

/** One alternative of a union: its type and the doc comment printed before it ("" for none). */
export interface UnionMember {
  readonly doc: string;
  readonly type: Printable;
  /** The alternative's text when its `  | …` line is too long (e.g. an intersection broken inside its type literal), indented for that position. */
  readonly broken?: Printable;
}

/**
 * `type Name = A | B;` (`head` is `export type Name`): prettier's three layouts
 * of a union on the right of `=` — one line; the whole union on the next line;
 * one alternative per line, each led by `|`. A doc comment on any alternative
 * forces the last (comments sit on their own lines, before their `|`).
 */
export function unionAlias(head: string, members: readonly UnionMember[], level = 0): LaidOut {
  const parts: Printable[] = [...members.map((m) => m.type), ...members.map((m) => m.broken ?? "")];
  return laidOut(parts, (texts) => {
    const types = texts.slice(0, members.length);
    const brokens = texts.slice(members.length);
    if (types.length === 0) return indentLines(`${head} = never;`, level);
    const hasDocs = members.some((m) => m.doc !== "");
    // A comment on the first alternative only is, to prettier, a comment before the whole union: it keeps its line and the union may stay flat.
    if (hasDocs && members[0]!.doc !== "" && members.slice(1).every((m) => m.doc === "")) {
      const flat = types.join(" | ");
      if (fits(`${flat};`, level + 1))
        return indentLines(`${head} =\n${indentLines(members[0]!.doc, 1)}\n  ${flat};`, level);
    }
    if (!hasDocs) {
      const flat = types.join(" | ");
      if (fits(`${head} = ${flat};`, level)) return indentLines(`${head} = ${flat};`, level);
      if (types.length === 1 || fits(`${flat};`, level + 1)) return indentLines(`${head} =\n  ${flat};`, level);
    }
    const lines = [`${head} =`];
    types.forEach((t, i) => {
      const doc = members[i]!.doc;
      if (doc !== "") lines.push(indentLines(doc, 1));
      const end = i === types.length - 1 ? ";" : "";
      const line = `  | ${t}${end}`;
      lines.push(fits(line, level) || brokens[i] === "" ? line : `  | ${brokens[i]}${end}`);
    });
    return indentLines(lines.join("\n"), level);
  });
}

/**
 * A conditional type, prettier style: `check ? a : b` on one line when it
 * fits at `level`, else `check` with `? a` and `: b` on lines of their own.
 */
export function conditionalType(check: Printable, whenTrue: Printable, whenFalse: Printable, level = 0): LaidOut {
  return laidOut([check, whenTrue, whenFalse], ([c, t, f]) => {
    const flat = `${c} ? ${t} : ${f}`;
    return fits(flat, level) ? flat : `${c}\n  ? ${t}\n  : ${f}`;
  });
}

/**
 * A comma-separated list between brackets, prettier style: `open a, b close`
 * on one line when `prefix + that + suffix` fits, else one item per line with
 * a trailing comma (`trailingComma: false` after a rest parameter, where
 * TypeScript forbids one). `spaced` puts spaces inside the brackets (`{ a }`).
 * `expanded` breaks even when it fits (prettier keeps an object literal broken
 * when its first member starts on a new line).
 */
export function bracketList(
  prefix: Printable,
  open: string,
  items: readonly Printable[],
  close: string,
  suffix: Printable,
  options: {
    level?: number;
    spaced?: boolean;
    trailingComma?: boolean;
    expanded?: boolean;
    separator?: "," | ";";
    assignment?: boolean;
  } = {},
): LaidOut {
  const level = options.level ?? 0;
  return laidOut([prefix, suffix, ...items], (texts) => layoutList(texts, open, close, level, options));
}

function layoutList(
  [pre, suf, ...texts]: readonly string[],
  open: string,
  close: string,
  level: number,
  options: {
    spaced?: boolean;
    trailingComma?: boolean;
    expanded?: boolean;
    separator?: "," | ";";
    assignment?: boolean;
  },
): string {
  // `x = [`: when even `x = [` does not fit, prettier breaks after `=` and lays the list out on the next line.
  if (options.assignment && !fits(`${pre}${open}`, level)) {
    const list = layoutList(["", suf!, ...texts], open, close, level + 1, { ...options, assignment: false });
    return `${indentLines(pre!.trimEnd(), level)}\n${list}`;
  }
  if (texts.length === 0) return indentLines(`${pre}${open}${close}${suf}`, level);
  const sp = options.spaced ? " " : "";
  const sep = options.separator ?? ",";
  const flat = `${pre}${open}${sp}${texts.join(sep + " ")}${sp}${close}${suf}`;
  if (!options.expanded && fits(flat, level) && !texts.some((t) => t.includes("\n"))) return indentLines(flat, level);
  // Type literal members end in `;` each; list items get a trailing comma unless forbidden.
  const last = sep === ";" ? ";" : options.trailingComma === false ? "" : ",";
  const body = texts.map((t, i) => indentLines(t + (i < texts.length - 1 ? sep : last), 1));
  return indentLines([`${pre}${open}`, ...body, `${close}${suf}`].join("\n"), level);
}

/**
 * A JSON-like value as a TypeScript literal in the pinned style, starting at
 * column `level * 2` after `prefix` (text before it on its first line) and
 * followed by `suffix`: objects one member per line (prettier keeps an object
 * broken when it starts so), arrays on one line when they fit, else one item
 * per line. Keys are quoted string literals (quoteProps "preserve" keeps them).
 */
export function dataLiteral(value: unknown, level = 0, prefix = "", suffix = ""): string {
  if (Array.isArray(value)) {
    const items = value.map((v) => dataLiteral(v, level + 1));
    const flat = `[${items.join(", ")}]`;
    if (items.every((i) => !i.includes("\n")) && fits(prefix + flat + suffix, level)) return flat;
    if (items.length === 0) return "[]";
    return ["[", ...items.map((i) => `${indentText(level + 1)}${i},`), `${indentText(level)}]`].join("\n");
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const lines = entries.map(([k, v]) => {
      const key = `${stringLiteral(k)}: `;
      return `${indentText(level + 1)}${key}${dataLiteral(v, level + 1, key, ",")},`;
    });
    return ["{", ...lines, `${indentText(level)}}`].join("\n");
  }
  return typeof value === "string" ? stringLiteral(value) : String(value);
}
