/**
 * The single prettier pass over each generated file, with pinned options.
 *
 * Emitters produce text with sensible line breaks; this module makes the layout
 * final. prettier's version is pinned exactly in package.json and its options
 * here, so committed SDKs and golden files do not drift. `--no-format` skips it
 * (for debugging the raw emitter output). Next: write.ts.
 */
import * as prettier from "prettier";

/** The prettier options every generated file is formatted with. Changing them changes every golden file. */
export const prettierOptions: prettier.Options = {
  parser: "typescript",
  printWidth: 110,
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
  return prettier.format(text, prettierOptions);
}
