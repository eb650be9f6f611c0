/**
 * Turns QAPI doc text (a small subset of reStructuredText) into the Markdown
 * that TSDoc readers (editors' hovers, TypeDoc) render, for `--docs full`.
 *
 * Deliberately small: inline markup (``code``, `Name` cross-references,
 * `@member` references), literal blocks (`::` then indented text), and
 * directives (`.. qmp-example::` becomes an example the caller prints as an
 * `@example` block; admonitions such as `.. note::` become a bold lead-in;
 * any other directive keeps its content verbatim in a code fence). Everything
 * else passes through unchanged. The output is NOT comment-safe yet: the caller
 * runs it through emit/jsdoc.ts's escapeCommentText.
 */

/** One example taken out of the text: an optional title and Markdown content (usually one fence). */
export interface DocExample {
  readonly title: string;
  readonly markdown: string;
}

/** Doc text converted: the prose, and the examples found in it (in order). */
export interface RenderedDoc {
  readonly prose: string;
  readonly examples: DocExample[];
}

/**
 * Resolves a referenced schema name to the identifier a `{@link}` may point
 * at, or null when no link should be made (unknown name, or the target is not
 * declared in the file the comment goes to, where a link would not resolve).
 */
export type LinkResolver = (schemaName: string) => string | null;

/** No links at all: every reference becomes inline code. */
export const noLinks: LinkResolver = () => null;

const DIRECTIVE = /^(\s*)\.\.\s+([\w-]+)::\s*(.*)$/;
const ADMONITIONS = new Set([
  "note",
  "caution",
  "warning",
  "important",
  "tip",
  "hint",
  "danger",
  "attention",
  "error",
  "seealso",
]);
/**
 * Inline markup, first match wins: ``literal``; `ref` with an optional
 * `:role:` prefix; `@name` not preceded by a word character (so e-mail
 * addresses stay), the name ending in a word character (so a full stop after
 * it stays outside).
 */
const INLINE = /``(.+?)``|(?::[\w:.-]+:)?`([^`]+)`|(^|[^\w@`])@([A-Za-z_](?:[\w.-]*\w)?)/g;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Removes the indentation every non-blank line shares. */
function dedent(lines: readonly string[]): string[] {
  const widths = lines.filter((l) => l.trim() !== "").map(indentOf);
  const cut = widths.length > 0 ? Math.min(...widths) : 0;
  return lines.map((l) => l.slice(cut));
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === "") start++;
  while (end > start && lines[end - 1]!.trim() === "") end--;
  return lines.slice(start, end);
}

/**
 * A section's lines after the first carry the section's indentation (a member
 * description continues indented under `@name:`); Markdown would read a
 * second indented paragraph as code, so that indentation goes.
 */
export function dedentContinuation(text: string): string {
  const [first, ...rest] = text.split("\n");
  return [first!.trimStart(), ...dedent(rest)].join("\n");
}

/**
 * A Markdown code fence around `text`, kept verbatim; the fence is longer than
 * any backtick run inside, so no text can close it early.
 */
