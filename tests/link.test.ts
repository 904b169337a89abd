// The server writes plain links straight to markup (app/components/links.server.tsx); React Router's <Link> is what the
// browser hydrates. Both must give the same <a>: here the real Remix <Link>, rendered on a static router as Remix
// renders a page, against ours, for the kinds of `to` the app uses and the edge cases of React Router's parsing.
import { Link as RemixLink, NavLink as RemixNavLink } from "@remix-run/react";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { Link, NavLink } from "~/components/Link";
import { rootPathHref } from "~/components/links.server";

async function render(element: ReactElement, at = "/book/amara-okafor?date=2026-12-04"): Promise<string> {
  const routes = [{ id: "page", path: "*", element }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`http://localhost${at}`));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToStaticMarkup(createElement(StaticRouterProvider, { router, context, hydrate: false }));
}

/** The <a> tags of some markup, each as its sorted attributes and its text: attribute order is not markup. */
function anchors(html: string): string[] {
  return [...html.matchAll(/<a ([^>]*)>(.*?)<\/a>/g)].map(([, attrs, text]) => {
    const list = [...attrs!.matchAll(/([\w-:]+)(?:="([^"]*)")?/g)].map(([, k, v]) => `${k}=${v ?? ""}`).sort();
    return `${list.join(" ")} | ${text}`;
  });
}

const cases: { to: string; props?: Record<string, unknown> }[] = [
  { to: "/" },
  { to: "/sessions" },
  { to: "/sessions/" },
  { to: "/book/amara-okafor?date=2026-12-04&start=2026-12-04T08:00:00.000Z#summary" },
  { to: "/experts?q=a b&category=anxiety%20stress" },
  { to: "/account?" },
  { to: "/account#" },
  { to: "/account?#privacy" },
  { to: "/account/privacy", props: { className: "chip", "aria-current": "true", id: "x", title: "T" } },
  { to: "/book/x?date=1", props: { replace: true, preventScrollReset: true, state: { a: 1 }, relative: "path" } },
  { to: "/sessions", props: { target: "_blank", rel: "noopener" } },
  { to: "/sessions", props: { discover: "none" } },
  { to: "/sessions", props: { "data-testid": "t", "aria-label": "Your sessions, 3 upcoming" } },
];

describe("server-side links", () => {
  it("write the same <a> as Remix's <Link> for every kind of `to` the app uses", async () => {
    for (const { to, props = {} } of cases) {
      const ours = await render(createElement(Link, { to, ...props }, "Go"));
      const theirs = await render(createElement(RemixLink, { to, ...props }, "Go"));
      expect(anchors(ours), to).toEqual(anchors(theirs));
      expect(anchors(ours)).toHaveLength(1);
    }
  });

  it("hand relative paths, full URLs, prefetching and full reloads to Remix's <Link>", async () => {
    for (const [to, props] of [
      ["sessions", {}],
      ["../x", {}],
      ["//example.org/x", {}],
      ["https://example.org/x", {}],
      ["/sessions", { reloadDocument: true }],
      ["/sessions", { prefetch: "intent" }],
      ["/a/../b/./c", {}],
      ["/a//b", {}],
      ["/a/.", {}],
    ] as const) {
      const ours = await render(createElement(Link, { to, ...props }, "Go"));
      const theirs = await render(createElement(RemixLink, { to, ...props }, "Go"));
      expect(ours, to).toBe(theirs);
    }
  });

  it("mark the link to the page on screen active as React Router's <NavLink> does", async () => {
    const navs: [string, Record<string, unknown>][] = [
      ["/sessions", {}],
      ["/sessions", { end: true }],
      ["/sessions/", {}],
      ["/Sessions", {}],
      ["/Sessions", { caseSensitive: true }],
      ["/session", {}],
      ["/", {}],
      ["/", { end: true }],
      ["/account", { className: "nav-item", "aria-current": "location" }],
      ["/experts", { "data-track": "nav" }],
    ];
    let active = 0;
    for (const at of [
      "/",
      "/sessions",
      "/sessions/",
      "/sessions/abc",
      "/SESSIONS/x",
      "/sessionsx",
      "/account",
      "/experts",
    ]) {
      for (const [to, props] of navs) {
        const ours = await render(createElement(NavLink, { to, ...props }, "Go"), at);
        const theirs = await render(createElement(RemixNavLink, { to, ...props }, "Go"), at);
        expect(anchors(ours), `${to} at ${at}`).toEqual(anchors(theirs));
        expect(anchors(ours)).toHaveLength(1);
        if (ours.includes('class="active')) active++;
      }
    }
    expect(active).toBeGreaterThan(10); // both states were compared, not only the inactive one
  });

  it("need no router to render on the server (the markup is written directly)", () => {
    expect(renderToStaticMarkup(createElement(Link, { to: "/sessions?x=1" }, "Go"))).toBe(
      '<a href="/sessions?x=1" data-discover="true">Go</a>',
    );
    expect(() => renderToStaticMarkup(createElement(RemixLink, { to: "/sessions" }, "Go"))).toThrow(/Router/);
  });

  it("reads paths as React Router does", () => {
    expect(rootPathHref("/x?")).toBe("/x");
    expect(rootPathHref("/x?#")).toBe("/x");
    expect(rootPathHref("/x?a=1#")).toBe("/x?a=1");
    expect(rootPathHref("/x#h?not-a-query")).toBe("/x#h?not-a-query");
    expect(rootPathHref("/a/../b")).toBeNull();
    expect(rootPathHref("/a/./b")).toBeNull();
    expect(rootPathHref("//host/x")).toBeNull();
    expect(rootPathHref("x")).toBeNull();
    expect(rootPathHref("/a.b/c..d/.e")).toBe("/a.b/c..d/.e");
  });
});
