/**
 * What a user's editor shows for the generated SDK, asked of TypeScript's own
 * language server (`tsc --lsp --stdio` from node_modules, through
 * test/support/lsp-client.ts) on test/editor/hover-probe.ts: hovers name the
 * resolved types (`Promise<BlockInfo[]>`, not `CommandMap["query-block"]
 * ["returns"]`) for the command functions and for `execute`, the functions
 * carry their command's doc pointer, and `execute("…")` completes every
 * command name, and a misspelled name's error names the close commands (the
 * server's diagnostics for an unsaved buffer beside the probe). Members'
 * facts (with the release each first appeared in, from the version history)
 * are checked on the generated text itself.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { LspClient } from "../support/lsp-client.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const probe = join(repoRoot, "test", "editor", "hover-probe.ts");
const lines = readFileSync(probe, "utf8").split("\n");

/** The position just after the `/*@name*\/` marker (0-based line, character). */
function at(marker: string): [number, number] {
  const tag = `/*@${marker}*/`;
  for (let i = 0; i < lines.length; i++) {
    const j = lines[i]!.indexOf(tag);
    if (j >= 0) return [i, j + tag.length + 1];
  }
  throw new Error(`no marker ${tag} in ${probe}`);
}

let server: LspClient;
before(async () => {
  server = await LspClient.start(repoRoot);
  server.open(probe);
});
after(async () => {
  await server.stop();
});

const hover = (marker: string) => server.hover(probe, ...at(marker));

test("a command function's hover shows the resolved argument and return types and its doc", async () => {
  const text = await hover("queryBlock");
  assert.match(text, /function queryBlock<CommandMap>\(client: QmpClient<CommandMap, any>\): Promise<BlockInfo\[\]>/);
  assert.doesNotMatch(text, /CommandMap\[/);
  assert.match(text, /Runs `query-block`/);
  const add = await hover("blockdevAdd");
  assert.match(
    add,
    /function blockdevAdd<CommandMap>\(client: QmpClient<CommandMap, any>, args: BlockdevOptions\): Promise<Record<string, never>>/,
  );
});

test('results of a function call and of execute("…") hover as the resolved type', async () => {
  assert.match(await hover("blocks"), /const blocks: BlockInfo\[\]/);
  assert.match(await hover("viaExecute"), /const viaExecute: BlockInfo\[\]/);
  assert.match(await hover("execute"), /execute<"query-block">\(name: "query-block"\): Promise<BlockInfo\[\]>/);
});

test("a command's doc shows where a string names its CommandMap entry", async () => {
  const text = await hover("mapEntry");
  assert.match(text, /\(property\) "query-block": \{\s+args: undefined;\s+returns: BlockInfo\[\];\s+\}/);
  assert.match(text, /@since\* — 0\.14/);
});

test('execute("…") completes the command names of the SDK', async () => {
  const [line, character] = at("commandName");
  const items = await server.completions(probe, line, character + 1);
  const labels = new Set(items.map((i) => i.label));
  for (const name of ["query-block", "blockdev-add", "query-status", "qmp_capabilities"])
    assert.ok(labels.has(name), name);
});

test("members carry their facts: since, deprecated, conditional", () => {
  const types = readFileSync(join(repoRoot, "generated", "qemu", "types.ts"), "utf8");
  const docOf = (member: string, inInterface: string): string => {
    const start = types.indexOf(`export interface ${inInterface} `);
    const at = types.indexOf(`\n  ${member}`, start);
    assert.ok(start >= 0 && at > start, `${inInterface}.${member}`);
    const docStart = types.lastIndexOf("/**", at);
    return types.slice(docStart, at);
  };
  assert.match(docOf('"latency-ns"?', "BlockdevOptionsNull"), /@since 2\.4/);
  // From the version history (scripts/generate.sh passes it): a member without a "(since …)" note of its own
  // carries its type's version, and one the history has in its first release (4.2) is not claimed to be of it.
  assert.equal(docOf('"lazy-refcounts"?', "BlockdevOptionsQcow2"), "/** @since 2.9 */");
  assert.equal(docOf("host:", "InetSocketAddressBase"), "/** @since 4.2 or earlier */");
  // Deprecated since when, as far as the history's snapshots tell.
  assert.match(
    docOf("base?", "BlockCommitArguments"),
    /@deprecated This member has the QAPI feature 'deprecated' \(since 5\.0\)\./,
  );
  assert.match(types, /\/\*\*[^/]*@deprecated This member has the QAPI feature 'deprecated'[^/]*\*\/\n\s+[\w"-]+\??:/);
  assert.match(types, /Conditional: present only in builds where `[^`]+` holds\./);
});

test('a misspelled name in execute("…") is an error that names the close commands; generic callers still compile', async () => {
  const file = join(repoRoot, "test", "editor", "misspelled-probe.ts");
  const text = [
    'import type { BlockInfo, Client, CommandMap } from "../../generated/qemu/index.js";',
    "export async function probe(c: Client): Promise<BlockInfo[]> {",
    '  await c.execute("query-blok");',
    '  await c.execute("query_status");',
    '  await c.execute("qeury-version");',
    '  await c.execute("no-such-thing-at-all");',
    '  await c.executeWith("blockdev-dell", { "node-name": "n0" });',
    '  return c.execute("query-block");',
    "}",
    'export function run<K extends keyof CommandMap>(c: Client, name: K): Promise<CommandMap[K]["returns"]> {',
    "  return c.executeWith(name, undefined as never);",
    "}",
  ].join("\n");
  server.open(file, text);
  const found = (await server.diagnostics(file)).map((d) => `${d.line + 1}: ${d.message}`);
  assert.deepEqual(found.slice(0, 4), [
    `3: Argument of type '"query-blok"' is not assignable to parameter of type '"query-block"'.`,
    `4: Argument of type '"query_status"' is not assignable to parameter of type '"query-stats" | "query-status"'.`,
    `5: Argument of type '"qeury-version"' is not assignable to parameter of type '"query-version"'.`,
    `6: Argument of type '"no-such-thing-at-all"' is not assignable to parameter of type '"add-fd" | "add_client" | "announce-self" | "balloon" | "block-commit" | "block-dirty-bitmap-add" | "block-dirty-bitmap-clear" | "block-dirty-bitmap-disable" | "block-dirty-bitmap-enable" | ... 234 more ... | "yank"'.`,
  ]);
  assert.deepEqual(found.slice(4), [
    `7: Argument of type '"blockdev-dell"' is not assignable to parameter of type '"blockdev-del"'.`,
  ]);
});
