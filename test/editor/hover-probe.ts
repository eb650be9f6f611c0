/**
 * What the editor test (test/editor/hovers.test.ts) hovers over: calls in the
 * styles the README shows, against the committed QEMU SDK. Never run; the
 * test asks TypeScript's language server about positions marked with
 * `/*@name*\/` comments.
 */
import { type Client, blockdevAdd, queryBlock } from "../../generated/qemu/index.js";
import type { BlockInfo, CommandMap } from "../../generated/qemu/index.js";

/** A command's doc where a string names it: its CommandMap entry. */
export type QueryBlockEntry = CommandMap[/*@mapEntry*/ "query-block"];

/** Never called: only hovered over. */
export async function probe(c: Client): Promise<BlockInfo[]> {
  const /*@blocks*/ blocks = await /*@queryBlock*/ queryBlock(c);
  const /*@viaExecute*/ viaExecute = await c./*@execute*/ execute(/*@commandName*/ "query-block");
  await /*@blockdevAdd*/ blockdevAdd(c, { driver: "null-co", "node-name": "n0" });
  await c.execute("blockdev-add", { driver: "null-co", "node-name": "n1" });
  void viaExecute;
  return blocks;
}
