/**
 * The validators of a session that follows a server of release V
 * (follow-server.ts): the SDK's schema cut to V, plus what the cut alone
 * cannot say. A command V lacks is refused before sending in strict mode (the
 * cut does not know it, so it would otherwise go out unchecked and come back
 * as QEMU's CommandNotFound) and reported as a notice in lenient mode; an
 * argument or enum value the SDK accepts and V lacks is an issue naming V.
 * Issues about V carry `release`, which validation-hook.ts turns into a
 * NotInReleaseError. Replies and events are the cut's alone.
 */
import type { SdkValidators, ValidationIssue, ValidationResult } from "./sdk.js";

/**
 * @param cut validators of the SDK's schema cut to `release`
 * @param sdk the SDK's own validators (the pinned release's schema)
 */
export function releaseValidators(cut: SdkValidators, sdk: SdkValidators, release: string): SdkValidators {
  const lacks = (issue: ValidationIssue): ValidationIssue => ({
    ...issue,
    message: `${issue.message} in QEMU ${release}`,
    release,
  });
  return {
    commandArgs(command, value, mode, root = "$.arguments") {
      const result = cut.commandArgs(command, value, mode, root);
      if (result === undefined) {
        if (sdk.commandArgs(command, value, mode, root) === undefined) return undefined;
        const issue = lacks({ path: "$.execute", message: `no command '${command}'` });
        return mode === "strict" ? { errors: [issue], notices: [] } : { errors: [], notices: [issue] };
      }
      if (result.errors.length === 0 && result.notices.length === 0) return result;
      // What the SDK's own schema also finds is the caller's mistake; the rest is the release's.
      const own = sdk.commandArgs(command, value, mode, root);
      const known = new Set([...(own?.errors ?? []), ...(own?.notices ?? [])].map((i) => `${i.path}\0${i.message}`));
      const tag = (issues: readonly ValidationIssue[]) =>
        issues.map((i) => (known.has(`${i.path}\0${i.message}`) ? i : lacks(i)));
      return { errors: tag(result.errors), notices: tag(result.notices) } satisfies ValidationResult;
    },
    commandReturn: (command, value, mode, root) => cut.commandReturn(command, value, mode, root),
    event: (event, data, mode, root) => cut.event(event, data, mode, root),
    type: (typeName, value, mode, root) => cut.type(typeName, value, mode, root),
  };
}
