/**
 * A unified diff of two texts, for golden-file tests: when committed output
 * and fresh output differ, the failure shows the changed lines with context
 * instead of only the first differing offset.
 *
 * Myers' O((N+M)·D) shortest edit script over lines, so a small change in a
 * 50 000-line file stays cheap; past `maxEdits` differences it gives up and
 * says how many lines each side has (a rewrite is not worth printing).
 */

type Edit = { kind: " " | "-" | "+"; line: string };

/** The shortest edit script turning `a` into `b`, or undefined when it needs more than `maxEdits` edits. */
function editScript(a: readonly string[], b: readonly string[], maxEdits: number): Edit[] | undefined {
  const n = a.length;
  const m = b.length;
  const offset = maxEdits + 1;
  const frontier = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxEdits; d++) {
    trace.push(frontier.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && frontier[offset + k - 1]! < frontier[offset + k + 1]!);
      let x = down ? frontier[offset + k + 1]! : frontier[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      frontier[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d, offset);
    }
  }
  return undefined;
}

function backtrack(
  a: readonly string[],
  b: readonly string[],
  trace: Int32Array[],
  last: number,
  offset: number,
): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = last; d > 0; d--) {
    const frontier = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && frontier[offset + k - 1]! < frontier[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = frontier[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) (edits.push({ kind: " ", line: a[--x]! }), y--);
    if (down) edits.push({ kind: "+", line: b[--y]! });
    else edits.push({ kind: "-", line: a[--x]! });
  }
  while (x > 0) (edits.push({ kind: " ", line: a[--x]! }), y--);
  return edits.reverse();
}

/**
 * `want` → `got` as a unified diff (`--- label (committed)` / `+++ label (generated)`)
 * with `context` lines around each change; empty when the texts are equal.
 */
export function unifiedDiff(want: string, got: string, label: string, context = 3, maxEdits = 2000): string {
  if (want === got) return "";
  const a = want.split("\n");
  const b = got.split("\n");
  const edits = editScript(a, b, maxEdits);
  const header = `--- ${label} (committed)\n+++ ${label} (generated)\n`;
  if (!edits)
    return `${header}more than ${maxEdits} lines differ (${a.length} committed lines, ${b.length} generated)\n`;
  const hunks: string[] = [];
  let i = 0;
  let lineA = 1;
  let lineB = 1;
  while (i < edits.length) {
    if (edits[i]!.kind === " ") {
      (i++, lineA++, lineB++);
      continue;
    }
    // A hunk: back up `context` lines, then run until `2·context` unchanged lines in a row.
    const start = Math.max(0, i - context);
    const startA = lineA - (i - start);
    const startB = lineB - (i - start);
    let end = i;
    let quiet = 0;
    while (end < edits.length && quiet <= 2 * context) {
      quiet = edits[end]!.kind === " " ? quiet + 1 : 0;
      end++;
    }
    end = Math.min(edits.length, end - Math.max(0, quiet - context));
    const body = edits.slice(start, end);
    const countA = body.filter((e) => e.kind !== "+").length;
    const countB = body.filter((e) => e.kind !== "-").length;
    hunks.push(`@@ -${startA},${countA} +${startB},${countB} @@\n` + body.map((e) => e.kind + e.line).join("\n"));
    for (let j = i; j < end; j++) {
      if (edits[j]!.kind !== "+") lineA++;
      if (edits[j]!.kind !== "-") lineB++;
    }
    i = end;
  }
  return header + hunks.join("\n") + "\n";
}
