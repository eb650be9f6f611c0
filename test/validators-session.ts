/**
 * Records a real QMP conversation with QEMU for the validator tests.
 *
 * Starts `qemu-system-x86_64` (a paused `pc` machine with a few devices, so the
 * queries have something to report), negotiates, asks for `query-qmp-schema`,
 * runs every `query-*` and `x-query-*` command that needs no arguments, and
 * returns the raw wire texts of both directions in order (some queries get
 * error replies, e.g. KVM-only ones under TCG). validators-real.qemu.test.ts
 * validates the replies; with
 * RECORD_FIXTURES=1 it saves the log as test/fixtures/qmp/qemu-7.2-queries.jsonl,
 * which validators.test.ts, validate-log's tests and bench/validators.bench.ts use.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseJson, stringifyJson } from "../runtime/json.js";
import { JsonTextSplitter } from "../runtime/json-stream.js";
import { waitUntilListening } from "./support/monitor-ready.js";

/** One QMP message: its direction and its exact JSON text. */
export interface WireMessage {
  readonly dir: "out" | "in";
  readonly text: string;
}

/** Commands never run: none so far (every query is read-only); kept for host-dependent trouble. */
const skip = new Set<string>([]);

/** The parts of a `query-qmp-schema` entry used here. */
interface IntrospectedEntity {
  name: string;
  "meta-type": string;
  "arg-type"?: string;
  members?: { name: string; default?: null }[];
}

/** A paused QEMU started by `startPausedQemu`. */
export interface PausedQemu {
  /** The unix socket of its QMP monitor. */
  readonly socketPath: string;
  /** A file whose appearance says start-up is complete (the storage daemon's pidfile), if the program has one. */
  readonly readyFile?: string;
  /** What QEMU wrote to stderr so far. */
  stderr(): string;
  /** True once the process has exited. */
  exited(): boolean;
  /** Kills QEMU if it still runs and removes its temporary directory. */
  stop(): void;
}

/** A paused `pc` machine with a null-co disk on virtio-blk, a null chardev and a memory backend; no monitor. */
export const pausedMachineArgs: readonly string[] = [
  "-machine",
  "pc",
  "-accel",
  "tcg",
  "-S",
  "-nodefaults",
  "-no-user-config",
  "-display",
  "none",
  "-m",
  "64",
  "-blockdev",
  "node-name=disk0,driver=null-co,size=1048576",
  "-device",
  "virtio-blk-pci,drive=disk0,id=vblk0",
  "-chardev",
  "null,id=char0",
  "-object",
  "memory-backend-ram,id=mem1,size=16M",
];

/**
 * Starts qemu-system-x86_64 with a paused `pc` machine, a null-co disk on
 * virtio-blk, a null chardev and a memory backend (or qemu-storage-daemon
 * with a null-co node), listening for QMP on a unix socket in a fresh
 * temporary directory.
 */
