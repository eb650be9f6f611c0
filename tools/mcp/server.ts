/**
 * The MCP side of `qapi-ts mcp`: the official SDK (`@modelcontextprotocol/sdk`,
 * an optional peer dependency loaded here only) serving the tools of
 * tools.ts and the recent events of events.ts, over standard input and
 * output or over streamable HTTP on a loopback address (one MCP session per
 * client; all share the one QMP connection).
 *
 * Events reach the agent twice: as a log notification (`notifications/message`,
 * logger `qemu-event`, the event as data) and, for clients subscribed to
 * `qapi-ts://events/recent`, as `notifications/resources/updated`.
 *
 * Data flow: command.ts → `serveStdio` / `serveHttp` → the SDK's transports.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { stringifyJson } from "../../runtime/json.js";
import type { QmpEventMessage } from "../../runtime/messages.js";
import { UserFacingError } from "../../generator/errors.js";
import { type EventLog, recentEventsUri } from "./events.js";
import type { QmpTools } from "./tools.js";

type Sdk = {
  server: typeof import("@modelcontextprotocol/sdk/server/index.js");
  types: typeof import("@modelcontextprotocol/sdk/types.js");
};

/** The MCP SDK, or a message saying how to install it. */
async function loadSdk(): Promise<Sdk> {
  try {
    return {
      server: await import("@modelcontextprotocol/sdk/server/index.js"),
      types: await import("@modelcontextprotocol/sdk/types.js"),
    };
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_MODULE_NOT_FOUND")
      throw new UserFacingError(
        "qapi-ts mcp needs the MCP SDK, an optional peer dependency: npm install @modelcontextprotocol/sdk",
      );
    throw error;
  }
}

/** What one MCP session serves. */
export interface McpContent {
  readonly tools: QmpTools;
  readonly events: EventLog;
  /** Told to the agent at initialisation. */
  readonly instructions: string;
  readonly version: string;
}

type McpServer = InstanceType<Sdk["server"]["Server"]>;

/** One MCP server (one session), with its handlers; `detach` stops its event forwarding. */
function mcpServer(sdk: Sdk, content: McpContent): { server: McpServer; detach: () => void } {
  const { Server } = sdk.server;
  const t = sdk.types;
  const server = new Server(
    { name: "qapi-ts", version: content.version },
    {
      capabilities: { tools: {}, resources: { subscribe: true }, logging: {} },
      instructions: content.instructions,
    },
  );
  const subscribed = new Set<string>();
  server.setRequestHandler(t.ListToolsRequestSchema, () => ({ tools: content.tools.tools() }));
  server.setRequestHandler(t.CallToolRequestSchema, async (request) =>
    content.tools.call(request.params.name, (request.params.arguments ?? {}) as Record<string, unknown>),
  );
  server.setRequestHandler(t.ListResourcesRequestSchema, () => ({
    resources: [
      {
        uri: recentEventsUri,
        name: "recent-events",
        description: `The server's last ${content.events.capacity} events, oldest first`,
        mimeType: "application/json",
      },
    ],
  }));
  server.setRequestHandler(t.ReadResourceRequestSchema, (request) => {
    if (request.params.uri !== recentEventsUri)
      throw new t.McpError(t.ErrorCode.InvalidParams, `no resource ${request.params.uri}`);
    return {
      contents: [{ uri: recentEventsUri, mimeType: "application/json", text: stringifyJson(content.events.list(), 2) }],
    };
  });
  server.setRequestHandler(t.SubscribeRequestSchema, (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.setRequestHandler(t.UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  const forward = (event: QmpEventMessage) => {
    // The SDK writes notifications with JSON.stringify, which refuses bigint: an integer past 2^53
    // goes as its exact decimal string (the resource's text keeps it a number).
    const data = JSON.parse(
      JSON.stringify({ event: event.event, data: event.data ?? {}, timestamp: event.timestamp }, (_k, v: unknown) =>
        typeof v === "bigint" ? v.toString() : v,
      ),
    ) as Record<string, unknown>;
    server.sendLoggingMessage({ level: "info", logger: "qemu-event", data }).catch(() => {});
    if (subscribed.has(recentEventsUri)) server.sendResourceUpdated({ uri: recentEventsUri }).catch(() => {});
  };
  return { server, detach: content.events.listen(forward) };
}

/** Serves one MCP session on standard input and output until the MCP client goes away or `qmpClosed` settles. */
export async function serveStdio(content: McpContent, qmpClosed: Promise<unknown>): Promise<void> {
  const sdk = await loadSdk();
  const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
  const { server, detach } = mcpServer(sdk, content);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (server.onclose = resolve));
  process.stdin.on("end", () => void server.close());
  // QEMU gone: nothing left to serve.
  void qmpClosed.then(() => server.close());
  await server.connect(transport);
  await closed;
  detach();
}

/** A running HTTP endpoint. */
export interface HttpEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  return body === "" ? undefined : JSON.parse(body);
}

/**
 * Serves MCP over streamable HTTP at `http://HOST:PORT/mcp`; HOST must be a
 * loopback address (the endpoint has no authentication), and requests must
 * name it (or localhost) in their Host header.
 * @throws UserFacingError for another host
 */
export async function serveHttp(content: McpContent, host: string, port: number): Promise<HttpEndpoint> {
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host))
    throw new UserFacingError(`qapi-ts mcp: --host ${host}: only a loopback address (127.0.0.1, ::1, localhost)`, 2);
  const sdk = await loadSdk();
  const { StreamableHTTPServerTransport } = await import("@modelcontextprotocol/sdk/server/streamableHttp.js");
  type Transport = InstanceType<typeof StreamableHTTPServerTransport>;
  const sessions = new Map<string, Transport>();
  let allowedHosts: string[] = [];
  const http: HttpServer = createServer((request, response) => {
    void (async () => {
      // A web page must not reach the endpoint through a name that resolves to loopback (DNS rebinding).
      if (!allowedHosts.includes(request.headers.host ?? "")) {
        response.writeHead(403).end("forbidden host\n");
        return;
      }
      if (!request.url?.startsWith("/mcp")) {
        response.writeHead(404).end();
        return;
      }
      try {
        const body = request.method === "POST" ? await readBody(request) : undefined;
        const id = request.headers["mcp-session-id"];
        let transport = typeof id === "string" ? sessions.get(id) : undefined;
        if (!transport) {
          if (typeof id === "string" || !sdk.types.isInitializeRequest(body)) {
            response
              .writeHead(400, { "content-type": "application/json" })
              .end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "no such session" }, id: null }));
            return;
          }
          const { server, detach } = mcpServer(sdk, content);
          const created: Transport = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            onsessioninitialized: (sessionId) => void sessions.set(sessionId, created),
          });
          created.onclose = () => {
            if (created.sessionId) sessions.delete(created.sessionId);
            detach();
          };
          await server.connect(created);
          transport = created;
        }
        await transport.handleRequest(request, response, body);
      } catch (error) {
        if (!response.headersSent) response.writeHead(400).end(String((error as Error).message));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, host, resolve);
  });
  const address = http.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  allowedHosts = [shown, "localhost", host].map((name) => `${name}:${address.port}`);
  return {
    url: `http://${shown}:${address.port}/mcp`,
    close: async () => {
      for (const transport of sessions.values()) await transport.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