export function codeFence(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/** Inline markup of one prose line. */
export function renderInline(line: string, links: LinkResolver): string {
  const reference = (name: string): string => {
    const target = links(name);
    if (target === null) return "`" + name + "`";
    return target === name ? `{@link ${target}}` : `{@link ${target} | ${name}}`;
  };
  return line.replace(INLINE, (_all, literal?: string, ref?: string, before?: string, member?: string) => {
    if (literal !== undefined) return "`" + literal + "`";
    if (ref !== undefined) return reference(ref.trim());
    return before! + reference(member!);
  });
}

/** The block indented under line `start` (blank lines included, trailing blanks not), and the index after it. */
function indentedBlock(lines: readonly string[], start: number, parentIndent: number): [string[], number] {
  let end = start + 1;
  while (end < lines.length && (lines[end]!.trim() === "" || indentOf(lines[end]!) > parentIndent)) end++;
  while (end > start + 1 && lines[end - 1]!.trim() === "") end--;
  return [lines.slice(start + 1, end), end];
}

const OPTION = /^:([\w-]+):\s*(.*)$/;

/** A directive's content without its leading `:option: value` lines. */
function withoutOptions(content: readonly string[]): string[] {
  let start = 0;
  while (start < content.length && OPTION.test(content[start]!)) start++;
  return trimBlankLines(content.slice(start));
}

/** `.. qmp-example::`: options (`:title:`, `:annotated:`) first, then the example. */
function qmpExample(body: readonly string[], links: LinkResolver): DocExample {
  const content = trimBlankLines(dedent(body));
  let title = "";
  for (let option = OPTION.exec(content[0] ?? ""), i = 0; option; option = OPTION.exec(content[++i] ?? "")) {
    if (option[1] === "title") title = option[2]!.trim();
  }
  const example = withoutOptions(content);
  // Annotated examples mix prose with `::` literal blocks; plain ones are all QMP text.
  const annotated = example.some((l) => /::\s*$/.test(l));
  return { title, markdown: annotated ? render(example, links, []) : codeFence(example.join("\n")) };
}

/** Converts `lines`, appending examples to `examples`; returns the prose. */
function render(lines: readonly string[], links: LinkResolver, examples: DocExample[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const directive = DIRECTIVE.exec(line);
    if (directive) {
      const [body, next] = indentedBlock(lines, i, indentOf(line));
      const kind = directive[2]!;
      if (kind === "qmp-example") examples.push(qmpExample(body, links));
      else if (kind === "admonition" || ADMONITIONS.has(kind)) {
        // `.. admonition:: Title` names itself; `.. note:: Text` starts its content on the directive line.
        const argument = directive[3]!.trim();
        const heading = kind === "admonition" ? argument || "Note" : kind[0]!.toUpperCase() + kind.slice(1);
        const inline = kind !== "admonition" && argument !== "";
        const content = render(trimBlankLines([...(inline ? [argument] : []), ...dedent(body)]), links, examples);
        // Content starting on the directive line runs on after the heading; other content (lists) gets its own paragraph.
        out.push(`**${renderInline(heading, links)}:**` + (inline ? " " + content : content ? "\n\n" + content : ""));
      } else {
        // Unknown directives (`.. table:: Title`): the title, then the content verbatim, without the options.
        const content = withoutOptions(trimBlankLines(dedent(body)));
        if (directive[3]!.trim() !== "") out.push(renderInline(directive[3]!.trim(), links));
        if (content.length > 0) out.push(codeFence(content.join("\n")));
      }
      i = next;
      continue;
    }
    if (/::\s*$/.test(line) && !line.trimStart().startsWith("..")) {
      // A literal block follows: `Text::` reads `Text:`, a bare `::` vanishes.
      const [body, next] = indentedBlock(lines, i, indentOf(line));
      const lead = line.replace(/\s*::\s*$/, line.trim() === "::" ? "" : ":");
      if (lead.trim() !== "") out.push(renderInline(lead, links));
      const literal = trimBlankLines(dedent(body));
      if (literal.length > 0) out.push(codeFence(literal.join("\n")));
      i = next;
      continue;
    }
    out.push(renderInline(line, links));
    i++;
  }
  return trimBlankLines(out.join("\n").split("\n")).join("\n");
}

/**
 * Converts one doc section's text.
 * @param text the section's text as the front end keeps it
 * @param links which references become `{@link}`s
 * @param tagged whether the text continues a tag or `@name:` line (its later
 *   lines are indented under it); the body and plain sections keep their
 *   indentation, which is rST structure (directive content, literal blocks)
 */
export function renderDocText(text: string, links: LinkResolver, tagged: boolean): RenderedDoc {
  const examples: DocExample[] = [];
  const prose = render((tagged ? dedentContinuation(text) : text).split("\n"), links, examples);
  return { prose, examples };
}
