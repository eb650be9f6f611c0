/**
 * Renders a SchemaDiff (diff.ts) for people and machines: plain text for a
 * terminal, Markdown for a pull request or release note, JSON for tools. The
 * `diff` CLI command prints the result; `failsOn` decides its exit status.
 */
import type { SchemaChange, SchemaDiff } from "../../core/diff.js";
import { inertText } from "../terminal-text.js";

/** Output formats of `qapi-ts diff`. */
export type DiffFormat = "text" | "json" | "markdown";

/** Headline counts of a diff. */
export interface DiffSummary {
  readonly total: number;
  /** Breaking for clients built against OLD that meet NEW. */
  readonly breakingForward: number;
  /** Breaking for clients built against NEW that meet OLD. */
  readonly breakingBackward: number;
  readonly deprecations: number;
  readonly byKind: Readonly<Record<string, number>>;
}

/** Counts the changes of a diff. */
export function summarize(diff: SchemaDiff): DiffSummary {
  const byKind: Record<string, number> = {};
  for (const c of diff.changes) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
  return {
    total: diff.changes.length,
    breakingForward: diff.changes.filter((c) => c.forward === "breaking").length,
    breakingBackward: diff.changes.filter((c) => c.backward === "breaking").length,
    deprecations: diff.changes.filter((c) => c.kind === "feature-added" && c.name === "deprecated").length,
    byKind,
  };
}

/**
 * Whether the diff should fail a CI job.
 * `breaking`: some change breaks clients built against OLD; `any`: any change at all.
 */
export function failsOn(diff: SchemaDiff, mode: "breaking" | "any" | undefined): boolean {
  if (mode === "any") return diff.changes.length > 0;
  if (mode === "breaking") return diff.changes.some((c) => c.forward === "breaking");
  return false;
}

const mark = (c: SchemaChange) =>
  `${c.forward === "breaking" ? "BREAKING" : "safe"}/${c.backward === "breaking" ? "BREAKING" : "safe"}`;

const sides = (diff: SchemaDiff) =>
  `${diff.old.label}${diff.old.version ? ` (${diff.old.version}, ${diff.old.origin})` : ` (${diff.old.origin})`} → ` +
  `${diff.new.label}${diff.new.version ? ` (${diff.new.version}, ${diff.new.origin})` : ` (${diff.new.origin})`}`;

/** Renders a diff in the given format (text and Markdown one change a line, whatever the names hold). */
export function formatDiff(diff: SchemaDiff, format: DiffFormat): string {
  const summary = summarize(diff);
  if (format === "json") return JSON.stringify({ ...diff, summary }, null, 2) + "\n";
  return `${diffLines(diff, format, summary).map(inertText).join("\n")}\n`;
}

/** The lines of the text or Markdown form, each from fields that may hold any character. */
function diffLines(diff: SchemaDiff, format: "text" | "markdown", summary: DiffSummary): string[] {
  const lines: string[] = [];
  if (format === "markdown") {
    lines.push(`# QAPI schema changes: ${sides(diff)}`, "");
    lines.push(
      `${summary.total} changes; ${summary.breakingForward} break clients built against the old schema, ` +
        `${summary.breakingBackward} break clients built against the new one; ${summary.deprecations} deprecations.`,
      "",
    );
    if (diff.changes.length === 0) return [...lines.slice(0, -1), "No client-visible changes."];
    lines.push("| Old client → new server | New client → old server | Where | Change |", "|---|---|---|---|");
    for (const c of diff.changes) {
      const cell = (s: string) => s.replace(/\|/g, "\\|");
      lines.push(
        `| ${c.forward} | ${c.backward} | \`${cell(c.path)}\` | ${cell(c.detail)}${c.type ? ` (type ${cell(c.type)})` : ""} |`,
      );
    }
    return lines;
  }
  lines.push(
    `${sides(diff)}: ${summary.total} changes, ${summary.breakingForward} breaking for old clients, ${summary.breakingBackward} for new clients`,
  );
  lines.push("(verdicts: old-client-on-new-server/new-client-on-old-server)");
  for (const c of diff.changes) {
    lines.push(`${mark(c).padEnd(17)} ${c.path}: ${c.detail}${c.type ? ` [${c.type}]` : ""}`);
  }
  return lines;
}
