/**
 * A short, safe text of any value a peer sent, for error messages and
 * diagnostics: `{"error":{"class":"X","desc":[[[…`.
 *
 * A peer's value may hold bigints (JSON.stringify throws on them), nest
 * 100 000 levels (JSON.stringify's recursion overflows the stack) or hold keys
 * such as `toString` (String() and template literals call them). This writer
 * walks the value with its own stack, writes a bigint as its digits, and stops
 * once the text reaches the limit, so its cost is bounded by the limit (plus
 * one `Object.keys` per opened object), whatever the value holds. Strings are
 * JSON-quoted, so control characters come out escaped.
 *
 * Data flow: runtime/session.ts, runtime/messages.ts and
 * runtime/validation-hook.ts put the text into ParseError, GreetingError,
 * ExecuteError and diagnostic messages.
 */

/** One open container: its entries and how far the walk got. */
interface Frame {
  readonly array: readonly unknown[] | undefined;
  readonly object: Record<string, unknown> | undefined;
  readonly keys: readonly string[];
  index: number;
}

/**
 * JSON-like text of `value`, cut at about `limit` characters with `…`.
 * Never throws: cycles and exotic values only make it stop or write `null`.
 */
export function previewJson(value: unknown, limit = 200): string {
  let out = "";
  const open: Frame[] = [];
  let next: unknown = value;
  let have = true;
  while (out.length < limit) {
    if (have) {
      have = false;
      if (Array.isArray(next)) {
        out += "[";
        open.push({ array: next, object: undefined, keys: [], index: 0 });
      } else if (typeof next === "object" && next !== null) {
        out += "{";
        const object = next as Record<string, unknown>;
        open.push({ array: undefined, object, keys: Object.keys(object), index: 0 });
      } else out += scalar(next, limit - out.length);
      continue;
    }
    const top = open[open.length - 1];
    if (!top) return out;
    const count = top.array ? top.array.length : top.keys.length;
    if (top.index >= count) {
      out += top.array ? "]" : "}";
      open.pop();
      continue;
    }
    if (top.index > 0) out += ",";
    if (top.array) next = top.array[top.index];
    else {
      const key = top.keys[top.index]!;
      out += quoted(key, limit - out.length) + ":";
      next = Object.getOwnPropertyDescriptor(top.object, key)?.value;
    }
    top.index++;
    have = true;
  }
  return out.slice(0, limit) + "…";
}

function scalar(v: unknown, room: number): string {
  switch (typeof v) {
    case "string":
      return quoted(v, room);
    case "number":
      return Number.isFinite(v) ? String(v) : "null";
    case "bigint":
    case "boolean":
      return String(v);
    default:
      return "null";
  }
}

function quoted(s: string, room: number): string {
  return JSON.stringify(s.length > room ? s.slice(0, Math.max(room, 0)) : s);
}
