// Page-weight budget: the JavaScript each public route makes a browser download, gzip-compressed as the
// server sends it, must stay under the budget written here. Reads the client build that `npm test` makes first
// (`remix build`): the Remix manifest lists, per route, its module and the shared chunks it imports; the entry
// (React, the Remix runtime) and the root route load on every page, so every route's figure includes them.
// Also: livekit-client (the live room's heavy media client) is loaded by no route other than a room route, and no
// server-only code reaches public/build.
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";

const ASSETS_DIR = path.resolve("public/build");
const SERVER_BUILD = path.resolve("build/server/index.js");
const PUBLIC_PATH = "/build/";

/**
 * Budgets in gzip bytes for what each route loads: the entry (React, Remix runtime) + root + the route's module and
 * chunks; "root" alone is what every page pays. Measured on 2026-11-29 (the comment; this test prints today's
 * figures on every run); each budget is that + 5%, rounded up to 512 B. Raise one only with a reason in the commit.
 */
const BUDGETS: Record<string, number> = {
  // 92,207 on 2026-12-02: pages use the shared Button and Card (one chunk each; a lint rule keeps it so).
  root: 92_672,
  // Raised on 2026-12-02 for the site shell (phone menu, help link) and faces (Avatar): the 100 KB ceiling holds.
  // 96,817 on 2026-12-02: the signed-in home leads with the next session and its Join button.
  "routes/_index": 98_304,
  "routes/experts._index": 96_256, // 95,819 with the shared Button and Card
  "routes/experts.$slug": 97_792, // 97,360 with the shared Button and Card
  // 95,822 on 2026-12-03: the policy's link to the providers page and the installation's mail note.
  "routes/privacy": 96_256,
  "routes/login._index": 95_232, // 94,706 on 2026-12-02 (consent settings' date, shared Button in the shell)
  "routes/signup": 95_232, // 94,672 with the shared Button in the shell
  // 98,687 on 2026-12-02: the booker (calendar, slot column, zone picker, summary) and the site shell.
  // 99,986 on 2026-12-03: +227 B for the one shared module every page's links come from (~/components/Link),
  // which lets the server write links without React Router's per-link work.
  "routes/book.$slug": 100_352,
  // 96,991 on 2026-12-02: the site shell (phone menu, help link, the consent settings' own date) and faces.
  // 98,495 with the shared Button and Card and the cancel Dialog; 98,854 on 2026-12-04: Join names the time the
  // room opens and says when a session's time is over (+48 B), after the shared Link module (+227 B).
  "routes/sessions._index": 99_328,
  "routes/help-now": 95_232, // 94,514 with the shared Button and Card; // new with the crisis page; the public-route ceiling below still applies
};

/** No public route may make a browser download more JavaScript than this (gzip), whatever its own budget says. */
const PUBLIC_ROUTE_CEILING = 100 * 1024;

/** The whole stylesheet (design tokens, components, pages), gzip, as the server sends it. */
const CSS_BUDGET = 20 * 1024;

/** The room page before Join (device check, key agreement): entry + root + the route. livekit-client comes on Join. */
// 100,841 on 2026-12-02 with the site shell and the regional crisis notice before the call.
// 102,106 with the shared Button and Card.
const ROOM_FIRST_DOWNLOAD_BUDGET = 102_400;

/** A room route (e.g. `routes/room.$id`, `routes/sessions.$id.room`) is the only place livekit-client may load. */
const isRoomRoute = (id: string) => /(^|[/.])rooms?(\.|$)/.test(id);

