import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({
    NODE_ENV: "production",
    APP_URL: "https://mindnamo.example",
    SESSION_SECRET: "s".repeat(40),
    MAIL_TRANSPORT: "outbox",
  });
});
afterAll(async () => {
  await srv?.stop();
});

describe("in production", () => {
  it("sends HSTS", async () => {
    const res = await fetch(`${srv.url}/`);
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d{8}; includeSubDomains/);
    expect(res.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("has no outbox page, even with the outbox transport", async () => {
    const res = await fetch(`${srv.url}/dev/outbox`);
    expect(res.status).toBe(404);
  });

  it("accepts a POST from the configured APP_URL origin only", async () => {
    const bad = await fetch(`${srv.url}/admin/api/trpc/system.ping`, {
      method: "POST",
      headers: { origin: "https://mindnamo.example.evil.test", "content-type": "application/json" },
      body: "{}",
    });
    expect(bad.status).toBe(403);
    const good = await fetch(`${srv.url}/admin/api/trpc/system.ping`, {
      method: "POST",
      headers: { origin: "https://mindnamo.example", "content-type": "text/plain" },
      body: "{}",
    });
    expect(good.status).toBe(415);
  });

  it("a form posted from APP_URL through a proxy that rewrote Host is answered, not a 500", async () => {
    // The proxy forwards to the server's own address (the Host the test's fetch sends), not mindnamo.example.
    const res = await fetch(`${srv.url}/forgot-password`, {
      method: "POST",
      headers: {
        origin: "https://mindnamo.example",
        "sec-fetch-site": "same-origin",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ email: "not-an-email" }).toString(),
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("email");
  });
});