export function startPausedQemu(
  program: "qemu-system-x86_64" | "qemu-storage-daemon" = "qemu-system-x86_64",
): PausedQemu {
  const dir = mkdtempSync(join(tmpdir(), "qapi-ts-qmp-"));
  const socketPath = join(dir, "qmp.sock");
  const args =
    program === "qemu-system-x86_64"
      ? [...pausedMachineArgs, "-qmp", `unix:${socketPath},server=on,wait=off`]
      : [
          "--blockdev",
          "driver=null-co,node-name=disk0,size=1048576",
          "--chardev",
          `socket,path=${socketPath},server=on,wait=off,id=mon0`,
          "--monitor",
          "chardev=mon0",
          "--pidfile",
          join(dir, "pid"),
        ];
  const qemu = spawn(program, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  qemu.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return {
    socketPath,
    ...(program === "qemu-storage-daemon" ? { readyFile: join(dir, "pid") } : {}),
    stderr: () => stderr,
    exited: () => qemu.exitCode !== null || qemu.signalCode !== null,
    stop: () => {
      if (qemu.exitCode === null && qemu.signalCode === null) qemu.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until QEMU's monitor accepts connections (and, for the storage
 * daemon, until its start-up is complete: an earlier client was seen to hang).
 * @throws Error when QEMU exits or does not get ready within about 30 s.
 */
export async function waitForMonitor(qemu: PausedQemu): Promise<void> {
  const alive = () => !qemu.exited();
  try {
    if (qemu.readyFile !== undefined) {
      for (let attempt = 0; attempt < 600 && !existsSync(qemu.readyFile); attempt++) {
        if (!alive()) throw new Error("QEMU exited");
        await sleep(50);
      }
    }
    await waitUntilListening(qemu.socketPath, alive);
  } catch (error) {
    throw new Error(`QEMU did not open its monitor (${(error as Error).message}): ${qemu.stderr()}`);
  }
}

/**
 * Runs the session and returns the conversation.
 * @throws Error when QEMU cannot be started or the session breaks.
 */
export async function recordQuerySession(
  program: "qemu-system-x86_64" | "qemu-storage-daemon" = "qemu-system-x86_64",
): Promise<WireMessage[]> {
  const qemu = startPausedQemu(program);
  try {
    await waitForMonitor(qemu);
    const socket = await new Promise<ReturnType<typeof createConnection>>((resolve, reject) => {
      const s = createConnection(qemu.socketPath, () => resolve(s));
      s.once("error", reject);
    });
    const log: WireMessage[] = [];
    const splitter = new JsonTextSplitter();
    const queue: string[] = [];
    let wake: (() => void) | undefined;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      for (const text of splitter.push(chunk)) {
        queue.push(text);
        log.push({ dir: "in", text });
      }
      wake?.();
    });
    const next = async (): Promise<Record<string, unknown>> => {
      while (queue.length === 0) await new Promise<void>((r) => (wake = r));
      return parseJson(queue.shift()!) as Record<string, unknown>;
    };
    /** Sends a command and waits for its reply, skipping events. */
    const call = async (message: Record<string, unknown>): Promise<Record<string, unknown>> => {
      const text = JSON.stringify(message);
      log.push({ dir: "out", text });
      socket.write(text + "\n");
      for (;;) {
        const reply = await next();
        if (!("event" in reply)) return reply;
      }
    };
    await next(); // greeting
    await call({ execute: "qmp_capabilities" });
    // Introspection tells which commands need no arguments.
    const entities = (await call({ execute: "query-qmp-schema", id: "schema" }))["return"] as IntrospectedEntity[];
    const byName = new Map(entities.map((e) => [e.name, e]));
    const queries = entities
      .filter(
        (e) =>
          e["meta-type"] === "command" &&
          /^(x-)?query-/.test(e.name) &&
          !skip.has(e.name) &&
          e.name !== "query-qmp-schema",
      )
      .filter((e) => (byName.get(e["arg-type"] ?? "")?.members ?? []).every((m) => "default" in m))
      .map((e) => e.name)
      .sort();
    let id = 0;
    for (const name of queries) await call({ execute: name, id: ++id });
    await call({ execute: "quit", id: "quit" });
    socket.destroy();
    return log;
  } finally {
    qemu.stop();
  }
}

/** Keys whose string values are QEMU's own sentences: option help, error descriptions, panic text. */
const proseKeys = new Set(["help", "desc", "human-readable-text"]);

/** The placeholder that stands for QEMU's sentences in committed fixtures. */
export const omittedText = "(QEMU's text omitted)";

/**
 * The conversation as JSON Lines, the form of the committed fixtures. QEMU's
 * sentences are replaced by a placeholder: the repository keeps facts from
 * QEMU (names, types, values), not its prose. Shapes and types stay, so the
 * validators see the same structure.
 */
export function toJsonLines(log: readonly WireMessage[]): string {
  return log.map((m) => stringifyJson(withoutProse(parseJson(m.text))) + "\n").join("");
}

function withoutProse(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutProse);
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, member] of Object.entries(value)) {
    copy[key] = proseKeys.has(key) && typeof member === "string" ? omittedText : withoutProse(member);
  }
  return copy;
}
