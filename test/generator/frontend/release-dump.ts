/**
 * QEMU releases' test dumps (tests/qapi-schema/*.out) in our dump's
 * conventions, for release-suites.test.ts via qemu-suite.ts.
 *
 * Our dump prints what 10.2's harness prints. Older harnesses printed the
 * same model differently: the built-in module as `module None` and QType's
 * `prefix QTYPE` (before 6.0 and 9.2), conditions as a list of C strings
 * (before 6.2), plain and TODO doc sections as `section=None` /
 * `section=TODO` (before 10.0), and, in 4.2, entities in definition order
 * with a `module` line wherever the module changes rather than module by
 * module. Those spellings are rewritten here; for 4.2 both dumps are
 * compared as each module's entries in order.
 */
import { parseCppCondition } from "../../../generator/frontend/cpp-condition.js";
import { compareReleases } from "../../../core/release.js";
import { IfCondition } from "../../../generator/model/if-cond.js";

/** A C condition line (`if ['defined(A)', 'B']`) as our condition tree prints. */
function modernIfLine(line: string): string {
  const match = /^(\s+)if \[(.*)\]$/.exec(line);
  if (!match) return line;
  const operands = match[2]!.split(", ").map((quoted) => parseCppCondition(quoted.slice(1, -1)));
  const tree = operands.length === 1 ? operands[0]! : { all: operands };
  return `${match[1]}if ${new IfCondition(tree).toString()}`;
}

const renamedLines = new Map([
  ["module None", "module ./builtin"],
  ["    section=None", "    section=Plain"],
  ["    section=TODO", "    section=Todo"],
]);

/** Release `version`'s .out text in our dump's conventions. */
export function releaseDumpInOurTerms(version: string, out: string): string {
  const text = out
    .split("\n")
    .filter((line) => line !== "    prefix QTYPE")
    .map((line) => renamedLines.get(line) ?? modernIfLine(line))
    .join("\n");
  return dumpsByModule(version) ? byModule(text) : text;
}

/** Our dump in the form compared with release `version`'s. */
export function ourDumpFor(version: string, dump: string): string {
  return dumpsByModule(version) ? byModule(dump) : dump;
}

/** Whether `version`'s harness printed entities in definition order, switching modules as it went (4.x). */
function dumpsByModule(version: string): boolean {
  return compareReleases(version, "5.0.0") < 0;
}

/**
 * The entities part of a dump as each module's entries (a top-level line
 * with its indented lines) in order, modules sorted by name and empty ones
 * left out, then the doc part unchanged.
 */
function byModule(text: string): string {
  const lines = text.split("\n");
  const docStart = lines.findIndex((l) => l.startsWith("doc "));
  const entityLines = docStart < 0 ? lines : lines.slice(0, docStart);
  const modules = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of entityLines) {
    if (line.startsWith("module ")) {
      const name = line.slice("module ".length);
      current = modules.get(name) ?? [];
      modules.set(name, current);
    } else if (line.startsWith(" ") && current.length > 0) {
      current[current.length - 1] += `\n${line}`;
    } else if (line) {
      current.push(line);
    }
  }
  const grouped = [...modules]
    .filter(([, entries]) => entries.length > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, entries]) => [`module ${name}`, ...entries].join("\n"));
  return [...grouped, ...(docStart < 0 ? [] : lines.slice(docStart))].join("\n");
}
