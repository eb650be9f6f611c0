/**
 * `help`, `help COMMAND [TAG=VALUE]` and `help EVENT`: what the schema says
 * about a command or event — its arguments (or data) with their types and
 * whether they are required, a union's tag and the members of the branch
 * asked for, the return type, and facts: since when (from the source docs),
 * deprecated or unstable (its features). With a source schema's docs, the
 * description and each argument's text too.
 *
 * Data flow: ShellSchema (schema-source.ts) → `renderHelp` → text the REPL prints.
 */
import type { WireMember, WireObject, WireSchema } from "../../core/schema.js";
import { shellWords } from "./completion.js";
import { branchMembers } from "../../core/walk.js";
import { describeType } from "./schema-walk.js";
import type { DefinitionDocs } from "./source-docs.js";
import type { ShellSchema } from "./schema-source.js";

const shellHelp: Readonly<Record<(typeof shellWords)[number], string>> = {
  help: "help [COMMAND|EVENT] [TAG=VALUE]   what the schema says about a command or event",
  events: "events [NAME…|all|none]            which events to print as they arrive (no argument: show the filter)",
  hmp: "hmp COMMAND LINE…                  run a human monitor command (human-monitor-command)",
  watch:
    "watch job ID | watch migration     follow a running job (until it ends or is ready) or migration, progress on one line",
  exit: "exit                               leave the shell (also Ctrl-D); QEMU's own 'quit' stops QEMU",
};

// Doc text keeps the schema file's continuation indentation; each line is re-indented here.
const indent = (text: string, by: string) =>
  text
    .split("\n")
    .map((l) => (l.trim() === "" ? "" : by + l.trim()))
    .join("\n");

function factsLine(kind: string, features: readonly string[], docs: DefinitionDocs | undefined): string {
  const facts = [kind];
  if (docs?.since) facts.push(`since ${docs.since}`);
  if (features.includes("deprecated")) facts.push("deprecated");
  if (features.includes("unstable")) facts.push("unstable");
  const others = features.filter((f) => f !== "deprecated" && f !== "unstable");
  if (others.length > 0) facts.push(`features: ${others.join(", ")}`);
  return facts.join(", ");
}

function memberLines(
  schema: WireSchema,
  members: readonly WireMember[],
  docs: DefinitionDocs | undefined,
  tag?: string,
  branch?: string,
): string[] {
  const width = Math.min(28, Math.max(0, ...members.map((m) => m.name.length)));
  const lines: string[] = [];
  for (const m of members) {
    const notes = [m.optional ? "optional" : "required", ...(m.name === tag ? ["union tag"] : []), ...m.features];
    lines.push(`    ${m.name.padEnd(width)}  ${describeType(schema, m.type)}  (${notes.join(", ")})`);
    const text = docs?.member(m.name, branch);
    if (text) lines.push(indent(text, "        "));
  }
  return lines;
}

function argumentLines(
  schema: WireSchema,
  object: WireObject | undefined,
  what: string,
  docs: DefinitionDocs | undefined,
  tagValue?: string,
): string[] {
  if (!object) return [`  ${what}: (not described by the schema)`];
  const members = branchMembers(schema, object, tagValue);
  if (members.length === 0 && object.variants.length === 0) return [`  ${what}: none`];
  const lines = [`  ${what}:`, ...memberLines(schema, members, docs, object.tag, tagValue)];
  if (object.tag !== undefined) {
    const cases = object.variants.map((v) => v.case);
    if (tagValue === undefined || !cases.includes(tagValue)) {
      lines.push(`  the members of each branch: help … ${object.tag}=VALUE, one of ${cases.join(", ")}`);
    }
  }
  return lines;
}

/** `returns: TYPE`, and the members of the object (or of a list's element objects) returned. */
function returnLines(schema: WireSchema, typeName: string): string[] {
  const type = schema.types.get(typeName);
  const element = type?.meta === "array" ? schema.types.get(type.element) : type;
  const head = `  returns: ${describeType(schema, typeName)}`;
  if (element?.meta !== "object") return [head];
  if (element.members.length === 0) return [`  returns: ${type?.meta === "array" ? "[{}]" : "{}"}`];
  return [
    `${head}${type?.meta === "array" ? ", each with" : ", with"}:`,
    ...memberLines(schema, element.members, undefined, element.tag),
  ];
}

/** Only the facts of a definition's docs (since when), for `--no-docs`. */
function factsOnly(docs: DefinitionDocs | undefined): DefinitionDocs | undefined {
  return docs && { since: docs.since, body: "", returns: "", errors: "", features: [], member: () => "" };
}

/**
 * The help text for `help WORDS…`.
 * @returns the text, or an error line when the name is unknown
 */
export function renderHelp(shell: ShellSchema, words: readonly string[]): { text: string; ok: boolean } {
  const schema = shell.wire;
  const [name, ...rest] = words;
  if (name === undefined) {
    const lines = [
      `Commands of the server: ${schema.commands.size} (Tab completes names, arguments and values; schema: ${shell.origin}).`,
      `Type COMMAND key=value key.sub=value list.0=value …, or COMMAND {JSON}, or a QMP command object {"execute": …}.`,
      "The shell's own commands:",
      ...shellWords.map((w) => "  " + shellHelp[w]),
    ];
    return { text: lines.join("\n"), ok: true };
  }
  if (Object.hasOwn(shellHelp, name)) return { text: shellHelp[name as keyof typeof shellHelp], ok: true };
  const command = schema.commands.get(name);
  if (command) {
    const docs = shell.docText ? shell.docs()?.command(name) : factsOnly(shell.docs()?.command(name));
    const args = schema.types.get(command.argType);
    const tagWord = rest.find((w) => w.includes("="));
    const tagValue = tagWord?.slice(tagWord.indexOf("=") + 1);
    const lines = [
      `${name} — ${factsLine("command", command.features, docs)}${command.allowOob ? ", may run out-of-band" : ""}`,
    ];
    if (docs?.body) lines.push(indent(docs.body, "  "), "");
    lines.push(...argumentLines(schema, args?.meta === "object" ? args : undefined, "arguments", docs, tagValue));
    if (command.retType !== "") lines.push(...returnLines(schema, command.retType));
    if (docs?.returns) lines.push(indent(docs.returns, "    "));
    if (docs?.errors) lines.push("  errors:", indent(docs.errors, "    "));
    for (const [feature, text] of docs?.features ?? []) lines.push(`  feature ${feature}:`, indent(text, "    "));
    return { text: lines.join("\n"), ok: true };
  }
  const event = schema.events.get(name);
  if (event) {
    const docs = shell.docText ? shell.docs()?.event(name) : factsOnly(shell.docs()?.event(name));
    const data = schema.types.get(event.argType);
    const lines = [`${name} — ${factsLine("event", event.features, docs)}`];
    if (docs?.body) lines.push(indent(docs.body, "  "), "");
    lines.push(...argumentLines(schema, data?.meta === "object" ? data : undefined, "data", docs));
    return { text: lines.join("\n"), ok: true };
  }
  return { text: `help: no command or event '${name}' in the server's schema`, ok: false };
}
