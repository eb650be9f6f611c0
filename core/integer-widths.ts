/**
 * Integer widths put back into a server's own schema. `query-qmp-schema`
 * reports every integer as `int`, so a schema read from a live server lets
 * 300 through for a `uint8` member that QEMU itself refuses. A known schema of
 * the same release (the version history's view of it, else an SDK's) names
 * the widths; pairing.ts finds, place by place, which of the server's masked
 * object types each of its types is, and each `int` member (or list of
 * `int`) of the server's takes the width the known schema gives the member
 * of the same name. Where the known types that pair with one server type
 * disagree, the member stays `int`: a width is only put where it is certain.
 *
 * The shell (tools/shell/schema-source.ts), the capability probes'
 * validators (runtime/capabilities.ts), the MCP server
 * (tools/mcp/server-schema.ts) and SDKs generated from introspection
 * (tools/introspection/model.ts) check against the result.
 */
import { pairTypes } from "./pairing.js";
import type { LinkedType } from "./linked.js";
import type { WireBuiltin, WireMember, WireObject, WireSchema, WireType } from "./schema.js";

/** The server's schema with the integer widths `known` gives its members; the same object when there are none. */
export function withIntegerWidths(server: WireSchema, known: WireSchema | undefined): WireSchema {
  if (!known) return server;
  /** Server object type → member → the width's builtin name (null: the known schemas disagree). */
  const widths = new Map<string, Map<string, string | null>>();
  const builtins = new Map<string, WireBuiltin>();
  for (const pair of pairTypes(known, server).values()) {
    const [k, s] = [pair.oldType, pair.newType];
    if (k?.wire.meta !== "object" || s?.wire.meta !== "object") continue;
    for (const member of s.members) {
      if (!isPlainInt(integerOf(member.type))) continue;
      const width = integerOf(k.members.find((m) => m.member.name === member.member.name)?.type);
      if (width?.wire.meta !== "builtin" || width.wire.json !== "int") continue;
      builtins.set(width.name, width.wire);
      let byMember = widths.get(s.name);
      if (!byMember) widths.set(s.name, (byMember = new Map()));
      const before = byMember.get(member.member.name);
      byMember.set(member.member.name, before === undefined || before === width.name ? width.name : null);
    }
  }
  if (widths.size === 0) return server;
  const types = new Map<string, WireType>(server.types);
  for (const [name, builtin] of builtins) if (!types.has(name)) types.set(name, builtin);
  for (const [typeName, byMember] of widths) {
    const object = server.types.get(typeName) as WireObject;
    const members = object.members.map((m): WireMember => {
      const width = byMember.get(m.name);
      if (!width || width === "int") return m;
      if (server.types.get(m.type)?.meta !== "array") return { ...m, type: width };
      // A list of integers: a list type of the width, named as introspection names lists.
      const list = `[${width}]`;
      if (!types.has(list)) types.set(list, { name: list, meta: "array", element: width, features: [] });
      return { ...m, type: list };
    });
    types.set(typeName, { ...object, members });
  }
  return { ...server, types };
}

/** The integer type of a member: its type, or a list's element. */
function integerOf(type: LinkedType | undefined): LinkedType | undefined {
  return type?.element ? type.element.type : type;
}

function isPlainInt(type: LinkedType | undefined): boolean {
  return type?.wire.meta === "builtin" && type.wire.json === "int";
}
