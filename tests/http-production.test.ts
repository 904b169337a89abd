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
});
