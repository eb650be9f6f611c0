/**
 * Which commands an agent may see and run, decided from the connected
 * server's schema:
 *
 * 1. A default deny-list, derived from the schema where the schema says it
 *    (a `command-line` argument: arbitrary monitor text; an `fdname` or
 *    `fdset-id` argument: file descriptor passing) and from a short table
 *    where it cannot (`denyTable`: reading guest memory, running programs
 *    or reading files in the guest).
 * 2. A profile: `read-only` (commands that change nothing: `query-*`,
 *    `x-query-*`, `guest-get-*` by name, and core/reads.ts's table), `vm-control`
 *    (those plus running, stopping and resetting the machine:
 *    `vmControlTable`), `full` (everything).
 * 3. `deprecated` and `unstable` commands (the schema's features) are hidden
 *    unless asked for.
 * 4. `--allow` and `--deny` by name or glob (`query-*`): an explicit deny
 *    wins over everything; an explicit allow over the profile, the
 *    deny-list and the hiding of features.
 *
 * Data flow: the MCP server (server.ts) asks `verdict` for each command,
 * lists only those allowed, and refuses the rest with the verdict's reason.
 */
import { onlyReads } from "../../core/reads.js";
import type { WireCommand, WireSchema } from "../../core/schema.js";

export type Profile = "read-only" | "vm-control" | "full";
export const profiles: readonly Profile[] = ["read-only", "vm-control", "full"];

export interface PolicyOptions {
  readonly profile: Profile;
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  /** Show commands with the `deprecated` feature. */
  readonly deprecated: boolean;
  /** Show commands with the `unstable` feature. */
  readonly unstable: boolean;
}

/** The policy's answer for one command. */
export interface Verdict {
  readonly allowed: boolean;
  /** Why, in words an agent can act on. */
  readonly reason: string;
}

/** What the schema cannot say: commands denied by default, and why. */
export const denyTable: Readonly<Record<string, string>> = {
  memsave: "reads guest memory",
  pmemsave: "reads guest memory",
  "dump-guest-memory": "reads guest memory",
  migrate: "sends the guest's memory elsewhere",
  "guest-exec": "runs a program in the guest",
  "guest-file-open": "opens files in the guest",
  "guest-file-read": "reads files in the guest",
  "guest-file-write": "writes files in the guest",
  "guest-set-user-password": "changes a guest account's password",
  "guest-ssh-add-authorized-keys": "changes a guest account's SSH keys",
};

/** What `vm-control` adds to `read-only`: the machine's run state, input and devices. */
export const vmControlTable: readonly string[] = [
  "stop",
  "cont",
  "system_reset",
  "system_powerdown",
  "system_wakeup",
  "inject-nmi",
  "send-key",
  "input-send-event",
  "set_link",
  "balloon",
  "device_add",
  "device_del",
  "guest-shutdown",
  "guest-suspend-disk",
  "guest-suspend-ram",
  "guest-suspend-hybrid",
  "guest-fsfreeze-freeze",
  "guest-fsfreeze-thaw",
  "guest-set-time",
];

/** A glob (`*` any run of characters, `?` one) as a test. */
export function globMatcher(pattern: string): (name: string) => boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  const re = new RegExp(`^${source}$`);
  return (name) => re.test(name);
}

/** Why the schema puts a command on the default deny-list, if it does. */
export function derivedDenial(command: WireCommand, wire: WireSchema): string | undefined {
  const args = wire.types.get(command.argType);
  const names = args?.meta === "object" ? args.members.map((m) => m.name) : [];
  if (names.includes("command-line")) return "runs arbitrary monitor text (its 'command-line' argument)";
  if (names.includes("fdname") || names.includes("fdset-id"))
    return "passes or manages file descriptors (its 'fdname'/'fdset-id' argument)";
  return undefined;
}

/** The policy over one schema. */
export class Policy {
  private readonly allow: ((name: string) => boolean)[];
  private readonly deny: ((name: string) => boolean)[];

  constructor(
    readonly options: PolicyOptions,
    private readonly wire: WireSchema,
  ) {
    this.allow = options.allow.map(globMatcher);
    this.deny = options.deny.map(globMatcher);
  }

  verdict(name: string): Verdict {
    const command = this.wire.commands.get(name);
    if (!command) return { allowed: false, reason: `${name}: the server has no such command` };
    if (this.deny.some((m) => m(name))) return { allowed: false, reason: `${name} is denied by --deny` };
    if (this.allow.some((m) => m(name))) return { allowed: true, reason: `${name} is allowed by --allow` };
    const denial = denyTable[name] ?? derivedDenial(command, this.wire);
    if (denial)
      return { allowed: false, reason: `${name} ${denial}: on the default deny-list (--allow ${name} permits it)` };
    for (const feature of ["deprecated", "unstable"] as const)
      if (command.features.includes(feature) && !this.options[feature])
        return { allowed: false, reason: `${name} is ${feature}: hidden unless --${feature} (or --allow ${name})` };
    const { profile } = this.options;
    if (profile === "full") return { allowed: true, reason: "full profile" };
    if (onlyReads(name)) return { allowed: true, reason: `${profile} profile: changes nothing` };
    if (profile === "vm-control" && vmControlTable.includes(name))
      return { allowed: true, reason: "vm-control profile: controls the machine" };
    return {
      allowed: false,
      reason: `${name} is not in the ${profile} profile (--profile full or --allow ${name} permits it)`,
    };
  }

  /** The commands an agent may run, sorted. */
  allowedCommands(): string[] {
    return [...this.wire.commands.keys()].filter((name) => this.verdict(name).allowed).sort();
  }
}
