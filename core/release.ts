/**
 * QEMU release numbers, read and ordered once for every part: the history
 * builder and its readers (tools/history/, the emitters' history facts,
 * the version modules), cutting a schema to a release (cut-to-release.ts).
 */

/** `[major, minor, micro]` of `x.y`, `x.y.z` or `vx.y.z…`; null when the text is no release. */
export function releaseNumbers(text: string): [number, number, number] | null {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : null;
}

/** Orders two releases numerically (`x.y` counts as `x.y.0`); anything unreadable sorts first. */
export function compareReleases(a: string, b: string): number {
  const x = releaseNumbers(a) ?? [-1, 0, 0];
  const y = releaseNumbers(b) ?? [-1, 0, 0];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}
