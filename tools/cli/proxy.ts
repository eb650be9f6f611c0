/**
 * `qapi-ts proxy`: one QMP monitor (or, with `--qga`, guest agent) shared by many local clients. Holds one
 * connection to `--connect` and serves `--listen` (a unix socket, mode 0600)
 * until interrupted or, without `--reconnect`, until the monitor goes away.
 * The work is runtime/proxy.ts `startProxy`; this is argument parsing and
 * the lines it prints to standard error.
 */
import type { CommandModule } from "yargs";
import { QmpError } from "../../runtime/index.js";
import { startProxy } from "../../runtime/proxy.js";
import { UserFacingError } from "../../generator/errors.js";
import { parseMonitorAddress } from "../introspection/introspect.js";

interface ProxyArgs {
  connect: string;
  listen: string;
  qga?: boolean;
  reconnect?: boolean;
  wait?: number;
}

/** The yargs module of `qapi-ts proxy`. */
export const proxyCommand: CommandModule<object, ProxyArgs> = {
  command: "proxy",
  describe: "Share one QMP monitor (or guest agent) between many clients (each with its own greeting, ids and events)",
  builder: (yargs) =>
    yargs
      .option("connect", { type: "string", demandOption: true, describe: "monitor: unix:PATH or tcp:HOST:PORT" })
      .option("listen", { type: "string", demandOption: true, describe: "socket for clients: unix:PATH" })
      .option("qga", { type: "boolean", describe: "the socket is a guest agent's, not a QMP monitor's" })
      .option("reconnect", { type: "boolean", describe: "reconnect when the monitor goes away, and keep serving" })
      .option("wait", { type: "number", describe: "seconds to wait for the monitor to accept connections" })
      .example("$0 proxy --connect unix:/run/vm1.qmp --listen unix:/run/vm1-shared.qmp", "")
      .example("$0 proxy --connect unix:/run/vm1.qmp --listen unix:/run/vm1-shared.qmp --reconnect", "")
      .example(
        "$0 proxy --qga --connect unix:/run/vm1-qga.sock --listen unix:/run/vm1-qga-shared.sock",
        "",
      ) as unknown as import("yargs").Argv<ProxyArgs>,
  handler: async (argv) => {
    const listen = /^unix:(.+)$/.exec(argv.listen);
    if (!listen) throw new UserFacingError(`qapi-ts proxy: --listen ${argv.listen}: expected unix:PATH`, 2);
    const target = parseMonitorAddress(argv.connect);
    let proxy;
    try {
      proxy = await startProxy({
        connect: {
          ...target,
          ...(argv.qga ? { protocol: "qga" as const } : {}),
          ...(argv.reconnect ? { reconnect: true } : {}),
          ...(argv.wait !== undefined ? { waitForServer: argv.wait * 1000 } : {}),
        },
        listen: { path: listen[1]! },
      });
    } catch (error) {
      if (error instanceof QmpError) throw new UserFacingError(`qapi-ts proxy: ${error.message}`, 1);
      throw error;
    }
    const say = (line: string) => process.stderr.write(`qapi-ts proxy: ${line}\n`);
    say(`serving ${argv.connect} on ${argv.listen}`);
    proxy.upstream.onConnectionEvent((event) => {
      if (event.kind === "reconnected") say(`reconnected (attempt ${event.attempt})`);
      else say(`${event.kind} (attempt ${event.attempt}): ${event.reason.message}`);
    });
    const stop = () => void proxy.close();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    const reason = await proxy.closed;
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    if (reason) throw new UserFacingError(`qapi-ts proxy: the monitor is gone: ${reason.message}`, 1);
  },
};
