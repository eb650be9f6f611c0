/**
 * The pinned prettier style of generated code, and an optional prettier pass.
 *
 * The printer (layout.ts) already emits this style, so `generate` does not run
 * prettier; `--format` (or `format: true`) still can, and the prettier-stable
 * test formats every generated file with these options and expects no change.
 * prettier's version is pinned exactly in package.json and its options here,
 * so committed SDKs and golden files do not drift. prettier is loaded only
 * when a pass runs. Next: write.ts.
 */
import type * as prettier from "prettier";
import { printWidth } from "./layout.js";

/** The prettier options every generated file is formatted with. Changing them changes every golden file. */
export const prettierOptions: prettier.Options = {
  parser: "typescript",
  printWidth,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  quoteProps: "preserve",
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
  proseWrap: "preserve",
};

/**
 * Formats one TypeScript source text.
 * @throws Error from prettier when the text does not parse — a generator bug.
 */
export async function formatTypeScript(text: string): Promise<string> {
  const { format } = await import("prettier");
  return format(text, prettierOptions);
}
