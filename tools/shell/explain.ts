/**
 * The shell's wording of what the validator engine (runtime/validate/) found
 * in a command's arguments: the engine's paths and messages, plus the choices
 * where the engine names an enum (`; expected one of …`, found at the same
 * path through core/walk.ts), and without the type name when the server masks
 * it ("of enum 123" says nothing). No check of its own.
 *
 * Data flow: run-line.ts → the engine's issues → `explainArguments` → lines the shell prints.
 */
import type { ValidationIssue } from "../../runtime/sdk.js";
import { isMaskedTypeName, type WireSchema } from "../../core/schema.js";
import { typeAtPath } from "../../core/walk.js";
import { pathSegments } from "../../runtime/validate/findings.js";

const listed = (names: readonly string[]) =>
  names.length > 12 ? names.slice(0, 12).join(", ") + ", …" : names.join(", ");

/** One line per issue: `$.arguments.driver: unknown value "nul-co"; expected one of blkdebug, …`. */
export function explainArguments(
  schema: WireSchema,
  argType: string,
  args: unknown,
  issues: readonly ValidationIssue[],
  root = "$.arguments",
): string[] {
  return issues.map((issue) => {
    const enumValue = /^(unknown value .*) of enum (.*)$/.exec(issue.message);
    if (!enumValue) return `${issue.path}: ${issue.message}`;
    const segments = pathSegments(issue.path, root);
    const type = segments && typeAtPath(schema, argType, segments, { value: args });
    const head = isMaskedTypeName(enumValue[2]!) ? enumValue[1]! : issue.message;
    return type?.meta === "enum"
      ? `${issue.path}: ${head}; expected one of ${listed(type.values.map((v) => v.name))}`
      : `${issue.path}: ${head}`;
  });
}
