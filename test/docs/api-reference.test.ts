/**
 * The API reference (`npm run docs`, TypeDoc over the TSDoc comments) builds,
 * and opens in headless Chromium with its main entry points where a reader
 * looks for them: every public module on the start page, `connect`,
 * `QmpClient`, `launchQemu`, `generate`, `createMockQemu`,
 * `connectWithCapabilities` on their module pages, the client's methods with
 * their doc text, and the navigation that the page's own scripts build (so the
 * page works in a browser, not just as files).
 *
 * Chromium (Debian's package, installed by scripts/install-chromium.sh) prints
 * each page's DOM after its scripts have run (`--dump-dom`).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, test } from "node:test";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const api = join(repoRoot, "build", "api");
const profile = mkdtempSync(join(tmpdir(), "qapi-ts-chromium-"));
after(() => rmSync(profile, { recursive: true, force: true }));

/** The DOM of a page of the reference after Chromium ran its scripts. */
function open(page: string): string {
  const r = spawnSync(
    chromium!,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      `--user-data-dir=${profile}`,
      "--virtual-time-budget=5000",
      "--dump-dom",
      pathToFileURL(join(api, page)).href,
    ],
    { encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  assert.equal(r.status, 0, `chromium on ${page}: ${r.stderr}`);
  assert.match(r.stdout, /<\/html>/, `chromium printed ${page}'s DOM`);
  return r.stdout;
}

/** The targets of the links in `dom` whose text is exactly `text`. */
function linksTo(dom: string, text: string): string[] {
  const out: string[] = [];
  for (const m of dom.matchAll(/<a [^>]*href="([^"]+)"[^>]*>(?:<svg[\s\S]*?<\/svg>)?([^<]*)<\/a>/g)) {
    if (m[2]!.trim() === text) out.push(m[1]!);
  }
  return out;
}

before(() => {
  if (!chromium) return;
  const docs = spawnSync("bash", [join(repoRoot, "scripts", "api-docs.sh")], { encoding: "utf8", timeout: 300_000 });
  assert.equal(docs.status, 0, `npm run docs failed:\n${docs.stdout}${docs.stderr}`);
});

const modules: Record<string, string[]> = {
  "qapi-ts/runtime": ["connect", "connectWith", "QmpClient", "launchQemu", "stringifyJson", "ExecuteError"],
  "qapi-ts/capabilities": ["connectWithCapabilities", "probeCapabilities"],
  "qapi-ts/mock": ["createMockQemu", "replayMockQemu", "createDuplexPair"],
  "qapi-ts/generator": ["generate", "loadSchema", "writeFiles"],
};

test(
  "the start page lists every public module, and each module page its main entry points",
  { skip: !chromium && "Chromium is not installed (scripts/install-chromium.sh)" },
  () => {
    const index = open("index.html");
    for (const [module, names] of Object.entries(modules)) {
      const [href] = linksTo(index, module);
      assert.ok(href, `index.html links to ${module}`);
      const page = open(href);
      for (const name of names) {
        assert.ok(linksTo(page, name).length > 0, `${module}'s page links to ${name}`);
      }
    }
  },
);

test(
  "the client's page documents its methods, and the page's scripts build the navigation",
  { skip: !chromium && "Chromium is not installed" },
  () => {
    const runtime = open(linksTo(open("index.html"), "qapi-ts/runtime")[0]!);
    const [client] = linksTo(runtime, "QmpClient");
    assert.ok(client);
    const page = open(join("modules", client!));
    for (const method of ["execute", "executeWith", "waitFor", "on", "close"]) {
      assert.ok(page.includes(`id="${method.toLowerCase()}"`), `QmpClient's page has ${method}`);
    }
    assert.match(
      page,
      /Arm it\s+before sending the command that causes the event/,
      "waitFor's TSDoc text is on the page",
    );
    // TypeDoc's navigation is data that main.js unpacks into the sidebar at load: present only if the scripts ran.
    const navigation = page.indexOf('<ul class="tsd-nested-navigation">');
    assert.ok(navigation >= 0, "the sidebar navigation was built");
    for (const module of ["capabilities", "generator", "mock"]) {
      assert.ok(
        page.includes(`href="../modules/qapi-ts_${module}.html"`, navigation),
        `the navigation links qapi-ts/${module}`,
      );
    }
  },
);
