/**
 * A hand-written SdkDescriptor for two commands and one event, so the mock
 * server's strict checks can be tested without waiting for generated SDKs.
 * Validation here is deliberately minimal: exact member sets and JSON types.
 */
import type { SdkDescriptor, ValidationResult } from "../../runtime/sdk.js";

/** The command map the tiny SDK describes. */
export interface TinyCommands {
  "query-status": { args: undefined; returns: { running: boolean; status: string } };
  stop: { args: undefined; returns: Record<string, never> };
  "set-speed": { args: { speed: number; "node-name"?: string }; returns: Record<string, never> };
}

/** The event map the tiny SDK describes. */
export interface TinyEvents {
  STOP: undefined;
  SPEED: { speed: number };
}

type Shape = Record<string, { type: "number" | "string" | "boolean"; optional?: boolean }>;

function check(shape: Shape, value: unknown, root: string): ValidationResult {
  const errors: { path: string; message: string }[] = [];
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { errors: [{ path: root, message: `expected object, got ${JSON.stringify(value)}` }], notices: [] };
  }
  const record = value as Record<string, unknown>;
  for (const [key, spec] of Object.entries(shape)) {
    if (!(key in record)) {
      if (!spec.optional) errors.push({ path: root, message: `missing member '${key}'` });
    } else if (typeof record[key] !== spec.type) {
      errors.push({ path: `${root}["${key}"]`, message: `expected ${spec.type}, got ${JSON.stringify(record[key])}` });
    }
  }
  for (const key of Object.keys(record)) {
    if (!(key in shape)) errors.push({ path: root, message: `unknown member '${key}'` });
  }
  return { errors, notices: [] };
}

const args: Record<string, Shape> = {
  "query-status": {},
  stop: {},
  "set-speed": { speed: { type: "number" }, "node-name": { type: "string", optional: true } },
};
const returns: Record<string, Shape> = {
  "query-status": { running: { type: "boolean" }, status: { type: "string" } },
  stop: {},
  "set-speed": {},
};
const events: Record<string, Shape> = { STOP: {}, SPEED: { speed: { type: "number" } } };
const meta = { allowOob: false, successResponse: true, allowPreconfig: false, features: [] };

/** The tiny SDK's run-time descriptor. */
export const tinySdk: SdkDescriptor = {
  name: "tiny",
  qemuVersion: "7.2.0",
  commands: { "query-status": meta, stop: meta, "set-speed": { ...meta, allowOob: true } },
  events: { STOP: { features: [] }, SPEED: { features: [] } },
  validators: {
    commandArgs: (c, v, _m, root = "$.arguments") => (args[c] ? check(args[c]!, v, root) : undefined),
    commandReturn: (c, v, _m, root = "$.return") => (returns[c] ? check(returns[c]!, v, root) : undefined),
    event: (e, v, _m, root = "$.data") => (events[e] ? check(events[e]!, v, root) : undefined),
    type: () => undefined,
  },
};
