/**
 * Reading a running QEMU's schema: `query-version` and `query-qmp-schema`
 * over QMP, as an introspection file (introspection-file.ts). Either connects
 * to a monitor that is already listening, or starts a QEMU binary just for
 * this (`-machine none` for system emulators, nothing extra for the storage
 * daemon) and stops it afterwards. Uses the project's own runtime client.
 * The `introspect` CLI command (tools/cli/introspect.ts) writes the
 * result; tests use it to record fixtures.
 */
import { basename } from "node:path";
import { connect, launchQemu, type QmpClient } from "../../runtime/index.js";
import { UserFacingError } from "../../generator/errors.js";
import type { IntrospectionFile, SchemaInfo } from "../../core/introspection-file.js";

/**
 * Parses a `--connect` address: `unix:PATH`, `tcp:HOST:PORT`, or a bare path.
 * @throws UserFacingError for anything else
 */
export function parseMonitorAddress(address: string): { path: string } | { host: string; port: number } {
  if (address.startsWith("unix:")) return { path: address.slice(5) };
  const tcp = /^tcp:(.+):(\d+)$/.exec(address);
  if (tcp) return { host: tcp[1]!.replace(/^\[(.*)\]$/, "$1"), port: Number(tcp[2]) };
  if (address.startsWith("/") || address.startsWith(".")) return { path: address };
  throw new UserFacingError(`${address}: expected unix:PATH or tcp:HOST:PORT`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function read(client: QmpClient<any, any>): Promise<IntrospectionFile> {
  const version = (await client.execute("query-version")) as IntrospectionFile["version"];
  const schema = (await client.execute("query-qmp-schema")) as SchemaInfo[];
  return { version, schema };
}

/**
 * Introspects the QMP monitor at `address`.
 * @throws QmpError subclasses from the runtime when the monitor cannot be reached or answers badly
 */
export async function introspectMonitor(address: string, timeoutMs = 30_000): Promise<IntrospectionFile> {
  // A monitor that goes silent after negotiating must not hold the tool forever.
  const client = await connect({
    ...parseMonitorAddress(address),
    handshakeTimeout: timeoutMs,
    commandTimeout: timeoutMs,
  });
  try {
    return await read(client);
  } finally {
    await client.close();
  }
}

/** True when the binary is a qemu-storage-daemon (which takes --chardev/--monitor and has no machine). */
export function isStorageDaemon(binary: string): boolean {
  return basename(binary).includes("storage-daemon");
}

/**
 * Starts `binary` with a QMP monitor, introspects it and stops it again.
 * System emulators get `-machine none -nodefaults -display none` before `extraArgs`.
 * @throws QmpError subclasses (ConnectionError with QEMU's stderr when it fails to start)
 */
export async function introspectBinary(binary: string, extraArgs: readonly string[] = []): Promise<IntrospectionFile> {
  const daemon = isStorageDaemon(binary);
  const args = daemon ? [...extraArgs] : ["-machine", "none", "-nodefaults", "-display", "none", ...extraArgs];
  const qemu = await launchQemu({ binary, args, kind: daemon ? "storage-daemon" : "system", commandTimeout: 30_000 });
  try {
    return await read(qemu.client);
  } finally {
    await qemu.close();
  }
}
