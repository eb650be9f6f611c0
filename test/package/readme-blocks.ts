/**
 * The README's code blocks as the package test runs them: each fenced block
 * with its language and the `<!-- test: … -->` annotation just above it.
 *
 * Annotations (an HTML comment, invisible on the rendered page):
 * - `file NAME`: the block is a file of the user's project (written there, then
 *   compiled and run by the README's own commands);
 * - `exit N`: the block's commands are expected to exit with status N;
 * - `background`: the block's one command keeps running (a QEMU) while the
 *   rest of the README runs, and is stopped at the end;
 * - `skip: REASON`: not run (commands for contributors, in a clone of the repository).
 * A `ts`/`json` block without `file` or `skip` is an error: every block either
 * runs or says why not. Data goes to test/package/pack.qemu.test.ts.
 */

export interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly text: string;
  readonly file?: string;
  readonly exit?: number;
  readonly background?: boolean;
  readonly skip?: string;
}

/**
 * Splits README text into its fenced blocks.
 * @throws Error naming the line of an unknown annotation or an unclosed fence
 */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split("\n");
  const blocks: ReadmeBlock[] = [];
  let annotation: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const note = /^<!-- test: (.*) -->$/.exec(line);
    if (note) {
      annotation = note[1]!;
      continue;
    }
    const fence = /^```(\w*)$/.exec(line);
    if (!fence) {
      if (line.trim() !== "") annotation = undefined;
      continue;
    }
    const start = i + 1;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`README.md:${start}: unclosed code block`);
    blocks.push({ line: start, lang: fence[1]!, text: body.join("\n") + "\n", ...parseAnnotation(annotation, start) });
    annotation = undefined;
  }
  return blocks;
}

function parseAnnotation(annotation: string | undefined, line: number): Partial<ReadmeBlock> {
  if (annotation === undefined) return {};
  let m: RegExpExecArray | null;
  if ((m = /^file (\S+)$/.exec(annotation))) return { file: m[1]! };
  if ((m = /^exit (\d+)$/.exec(annotation))) return { exit: Number(m[1]) };
  if (annotation === "background") return { background: true };
  if ((m = /^skip: (.+)$/.exec(annotation))) return { skip: m[1]! };
  throw new Error(`README.md:${line}: unknown test annotation '${annotation}'`);
}

/** The commands of a shell block: one per line, trailing `# comments` and blank lines dropped. */
export function shellCommands(block: ReadmeBlock): string[] {
  return block.text
    .split("\n")
    .map((l) => l.replace(/\s+#\s.*$/, "").trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}
