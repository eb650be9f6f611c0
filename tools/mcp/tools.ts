/**
 * The MCP server's tools, independent of the MCP library: three that cover
 * the whole schema (`qmp_search` finds commands and events by words,
 * `qmp_describe` gives one's JSON Schema and docs facts, `qmp_execute` runs
 * a command), plus one tool per command for a chosen set (`--tools`), whose
 * input schema is the command's arguments. Why this shape is in the README
 * ("An MCP server for agents").
 *
 * Every call goes through the policy (policy.ts) first, then the validator
 * engine (runtime/validate/) checks the arguments against the server's
 * schema in strict mode; a refusal names the JSON path and nothing is sent.
 * Replies come back as text (exact JSON: 64-bit integers unrounded) and as
 * structured content `{ return: … }` when they hold no integer beyond 2^53.
 *
 * Data flow: server.ts lists `tools()` and routes calls to `call`; the
 * connected client runs what passes.
 */
import type { QmpClient } from "../../runtime/client.js";
import { ExecuteError, QmpError } from "../../runtime/errors.js";
import { stringifyJson } from "../../runtime/json.js";
import type { SdkValidators } from "../../runtime/sdk.js";
import { createValidators } from "../../runtime/validate/index.js";
import {
  descriptionText,
  entryKey,
  jsonSchemaDocument,
  standaloneSchema,
  type JsonSchema,
} from "../../core/json-schema.js";
import type { ConversationRecorder } from "../shell/record.js";
import type { Policy } from "./policy.js";
import type { ServerSchema } from "./server-schema.js";

/** A tool as MCP lists it. */
export interface ToolInfo {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonSchema & { type: "object" };
}

/** A tool's result as MCP returns it. */
export interface ToolResult {
  readonly [key: string]: unknown;
  readonly content: { type: "text"; text: string }[];
  readonly structuredContent?: { [key: string]: unknown };
  readonly isError?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClient = QmpClient<any, any>;

const text = (t: string, isError = false): ToolResult => ({
  content: [{ type: "text", text: t }],
  ...(isError ? { isError } : {}),
});

function holdsBigInt(v: unknown): boolean {
  if (typeof v === "bigint") return true;
  if (Array.isArray(v)) return v.some(holdsBigInt);
  if (typeof v === "object" && v !== null) return Object.values(v).some(holdsBigInt);
  return false;
}

/** Words of a text, lower case, split at anything but letters and digits. */
const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

export class QmpTools {
  private readonly document: JsonSchema;
  private readonly validators: SdkValidators;
  private readonly perCommand: readonly string[];

  constructor(
    private readonly client: AnyClient,
    private readonly schema: ServerSchema,
    private readonly policy: Policy,
    /** Commands (allowed ones) that get a tool of their own. */
    perCommand: (name: string) => boolean,
    private readonly recorder?: ConversationRecorder,
  ) {
    // MCP messages are written with JSON.stringify: the 64-bit bounds become the nearest doubles here
    // (the engine, which checks every call before it is sent, keeps them exact).
    this.document = JSON.parse(stringifyJson(jsonSchemaDocument(schema.wire, schema.facts))) as JsonSchema;
    this.validators = createValidators(schema.wire);
    this.perCommand = policy.allowedCommands().filter(perCommand);
  }

  private describeCommand(name: string): string {
    const c = this.schema.wire.commands.get(name)!;
    return descriptionText(this.schema.facts.command(name), c.features);
  }

  tools(): ToolInfo[] {
    const tools: ToolInfo[] = [
      {
        name: "qmp_search",
        description: `Find ${this.schema.wire.label}'s commands and events by words (name and docs). Returns names with a one-line summary; call qmp_describe for one's arguments.`,
        inputSchema: {
          type: "object",
          properties: {
            query: { type: "string", description: "words, e.g. 'block job status'" },
            limit: { type: "integer", minimum: 1, maximum: 200, description: "at most this many (default 20)" },
          },
          required: ["query"],
          additionalProperties: false,
        },
      },
      {
        name: "qmp_describe",
        description:
          "A command's arguments and return value, or an event's data, as JSON Schema, with docs facts (since, deprecated, unstable) and whether the policy lets it run.",
        inputSchema: {
          type: "object",
          properties: { name: { type: "string", description: "command or event name" } },
          required: ["name"],
          additionalProperties: false,
        },
      },
      {
        name: "qmp_execute",
        description:
          "Run a command. Arguments are checked against the server's schema before anything is sent; a refusal names the JSON path.",
        inputSchema: {
          type: "object",
          properties: {
            command: { type: "string" },
            arguments: { type: "object", description: "the command's arguments (see qmp_describe)" },
          },
          required: ["command"],
          additionalProperties: false,
        },
      },
    ];
    for (const name of this.perCommand) {
      const input = standaloneSchema(this.document, entryKey.arguments(name), true);
      tools.push({
        name,
        description: this.describeCommand(name) || `Run ${name}.`,
        inputSchema: { ...input, type: "object" },
      });
    }
    return tools;
  }

