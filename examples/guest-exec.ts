/**
 * Example: run a program in the guest through the guest agent and get its
 * exit code and output. `guestExec` starts it (`guest-exec`), polls
 * `guest-exec-status` until it has exited, and decodes the output.
 *
 *   node guest-exec.js /run/vm1-qga.sock
 */
import { connect } from "qapi-ts/qga";
import { guestExec } from "qapi-ts/operations";

const path = process.argv[2];
if (path === undefined) {
  console.error("usage: node guest-exec.js SOCKET");
  process.exit(2);
}

await using agent = await connect({ path, validate: "strict" });
const result = await guestExec(agent, "/bin/echo", { args: ["hi"], timeout: 30_000 });
console.log(`exit code ${result.exitCode}, output ${JSON.stringify(result.stdout)}`);
