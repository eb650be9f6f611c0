/**
 * Opening the shell's QMP session the way the other tools do: `--connect
 * unix:PATH|tcp:HOST:PORT` (with `--qga` for a guest agent, `--qsd` for a
 * storage daemon), or `--launch -- QEMU ARGS` to start QEMU (or the storage
 * daemon) with a monitor of its own (runtime/launch.ts). The client gets the
 * matching SDK's descriptor, so per-command facts such as "no reply" are
 * right; arguments are checked by the shell (the validator engine over its schema), not by
 * the client.
 *
 * Data flow: command-line options → `openSession` → a running client and its
 * kind → schema-source.ts and the REPL; `close` ends it (and a launched QEMU).
 */
import { basename } from "node:path";
import type { Argv } from "yargs";
import type { QmpClient } from "../../runtime/client.js";
import { connectWith } from "../../runtime/connect.js";
import { launchQemu } from "../../runtime/launch.js";
import type { SdkDescriptor } from "../../runtime/sdk.js";
import { UserFacingError } from "../../generator/errors.js";
import { parseMonitorAddress } from "../introspection/introspect.js";
import type { ServerKind } from "./schema-source.js";

/** How to reach the server. */
export interface SessionTarget {
  readonly connect?: string | undefined;
  readonly qga?: boolean | undefined;
  readonly qsd?: boolean | undefined;
  /** `--launch`: the program and its arguments. */
  readonly launch?: readonly string[] | undefined;
  /** Seconds to wait for the server's socket to listen (default 0: one try). */
  readonly wait?: number | undefined;
  /** Seconds to wait for each reply (default: the client's limits by kind of command; Infinity: none). */
  readonly timeout?: number | undefined;
}

/** An open session. */
export interface ShellConnection {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly client: QmpClient<any, any>;
  readonly kind: ServerKind;
  readonly sdk: SdkDescriptor;
  /** What it is connected to, for the banner. */
  readonly description: string;
  close(): Promise<void>;
}

async function sdkFor(kind: ServerKind): Promise<SdkDescriptor> {
  if (kind === "qga") return (await import("../../generated/qga/index.js")).sdk;
  if (kind === "qsd") return (await import("../../generated/qsd/index.js")).sdk;
  return (await import("../../generated/qemu/index.js")).sdk;
}

/**
 * Connects (or launches and connects).
 * `command` names the subcommand in messages.
 * @throws UserFacingError for contradictory options; QmpError subclasses when the server cannot be reached
 */
export async function openSession(target: SessionTarget, command = "shell"): Promise<ShellConnection> {
  if ((target.connect === undefined) === (target.launch === undefined || target.launch.length === 0)) {
    throw new UserFacingError(`qapi-ts ${command}: give one of --connect ADDRESS and --launch -- PROGRAM ARGS…`, 2);
  }
  if (target.qga && target.qsd) throw new UserFacingError(`qapi-ts ${command}: --qga and --qsd exclude each other`, 2);
  // Without --timeout the client's limits by kind of command apply: a silent server never holds a script forever.
  const timeouts = target.timeout === undefined ? {} : { commandTimeout: target.timeout * 1000 };
  if (target.launch && target.launch.length > 0) {
    const [binary, ...args] = target.launch as [string, ...string[]];
    const daemon = target.qsd || basename(binary).includes("storage-daemon");
    if (target.qga)
      throw new UserFacingError(`qapi-ts ${command}: --launch starts QEMU or the storage daemon, not a guest agent`, 2);
    const kind: ServerKind = daemon ? "qsd" : "qemu";
    const sdk = await sdkFor(kind);
    const qemu = await launchQemu({ binary, args, sdk, kind: daemon ? "storage-daemon" : "system", ...timeouts });
    return {
      client: qemu.client,
      kind,
      sdk,
      description: `${binary} (pid ${qemu.process.pid})`,
      close: () => qemu.close(),
    };
  }
  const kind: ServerKind = target.qga ? "qga" : target.qsd ? "qsd" : "qemu";
  const sdk = await sdkFor(kind);
  const address = parseMonitorAddress(target.connect!);
  const client = await connectWith(sdk, { ...address, waitForServer: (target.wait ?? 0) * 1000, ...timeouts });
  return { client, kind, sdk, description: target.connect!, close: () => client.close() };
}

/** The session options as parsed by yargs (`withSessionOptions`). */
export interface SessionArgs {
  connect?: string | undefined;
  qga?: boolean | undefined;
  qsd?: boolean | undefined;
  launch?: boolean | undefined;
  wait?: number | undefined;
  timeout?: number | undefined;
  "--"?: (string | number)[] | undefined;
}

/** Adds the options that say how to reach the server (`shell` and `mcp` share them). */
export function withSessionOptions<T>(y: Argv<T>): Argv<T> {
  return (
    y
      // The words after -- go to QEMU verbatim: `1e3` and `0x10` must not become 1000 and 16.
      .parserConfiguration({ "populate--": true, "parse-positional-numbers": false })
      .option("connect", { type: "string", describe: "monitor address: unix:PATH or tcp:HOST:PORT" })
      .option("qga", { type: "boolean", describe: "the address is a guest agent (qemu-ga)" })
      .option("qsd", { type: "boolean", describe: "the server is qemu-storage-daemon" })
      .option("launch", {
        type: "boolean",
        describe: "start the program after -- with a QMP monitor, and stop it at the end",
      })
      .option("wait", {
        type: "number",
        describe: "seconds to wait for the monitor socket to accept connections",
      })
      .option("timeout", {
        type: "number",
        describe: "seconds to wait for each reply (default: 10 for queries, 60 for commands, 600 for long ones)",
      }) as unknown as Argv<T>
  );
}

/**
 * The target the parsed options name.
 * @throws UserFacingError when --launch has no program after --
 */
export function sessionTarget(argv: SessionArgs, command: string): SessionTarget {
  const launch = argv.launch ? (argv["--"] ?? []).map(String) : undefined;
  if (launch && launch.length === 0)
    throw new UserFacingError(
      `qapi-ts ${command}: --launch needs the program after --, e.g. --launch -- qemu-system-x86_64 -S`,
      2,
    );
  return { connect: argv.connect, qga: argv.qga, qsd: argv.qsd, launch, wait: argv.wait, timeout: argv.timeout };
}
