/**
 * Helpers for the runtime tests that run Debian's QEMU programs: temporary
 * directories, free TCP ports, X.509 test certificates made with openssl, and
 * child processes that are always killed when the test file ends.
 *
 * Data flow: test/runtime/*.test.ts → these helpers → real QEMU processes.
 */
import { spawn, execFileSync, type ChildProcess, type SpawnOptions } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { waitUntilListening } from "../support/monitor-ready.js";

export const qemuSystem = "/usr/bin/qemu-system-x86_64";
export const qemuStorageDaemon = "/usr/bin/qemu-storage-daemon";
export const qemuGa = "/usr/sbin/qemu-ga";
export const qemuImg = "/usr/bin/qemu-img";

/** The smallest qemu-system-x86_64 set-up: no machine, no devices, no display. */
export const bareMachineArgs = ["-machine", "none", "-nodefaults", "-display", "none", "-accel", "tcg"];

/** What qemu-ga must never do here: it runs on the test machine itself, not in a guest. */
const agentBlocked = ["guest-shutdown", "guest-suspend-disk", "guest-suspend-ram", "guest-suspend-hybrid"];

/**
 * Starts qemu-ga listening on a unix socket in a fresh temporary directory (its state directory
 * too, so no root-only path is touched), with shutdown and suspend disabled, plus `blocked`.
 * Resolves once it accepts connections.
 */
export async function startGuestAgent(blocked: readonly string[] = []): Promise<{ path: string; child: ChildProcess }> {
  const dir = makeTempDir();
  const path = join(dir, "qga.sock");
  const child = startProcess(qemuGa, [
    "-m",
    "unix-listen",
    "-p",
    path,
    "-t",
    dir,
    "-b",
    [...agentBlocked, ...blocked].join(","),
  ]);
  await waitForPath(path, child);
  // The socket file appears before qemu-ga listens on it.
  await waitUntilListening(path, () => child.exitCode === null);
  return { path, child };
}

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

/** A fresh temporary directory, removed by `cleanupAll`. */
export function makeTempDir(prefix = "qapi-ts-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

/** Starts a program and remembers it so `cleanupAll` kills it. Standard error is kept for messages. */
export function startProcess(
  binary: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildProcess & { stderrText: () => string } {
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"], ...options }) as ChildProcess & {
    stderrText: () => string;
  };
  let text = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => (text = (text + chunk).slice(-4096)));
  child.stderrText = () => text;
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Resolves when the child has exited (at once if it already has). */
export function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Kills every process started here and removes every temporary directory. Call from `after`. */
export async function cleanupAll(): Promise<void> {
  const running = [...children];
  for (const child of running) child.kill("SIGKILL");
  await Promise.all(running.map(exitOf));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

/** Waits until `path` exists (a unix socket QEMU creates), or the child exits, or the safety limit passes. */
export async function waitForPath(
  path: string,
  child: ChildProcess & { stderrText?: () => string },
  limitMs = 20_000,
): Promise<void> {
  const start = Date.now();
  while (!existsSync(path)) {
    if (child.exitCode !== null) throw new Error(`process exited before creating ${path}: ${child.stderrText?.()}`);
    if (Date.now() - start > limitMs) throw new Error(`${path} did not appear: ${child.stderrText?.()}`);
    await sleep(10);
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Tries to connect until QEMU listens (TCP), within a safety limit. */
export async function retry<T>(
  attempt: () => Promise<T>,
  child: ChildProcess & { stderrText?: () => string },
  limitMs = 20_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (child.exitCode !== null) throw new Error(`process exited: ${child.stderrText?.()}`, { cause: error });
      if (Date.now() - start > limitMs) throw error;
      await sleep(20);
    }
  }
}

/** Files of a test PKI in QEMU's `tls-creds-x509` layout plus a client certificate. */
export interface TestPki {
  dir: string;
  ca: string;
  clientCert: string;
  clientKey: string;
}

/** Makes a CA, a server certificate for 127.0.0.1 and a client certificate with openssl. */
export function makeTestPki(): TestPki {
  const dir = makeTempDir("qapi-ts-pki-");
  // Elliptic-curve keys: made in milliseconds, and accepted by both GnuTLS (QEMU) and OpenSSL (Node).
  const keyArgs = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run(
    "req",
    "-x509",
    ...keyArgs,
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=qapi-ts test CA",
    "-keyout",
    "ca-key.pem",
    "-out",
    "ca-cert.pem",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  for (const [name, cn, ext] of [
    [
      "server",
      "127.0.0.1",
      "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment",
    ],
    ["client", "qapi-ts client", "extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment"],
  ] as const) {
    run("req", ...keyArgs, "-nodes", "-subj", `/CN=${cn}`, "-keyout", `${name}-key.pem`, "-out", `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), ext + "\n");
    run(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca-cert.pem",
      "-CAkey",
      "ca-key.pem",
      "-CAcreateserial",
      "-days",
      "2",
      "-out",
      `${name}-cert.pem`,
      "-extfile",
      `${name}.ext`,
    );
  }
  return {
    dir,
    ca: join(dir, "ca-cert.pem"),
    clientCert: join(dir, "client-cert.pem"),
    clientKey: join(dir, "client-key.pem"),
  };
}
