/**
 * Benchmark of `validate-log`'s reading and reply matching
 * (runtime/conversation-log.ts, tools/validate-log/pending.ts): 100 000 `get-count` commands with ids, then
 * their replies in reverse order, against the same log with the replies in
 * order, as the baseline measured in the same run. Matching is constant-time
 * per reply, so the goal is a ratio near 1 (reverse order no slower than half
 * the in-order speed); a search per reply made it about 13× slower.
 * On the kitchen-sink golden validators; the logs go to a temporary directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLogFile } from "../runtime/conversation-log.js";
import { checkConversation } from "../tools/validate-log/check.js";
import { validators } from "../test/golden/kitchen-sink/wire.js";
import { measure } from "./lib/measure.js";
import { printRatioTable } from "./lib/ratio-table.js";

const count = 100_000;
const dir = mkdtempSync(join(tmpdir(), "qapi-ts-bench-log-"));
try {
  const commands = Array.from({ length: count }, (_, i) => `{"execute": "get-count", "id": ${i}}`);
  const reply = (i: number) => `{"return": ${i}, "id": ${i}}`;
  const inOrder = join(dir, "in-order.jsonl");
  const reverse = join(dir, "reverse.jsonl");
  writeFileSync(inOrder, [...commands, ...commands.map((_, i) => reply(i))].join("\n"));
  writeFileSync(reverse, [...commands, ...commands.map((_, i) => reply(count - 1 - i))].join("\n"));
  const run = (file: string) => () => {
    const report = checkConversation(readLogFile(file), validators, "strict", () => true);
    if (report.findings.length > 0 || report.unanswered > 0) throw new Error(`${file}: unexpected findings`);
  };
  const ours = await measure("replies in reverse order", run(reverse), { runs: 3 });
  const baseline = await measure("replies in order", run(inOrder), { runs: 3 });
  printRatioTable(`validate-log, ${count} commands and replies (a ratio ≥0.5× is linear)`, [
    { workload: `${count} replies, reverse vs in order`, ours, baseline, goal: 0.5 },
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
