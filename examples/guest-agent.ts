/**
 * Example: the guest agent — qemu-ga runs inside the guest and QEMU passes its
 * channel to the host, typically as a unix socket:
 *
 *   qemu-system-x86_64 … -chardev socket,path=/run/vm1-qga.sock,server=on,wait=off,id=qga0 \
 *     -device virtio-serial -device virtserialport,chardev=qga0,name=org.qemu.guest_agent.0
 *
 * The `qapi-ts/qga` SDK speaks the agent's dialect (no greeting; a sync
 * handshake first, so stale output of an earlier client is discarded).
 *
 *   node guest-agent.js /run/vm1-qga.sock
 */
import { connect } from "qapi-ts/qga";

const path = process.argv[2];
if (path === undefined) {
  console.error("usage: node guest-agent.js SOCKET");
  process.exit(2);
}

const agent = await connect({ path, validate: "lenient" });
try {
  await agent.execute("guest-ping");
  const info = await agent.execute("guest-info");
  console.log(
    `guest agent ${info.version}, ${info.supported_commands.filter((c) => c.enabled).length} commands enabled`,
  );
  const os = await agent.execute("guest-get-osinfo");
  console.log(`guest kernel: ${os["kernel-release"] ?? "unknown"}`);
} finally {
  await agent.close();
}
