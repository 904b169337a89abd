// Remix and React Router redo their route matching on every request; patches/ keeps the work per route array
// (docs/decisions/0017-server-hot-path-patches.md). These tests load the packages as the production server does
// (Node's require, the CommonJS builds) and check, over every route of the real build, that the memo is in force
// and that what it answers is what a fresh match answers.
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);

interface RouteObject {
  id: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children?: RouteObject[];
}
interface RouteMatch {
  params: Record<string, string | undefined>;
  pathname: string;
  route: RouteObject;
}
interface RouterModule {
  matchRoutes(routes: RouteObject[], location: string): RouteMatch[] | null;
  createStaticHandler(routes: RouteObject[]): { query(request: Request): Promise<unknown> };
}
interface StaticServerModule {
  createStaticRouter(routes: RouteObject[], context: unknown): { routes: RouteObject[] };
}
interface BuildRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
}

const router = require("@remix-run/router") as RouterModule;
const staticServer = require("react-router-dom/server") as StaticServerModule;

/** The route tree as Remix builds it from the server build's flat manifest. */
function tree(routes: Record<string, BuildRoute>, parentId?: string): RouteObject[] {
  return Object.values(routes)
    .filter((r) => r.parentId === parentId)
    .map((r) => {
      const children = tree(routes, r.id);
      return {
        id: r.id,
        path: r.path,
        index: r.index,
        caseSensitive: r.caseSensitive,
        ...(children.length ? { children } : {}),
      };
    });
}

/** One concrete URL per route: each parameter filled in, a splat given two segments. */
function sampleUrls(routes: Record<string, BuildRoute>): string[] {
  const full = (r: BuildRoute): string => {
    const parent = r.parentId ? routes[r.parentId] : undefined;
    const own = (r.path ?? "").replace(/^\//, "");
    return [parent ? full(parent) : "", own].filter(Boolean).join("/");
  };
  const urls = Object.values(routes).map(
    (r) =>
      "/" +
      full(r)
        .replace(/:[\w-]+\??/g, "x1")
        .replace(/\*$/, "a/b"),
  );
  return [...new Set([...urls, "/", "/no/such/page", "/experts/", "/EXPERTS"])];
}

const ids = (m: RouteMatch[] | null) => m?.map((x) => [x.route.id, x.pathname, JSON.stringify(x.params)]) ?? null;

let manifest: Record<string, BuildRoute>;

beforeAll(async () => {
  const build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as {
    routes: Record<string, BuildRoute>;
  };
  manifest = build.routes;
});

describe("route matching on the server", () => {
  it("answers from the memo exactly what a fresh match answers, for every route of the build", () => {
    const routes = tree(manifest);
    const urls = sampleUrls(manifest);
    expect(urls.length).toBeGreaterThan(40);
    for (const url of urls) {
      const first = ids(router.matchRoutes(routes, url));
      const memoised = ids(router.matchRoutes(routes, url));
      // A structurally equal copy is a new array: matched from scratch.
      const fresh = ids(router.matchRoutes(structuredClone(routes), url));
      expect(memoised, url).toEqual(first);
      expect(memoised, url).toEqual(fresh);
    }
    expect(ids(router.matchRoutes(routes, "/experts/amara-okafor"))?.at(-1)?.[0]).toBe("routes/experts.$slug");
  });

  it("remembers the answer for a path, and gives every caller its own copy of it", () => {
    const routes = tree(manifest);
    const url = "/sessions/abc123/reschedule";
    const first = router.matchRoutes(routes, url)!;
    const second = router.matchRoutes(routes, url)!;
    expect(ids(second)).toEqual(ids(first));
    expect(second).not.toBe(first);
    expect(second.at(-1)).not.toBe(first.at(-1));
    // The matches of one answer share one params object, as React Router's own do; a caller changing it changes
    // nothing for the next caller.
    expect(new Set(first.map((m) => m.params)).size).toBe(1);
    first.at(-1)!.params.id = "changed";
    expect(router.matchRoutes(routes, url)!.at(-1)!.params.id).toBe("abc123");
    // Remembered, not matched again: a route added in place afterwards is not seen for a path asked before.
    expect(router.matchRoutes(routes, "/no/such/page")).toBeNull();
    routes.push({ id: "late", path: "no/such/page" });
    expect(router.matchRoutes(routes, "/no/such/page")).toBeNull();
    expect(router.matchRoutes([...routes], "/no/such/page")?.at(-1)?.route.id).toBe("late");
  });

  it("keeps the flattened routes per array: a route added in place afterwards is not seen", () => {
    const routes = tree(manifest);
    const probe = "/zz-memo-probe";
    const before = ids(router.matchRoutes(routes, probe));
    routes.push({ id: "probe", path: "zz-memo-probe" });
    // Unpatched, the router flattens the array again on every call and finds the new route.
    expect(ids(router.matchRoutes(routes, probe))).toEqual(before);
    expect(router.matchRoutes([...routes], probe)?.at(-1)?.route.id).toBe("probe");
  });

  it("converts the routes of a static render once per route array", async () => {
    const routes = tree(manifest);
    const context = await router.createStaticHandler(routes).query(new Request("http://localhost/experts"));
    const a = staticServer.createStaticRouter(routes, context);
    const b = staticServer.createStaticRouter(routes, context);
    expect(b.routes).toBe(a.routes);
    expect(staticServer.createStaticRouter([...routes], context).routes).not.toBe(a.routes);
  });
});