  /** Runs a tool. Unknown tools and bad tool input are errors the agent reads. */
  async call(tool: string, input: Record<string, unknown>): Promise<ToolResult> {
    switch (tool) {
      case "qmp_search":
        return this.search(String(input["query"] ?? ""), typeof input["limit"] === "number" ? input["limit"] : 20);
      case "qmp_describe":
        return this.describe(String(input["name"] ?? ""));
      case "qmp_execute":
        return this.execute(String(input["command"] ?? ""), input["arguments"]);
    }
    if (this.perCommand.includes(tool)) return this.execute(tool, input);
    return text(`no tool '${tool}'`, true);
  }

  private search(query: string, limit: number): ToolResult {
    const wanted = words(query);
    const found: { name: string; kind: string; score: number; summary: string }[] = [];
    const consider = (name: string, kind: string, description: string) => {
      const nameWords = words(name);
      const docWords = new Set(words(description));
      let score = 0;
      for (const w of wanted) {
        if (nameWords.includes(w)) score += 4;
        else if (nameWords.some((n) => n.startsWith(w))) score += 2;
        if (docWords.has(w)) score += 1;
      }
      // The fewer other words a name has, the closer it is to what was asked: query-status before query-colo-status.
      if (score > 0)
        found.push({ name, kind, score: score * 16 - nameWords.length, summary: description.split("\n")[0]! });
    };
    for (const name of this.policy.allowedCommands()) consider(name, "command", this.describeCommand(name));
    for (const e of this.schema.wire.events.values())
      consider(e.name, "event", descriptionText(this.schema.facts.event(e.name), e.features));
    found.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
    const results = found.slice(0, limit).map(({ name, kind, summary }) => ({ name, kind, summary }));
    return { content: [{ type: "text", text: JSON.stringify(results, null, 2) }], structuredContent: { results } };
  }

  private describe(name: string): ToolResult {
    const { wire } = this.schema;
    const command = wire.commands.get(name);
    if (command) {
      const verdict = this.policy.verdict(name);
      const description = {
        name,
        kind: "command",
        since: this.schema.facts.command(name)?.since,
        features: command.features,
        description: this.describeCommand(name),
        allowed: verdict.allowed,
        policy: verdict.reason,
        arguments: standaloneSchema(this.document, entryKey.arguments(name), true),
        returns: standaloneSchema(this.document, entryKey.return(name)),
      };
      return { content: [{ type: "text", text: stringifyJson(description, 2) }], structuredContent: description };
    }
    const event = wire.events.get(name);
    if (event) {
      const description = {
        name,
        kind: "event",
        since: this.schema.facts.event(name)?.since,
        features: event.features,
        data: standaloneSchema(this.document, entryKey.data(name), true),
      };
      return { content: [{ type: "text", text: stringifyJson(description, 2) }], structuredContent: description };
    }
    return text(`${name}: no such command or event (qmp_search finds them)`, true);
  }

  private async execute(name: string, args: unknown): Promise<ToolResult> {
    const verdict = this.policy.verdict(name);
    if (!verdict.allowed) return text(`refused: ${verdict.reason}`, true);
    const value = args === undefined ? {} : args;
    const checked = this.validators.commandArgs(name, value, "strict")!;
    if (checked.errors.length > 0)
      return text(
        `refused before sending, the arguments do not fit ${name}:\n` +
          checked.errors.map((e) => `${e.path}: ${e.message}`).join("\n"),
        true,
      );
    const sent = Object.keys(value as object).length > 0 ? (value as object) : undefined;
    this.recorder?.command(name, sent);
    try {
      const reply: unknown = await this.client.executeWith(name, sent as never);
      this.recorder?.reply(reply);
      const exact = stringifyJson(reply ?? {}, 2);
      return holdsBigInt(reply)
        ? text(exact)
        : { content: [{ type: "text", text: exact }], structuredContent: { return: reply ?? {} } };
    } catch (error) {
      if (error instanceof ExecuteError) {
        this.recorder?.error(error.errorClass, error.desc);
        return text(`${name} failed: ${error.errorClass}: ${error.desc}`, true);
      }
      if (error instanceof QmpError) return text(`${name}: ${error.message}`, true);
      throw error;
    }
  }
}