/** Strings livekit-client's bundle keeps through minification: its protobuf type names and a DOM id it creates. */
const LIVEKIT_MARKERS = [/["']livekit\.[A-Z][A-Za-z]+/, /livekit-dummy-audio-el/];

/** Code that must stay on the server: database clients, password hashing, Node built-ins, secrets' names. */
const SERVER_ONLY_MARKERS = [
  "PrismaClient",
  "@prisma/client",
  "pglite",
  "bcrypt",
  "node:crypto",
  "node:fs",
  "DATABASE_URL",
  "SESSION_SECRET",
  "RESEND_API_KEY",
  "LIVEKIT_API_SECRET",
  "rate-limiter-flexible",
  "pg-boss",
];

interface ManifestRoute {
  id: string;
  parentId?: string;
  module: string;
  imports?: string[];
}
interface AssetsManifest {
  version: string;
  entry: { module: string; imports: string[] };
  routes: Record<string, ManifestRoute>;
}

const fileOf = (url: string) => {
  if (!url.startsWith(PUBLIC_PATH)) throw new Error(`unexpected asset URL ${url}`);
  return path.join(ASSETS_DIR, url.slice(PUBLIC_PATH.length));
};
const read = (url: string) => fs.readFileSync(fileOf(url), "utf8");
const gzipSize = (url: string) => gzipSync(fs.readFileSync(fileOf(url))).length;

/** The URLs a built module imports: static (`import … from "/build/…"`, `import "/build/…"`) and, if asked, dynamic. */
function importsOf(url: string, dynamic: boolean): string[] {
  const code = read(url);
  const found = new Set<string>();
  for (const m of code.matchAll(/\b(?:from|import)\s*["'](\/build\/[^"']+\.js)["']/g)) found.add(m[1]!);
  if (dynamic) for (const m of code.matchAll(/\bimport\(\s*["'](\/build\/[^"']+\.js)["']\s*\)/g)) found.add(m[1]!);
  return [...found];
}

/** Everything the modules pull in, following imports inside the chunks too (the manifest lists direct ones). */
function closure(start: string[], dynamic: boolean): Set<string> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const url = queue.pop()!;
    if (seen.has(url)) continue;
    seen.add(url);
    queue.push(...importsOf(url, dynamic));
  }
  return seen;
}

let manifest: AssetsManifest;

/** What a browser loads for a route: the entry, then each route from the root down to this one, with their imports. */
function routeFiles(id: string, dynamic = false): Set<string> {
  const chain: ManifestRoute[] = [];
  for (
    let r: ManifestRoute | undefined = manifest.routes[id];
    r;
    r = r.parentId ? manifest.routes[r.parentId] : undefined
  )
    chain.unshift(r);
  if (chain.length === 0) throw new Error(`route ${id} is not in the manifest`);
  const start = [
    manifest.entry.module,
    ...manifest.entry.imports,
    ...chain.flatMap((r) => [r.module, ...(r.imports ?? [])]),
  ];
  return closure(start, dynamic);
}

const sum = (files: Iterable<string>) => [...files].reduce((n, f) => n + gzipSize(f), 0);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

beforeAll(() => {
  if (!fs.existsSync(SERVER_BUILD)) throw new Error("No Remix build: run `npx remix build` (npm test does it) first.");
  // The manifest the server build points at (older manifests may linger in public/build).
  const name = /manifest-[A-Z0-9]+\.js/.exec(fs.readFileSync(SERVER_BUILD, "utf8"))?.[0];
  if (!name) throw new Error("The server build names no client manifest.");
  const source = fs.readFileSync(path.join(ASSETS_DIR, name), "utf8");
  const json = /^window\.__remixManifest=(.*);\s*$/s.exec(source)?.[1];
  if (!json) throw new Error(`${name} is not in the shape Remix writes (window.__remixManifest={…};)`);
  manifest = JSON.parse(json) as AssetsManifest;
});

