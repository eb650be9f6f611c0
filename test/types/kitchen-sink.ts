/**
 * Type-level tests of generated output for our own kitchen-sink schema
 * (test/golden/kitchen-sink): discriminated unions, alternates, optional
 * argument objects, Int64 and commands without reply. Every
 * `@ts-expect-error` line must fail to compile. Compiled, never run.
 */
import {
  type Client,
  type Drawing,
  type Level,
  type Ref,
  ColorValues,
  draw,
  fireAndForget,
  listWidgets,
  makeWidget,
  ping,
} from "../golden/kitchen-sink/index.js";

export async function kitchenSinkUsage(client: Client): Promise<void> {
  const circle: Drawing = { kind: "circle", radius: 1 };
  const line: Drawing = { kind: "line", label: "x" };
  if (circle.kind === "circle") void circle.radius; // narrowing works
  const refs: Ref[] = ["name", null, { id: 1, name: "w", i: 2n, "uv-only": "x" }];
  const levels: Level[] = [3, true, "square"];
  await draw(client, line);
  await ping(client);
  await listWidgets(client);
  await listWidgets(client, { color: ColorValues.includes("red") ? "red" : "green" });
  const widget = await makeWidget(client, { name: "w", ref: "other", level: 2 });
  const noReply: undefined = await fireAndForget(client, { what: "x" });
  (void refs, levels, widget.id, noReply);

  // Wrong union branch: a circle has no side (and needs a radius).
  // @ts-expect-error
  const wrongBranch: Drawing = { kind: "circle", side: 1 };
  // Unknown discriminator value.
  // @ts-expect-error
  const badTag: Drawing = { kind: "hexagon" };
  // An alternate takes only its branches' types.
  // @ts-expect-error
  const badRef: Ref = 5;
  // Enum values are checked.
  // @ts-expect-error
  await listWidgets(client, { color: "blue" });
  // Required argument missing.
  // @ts-expect-error
  await makeWidget(client, {});
  // @ts-expect-error
  await makeWidget(client);
  // A command without arguments takes none.
  // @ts-expect-error
  await ping(client, {});
  (void wrongBranch, badTag, badRef);
}
