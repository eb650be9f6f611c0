/**
 * A minimal Language Server Protocol client for tests: starts TypeScript's
 * own language server (`tsc --lsp --stdio` of the typescript package in
 * node_modules, the server editors talk to), opens files and asks for hovers
 * and completions, so tests see what a user's editor shows. JSON-RPC framing
 * (`Content-Length` headers) is done here; nothing is faked.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** A running language server for one project root. */
export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.child = child;
    child.stdout.on("data", (chunk: Buffer) => this.onData(chunk));
    child.on("exit", (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`language server exited (${code})`));
      this.pending.clear();
    });
  }

  /** Starts the server for `root` and completes the `initialize` handshake. */
  static async start(root: string): Promise<LspClient> {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const client = new LspClient(spawn(process.execPath, [tsc, "--lsp", "--stdio"], { cwd: root, stdio: "pipe" }));
    await client.request("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      capabilities: {
        textDocument: {
          hover: { contentFormat: ["markdown", "plaintext"] },
          completion: { completionItem: { documentationFormat: ["markdown"] } },
        },
      },
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: "root" }],
    });
    client.notify("initialized", {});
    return client;
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString("ascii"))?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8");
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      const message = JSON.parse(body) as {
        id?: number;
        method?: string;
        result?: unknown;
        error?: { message: string };
      };
      if (message.method !== undefined && message.id !== undefined) {
        // A request from the server (configuration, progress): answer with nothing.
        this.send({ jsonrpc: "2.0", id: message.id, result: null });
      } else if (message.id !== undefined) {
        const p = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) p?.reject(new Error(message.error.message));
        else p?.resolve(message.result);
      }
    }
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  /** Sends a request and waits for its result. */
  request(method: string, params?: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send(params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params });
    });
  }

  /** Sends a notification. */
  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** Opens a file from disk, or with `text` as its content (a file that need not exist, as an editor's unsaved buffer). */
  open(file: string, text: string = readFileSync(file, "utf8")): void {
    this.notify("textDocument/didOpen", {
      textDocument: { uri: pathToFileURL(file).href, languageId: "typescript", version: 1, text },
    });
  }

  /** The errors and warnings the server reports for an open file (pull diagnostics). */
  async diagnostics(file: string): Promise<{ line: number; code: string; message: string }[]> {
    const result = (await this.request("textDocument/diagnostic", {
      textDocument: { uri: pathToFileURL(file).href },
    })) as { items?: { range: { start: { line: number } }; code?: string | number; message: string }[] } | null;
    return (result?.items ?? []).map((d) => ({
      line: d.range.start.line,
      code: String(d.code ?? ""),
      message: d.message,
    }));
  }

  /** The hover text at a 0-based line and character, "" when none. */
  async hover(file: string, line: number, character: number): Promise<string> {
    const result = (await this.request("textDocument/hover", {
      textDocument: { uri: pathToFileURL(file).href },
      position: { line, character },
    })) as {
      contents?: { value?: string } | string | { value?: string }[];
    } | null;
    const c = result?.contents;
    if (c === undefined) return "";
    if (typeof c === "string") return c;
    if (Array.isArray(c)) return c.map((x) => x.value ?? "").join("\n");
    return c.value ?? "";
  }

  /** Completion items at a position, each with its resolved documentation. */
  async completions(
    file: string,
    line: number,
    character: number,
  ): Promise<{ label: string; detail: string; documentation: string }[]> {
    const result = (await this.request("textDocument/completion", {
      textDocument: { uri: pathToFileURL(file).href },
      position: { line, character },
    })) as { items?: CompletionItem[] } | CompletionItem[] | null;
    const items = Array.isArray(result) ? result : (result?.items ?? []);
    return items.map((i) => ({ label: i.label, detail: i.detail ?? "", documentation: docText(i.documentation) }));
  }

  /** Resolves one completion item's details and documentation. */
  async resolveCompletion(
    file: string,
    line: number,
    character: number,
    label: string,
  ): Promise<{ detail: string; documentation: string }> {
    const result = (await this.request("textDocument/completion", {
      textDocument: { uri: pathToFileURL(file).href },
      position: { line, character },
    })) as { items?: CompletionItem[] } | CompletionItem[] | null;
    const items = Array.isArray(result) ? result : (result?.items ?? []);
    const item = items.find((i) => i.label === label);
    if (!item) return { detail: "", documentation: "" };
    const resolved = (await this.request("completionItem/resolve", item)) as CompletionItem;
    return { detail: resolved.detail ?? "", documentation: docText(resolved.documentation) };
  }

  /** Shuts the server down. */
  async stop(): Promise<void> {
    try {
      await Promise.race([this.request("shutdown").catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
      this.send({ jsonrpc: "2.0", method: "exit" });
    } finally {
      setTimeout(() => this.child.kill(), 500).unref();
    }
  }
}

interface CompletionItem {
  label: string;
  detail?: string;
  documentation?: string | { value: string };
}

function docText(d: CompletionItem["documentation"]): string {
  return d === undefined ? "" : typeof d === "string" ? d : d.value;
}