describe("page weight", () => {
  it("each public route's JavaScript (gzip) stays within its budget", () => {
    const rows = Object.entries(BUDGETS).map(([route, budget]) => {
      const files = routeFiles(route);
      return { route, files: files.size, gzip: sum(files), budget };
    });
    // Today's numbers, on every run.
    console.log(
      [
        "JavaScript per public route (gzip; entry + root + route and their chunks):",
        ...rows.map(
          (r) =>
            `  ${r.route.padEnd(24)} ${String(r.gzip).padStart(7)} B ${kb(r.gzip).padStart(9)}  ${String(r.files).padStart(2)} files ` +
            ` budget ${r.budget} B`,
        ),
      ].join("\n"),
    );
    const over = rows.filter((r) => r.gzip > r.budget).map((r) => `${r.route}: ${r.gzip} B > budget ${r.budget} B`);
    expect(over).toEqual([]);
  });

  it("no public route goes over 100 KB of JavaScript (gzip)", () => {
    for (const route of Object.keys(BUDGETS)) {
      if (route === "root") continue;
      expect(sum(routeFiles(route)), route).toBeLessThanOrEqual(PUBLIC_ROUTE_CEILING);
    }
  });

  it("the stylesheet stays within 20 KB gzip and sets no font from another origin", () => {
    const css = fs
      .readdirSync(ASSETS_DIR, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".css"))
      .map((f) => fs.readFileSync(path.join(ASSETS_DIR, f)));
    expect(css.length).toBeGreaterThan(0);
    const total = css.reduce((n, b) => n + gzipSync(b).length, 0);
    console.log(`stylesheets: ${css.length} file(s), ${kb(total)} gzip (budget ${kb(CSS_BUDGET)})`);
    expect(total).toBeLessThanOrEqual(CSS_BUDGET);
    for (const b of css) expect(b.toString("utf8")).not.toMatch(/url\(\s*["']?(https?:)?\/\//);
  });

  it("counts what the browser really loads: the manifest's modules exist, and the entry carries React", () => {
    for (const url of [manifest.entry.module, ...manifest.entry.imports])
      expect(fs.existsSync(fileOf(url)), url).toBe(true);
    for (const route of Object.keys(BUDGETS)) expect(manifest.routes[route], route).toBeDefined();
    // Every static import inside the counted files is counted too (the closure is closed).
    for (const route of Object.keys(BUDGETS)) {
      const files = routeFiles(route);
      for (const f of files)
        for (const i of importsOf(f, false)) expect(files.has(i), `${route}: ${f} imports ${i}`).toBe(true);
    }
    const entryCode = [...closure([manifest.entry.module], false)].map(read).join("\n");
    expect(entryCode).toContain("react.production.min.js");
    // React + the Remix runtime alone are tens of kilobytes compressed: a sum far below that would mean a file was missed.
    expect(sum(closure([manifest.entry.module], false))).toBeGreaterThan(50_000);
  });

  it("the livekit marker recognises livekit-client's own build (so the next test cannot pass by accident)", () => {
    const dist = path.resolve("node_modules/livekit-client/dist/livekit-client.esm.mjs");
    expect(fs.existsSync(dist), "livekit-client is a dependency").toBe(true);
    const code = fs.readFileSync(dist, "utf8");
    for (const marker of LIVEKIT_MARKERS) expect(marker.test(code), String(marker)).toBe(true);
  });

  it("the room route loads livekit-client only lazily: not in its first download, but reachable by its dynamic import", () => {
    const room = "routes/sessions.$id.room._index";
    const hasLivekit = (files: Set<string>) => [...files].some((f) => LIVEKIT_MARKERS.some((m) => m.test(read(f))));
    const first = routeFiles(room);
    const lazy = routeFiles(room, true);
    console.log(
      `room route: first download ${kb(sum(first))} gzip; with the call (livekit-client, on Join) ${kb(sum(lazy))}`,
    );
    expect(hasLivekit(first)).toBe(false);
    expect(hasLivekit(lazy)).toBe(true);
    expect(sum(first)).toBeLessThan(ROOM_FIRST_DOWNLOAD_BUDGET);
  });

  it("no route except a room route loads livekit-client, even lazily", () => {
    const withLivekit = new Set(
      fs
        .readdirSync(ASSETS_DIR, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".js"))
        .map((f) => `${PUBLIC_PATH}${f.split(path.sep).join("/")}`)
        .filter((url) => LIVEKIT_MARKERS.some((m) => m.test(read(url)))),
    );
    const offenders = Object.keys(manifest.routes)
      .filter((id) => !isRoomRoute(id))
      .flatMap((id) => [...routeFiles(id, true)].filter((f) => withLivekit.has(f)).map((f) => `${id} → ${f}`));
    expect(offenders).toEqual([]);
  });

  it("no server-only code reaches public/build", () => {
    const leaks: string[] = [];
    for (const f of fs.readdirSync(ASSETS_DIR, { recursive: true, encoding: "utf8" })) {
      const file = path.join(ASSETS_DIR, f);
      if (!fs.statSync(file).isFile() || !/\.(js|css|map)$/.test(f)) continue;
      const code = fs.readFileSync(file, "utf8");
      for (const marker of SERVER_ONLY_MARKERS) if (code.includes(marker)) leaks.push(`${f}: ${marker}`);
    }
    expect(leaks).toEqual([]);
  });
});
