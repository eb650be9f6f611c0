/**
 * The pinned prettier style of generated code, and an optional prettier pass.
 *
 * The printer (layout.ts) already emits this style, so `generate` does not run
 * prettier; `--format` (or `format: true`) still can, and the prettier-stable
 * test formats every generated file with these options and expects no change.
 * prettier's version is pinned exactly in package.json (a devDependency here,
 * an optional peer dependency for users) and its options here, so committed
 * SDKs and golden files do not drift. prettier is loaded only when a pass runs,
 * and only if it is installed (`prettierAvailable()` lets the CLI say so).
 * Next: write.ts.
 */
import type * as prettier from "prettier";
import { printWidth } from "./layout.js";

/** The prettier options every generated file is formatted with. Changing them changes every golden file. */
export const prettierOptions = {
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
} as const satisfies prettier.Options;

interface Prettier {
  format(text: string, options: typeof prettierOptions): Promise<string>;
}

let loaded: Promise<Prettier | undefined> | undefined;

/** prettier, when installed; undefined when it is not (any other failure to load it propagates). */
function loadPrettier(): Promise<Prettier | undefined> {
  // The specifier goes through a variable so that TypeScript does not require prettier's types to build users' code.
  const specifier = "prettier";
  loaded ??= (import(specifier) as Promise<Prettier>).catch((error: unknown) => {
    if ((error as { code?: string }).code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw error;
  });
  return loaded;
}

/** Whether prettier can be loaded (it is an optional peer dependency). */
export async function prettierAvailable(): Promise<boolean> {
  return (await loadPrettier()) !== undefined;
}

/**
 * Formats one TypeScript source text; returns it unchanged when prettier is not installed.
 * @throws Error from prettier when the text does not parse — a generator bug.
 */
export async function formatTypeScript(text: string): Promise<string> {
  const prettier = await loadPrettier();
  return prettier ? prettier.format(text, prettierOptions) : text;
}
