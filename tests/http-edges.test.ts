import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboxMailer } from "../core/platform/mail/index.ts";
import { welcomeEmail } from "../core/mail/templates.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({}, { seed: true });
});
afterAll(async () => {
  await srv?.stop();
});

describe("the home page on a seeded database", () => {
  it("serves categories and experts, server-rendered", async () => {
    const res = await fetch(`${srv.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Talk to someone who understands");
    expect(html).toContain("Anxiety &amp; Stress");
    expect(html).toContain("Dr. Amara Okafor");
    const experts = await srv.running.services.db.prisma.expertProfile.count({ where: { published: true } });
    const categories = await srv.running.services.db.prisma.category.count();
    expect(experts).toBeGreaterThanOrEqual(10);
    expect(categories).toBeGreaterThanOrEqual(8);
  });

  it("filters the directory by category", async () => {
    const html = await (await fetch(`${srv.url}/experts?category=sleep`)).text();
    expect(html).toContain("Experts in Sleep");
    expect(html).toContain("Jonas Lindqvist");
    expect(html).not.toContain("Dr. Amara Okafor");
  });

  it("answers an unknown page with 404 and a way back", async () => {
    const res = await fetch(`${srv.url}/no-such-page`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Back to the home page");
  });
});

describe("security headers", () => {
  it("sends a nonce-based CSP with no third-party origins, and the other headers", async () => {
    const res = await fetch(`${srv.url}/login`);
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/https?:\/\//); // no other origin anywhere
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    // Every inline script of the page carries this response's nonce.
    const html = await res.text();
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1] ?? "");
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("permissions-policy")).toContain("camera=(self)");
    expect(res.headers.get("permissions-policy")).toContain("microphone=(self)");
    // Chromium logs an error on every page for a feature it does not know.
    expect(res.headers.get("permissions-policy")).not.toMatch(/bluetooth|interest-cohort/);
    expect(res.headers.get("x-powered-by")).toBeNull();
    // Not in development: HSTS would pin localhost to https.
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  it("a new nonce on every page rendered for the request", async () => {
    // (A page served from the public page cache carries no nonce: tests/page-cache.test.ts.)
    const a = (await fetch(`${srv.url}/login`)).headers.get("content-security-policy");
    const b = (await fetch(`${srv.url}/login`)).headers.get("content-security-policy");
    expect(a).toMatch(/'nonce-[A-Za-z0-9+/=]{20,}'/);
    expect(a).not.toEqual(b);
  });

  it("caches built assets for a year", async () => {
    const html = await (await fetch(`${srv.url}/`)).text();
    const asset = /src="(\/build\/[^"]+\.js)"/.exec(html)?.[1] ?? /href="(\/build\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const res = await fetch(`${srv.url}${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("immutable");
  });
});

describe("cross-origin protection", () => {
  it("refuses a cross-site POST", async () => {
    const res = await fetch(`${srv.url}/experts`, {
      method: "POST",
      headers: {
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "a=1",
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Cross-origin request refused");
  });

  it("refuses a POST whose Origin is another site even without Sec-Fetch-Site", async () => {
    const res = await fetch(`${srv.url}/admin/api/trpc/system.ping`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(403);
  });

  it("lets a same-origin request through to the route", async () => {
    const res = await fetch(`${srv.url}/admin/api/trpc/system.ping`, {
      method: "POST",
      headers: { origin: srv.url, "sec-fetch-site": "same-origin", "content-type": "text/plain" },
      body: "{}",
    });
    // Past the origin check, the tRPC mount insists on JSON.
    expect(res.status).toBe(415);
  });
});

describe("tRPC mount", () => {
  it("answers a query at /admin/api/trpc", async () => {
    const res = await fetch(`${srv.url}/admin/api/trpc/system.ping`, { headers: { "x-mindnamo-console": "1" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ result: { data: { ok: true } } });
  });
});

describe("mail outbox page", () => {
  it("shows a mail sent in outbox mode", async () => {
    const mailer = srv.running.services.mailer;
    expect(mailer).toBeInstanceOf(OutboxMailer);
    await mailer.send(welcomeEmail("outbox-check@example.com", "Olive"));
    const html = await (await fetch(`${srv.url}/dev/outbox`)).text();
    expect(html).toContain("outbox-check@example.com");
    expect(html).toContain("Welcome to Mind Namo");
  });
});

describe("request logs", () => {
  it("are JSON with a request id, and never carry query strings or cookies", async () => {
    const res = await fetch(`${srv.url}/experts?token=secret-value-123`, {
      headers: { cookie: "sid=cookie-secret-456" },
    });
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // The line is written when the response finishes, which can be just after the client has it.
    await expect.poll(() => srv.logs.find((l) => l.requestId === id), { timeout: 5_000 }).toBeTruthy();
    const line = srv.logs.find((l) => l.requestId === id);
    expect(line).toMatchObject({ msg: "request", method: "GET", path: "/experts", status: 200 });
    const all = JSON.stringify(srv.logs);
    expect(all).not.toContain("secret-value-123");
    expect(all).not.toContain("cookie-secret-456");
  });
});

describe("health", () => {
  it("reports ok, then a database outage", async () => {
    const ok = await fetch(`${srv.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok", database: "ok" });
    // The job queue polls through the same pool: stopped first, as shutdown does, so its next poll cannot land on
    // the ended pool as an unhandled rejection after this test (the health check is what is under test here).
    await srv.running.services.jobs.stop();
    await srv.running.services.db.close();
    const down = await fetch(`${srv.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "error", database: "unavailable" });
  });
});
