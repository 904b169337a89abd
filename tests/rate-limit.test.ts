import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../core/platform/db/client.ts";
import { DomainError } from "../core/errors/index.ts";
import crypto from "node:crypto";
import { createRateLimiter, rateLimitKeyOf } from "../core/platform/rate-limit.ts";
import { createTestDatabase, serverTestUrl, type TestDatabase } from "../core/platform/testing/db.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.cleanup();
});

const policy = { points: 3, duration: 60, message: "Slow down, please." };

describe("rate limiter (counters in PostgreSQL)", () => {
  it("allows the policy's points, then refuses with a clear message and a retry time", async () => {
    const key = new Uint8Array(crypto.randomBytes(32));
    const limiter = createRateLimiter(t.db.prisma, { "mail:recipient": policy }, key);
    for (let i = 0; i < 3; i++) await limiter.consume("mail:recipient", "ada@example.com");
    const error = await limiter.consume("mail:recipient", "ada@example.com").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "RATE_LIMITED", message: "Slow down, please." });
    expect((error as DomainError).details?.retryAfterSeconds).toBeGreaterThan(0);
    // Another key is counted on its own.
    await limiter.consume("mail:recipient", "bob@example.com");
    // The counter lives in the database table, under a keyed hash of the address: never the address itself.
    const rows = await t.db.prisma.rateLimiterFlexible.findMany({ where: { key: { startsWith: "mail:recipient" } } });
    expect(rows.map((r) => r.key).sort()).toEqual(
      [
        rateLimitKeyOf(key, "mail:recipient", "ada@example.com"),
        rateLimitKeyOf(key, "mail:recipient", "bob@example.com"),
      ].sort(),
    );
    // Only the hash after the policy's name: hex digits can spell "ada" by chance, so the shape is checked instead.
    for (const row of rows) expect(row.key).toMatch(/^mail:recipient:[0-9a-f]{40}$/);
  });

  it("counts parallel attempts exactly", async () => {
    const limiter = createRateLimiter(t.db.prisma, { "secret:account": policy });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => limiter.consume("secret:account", "acct-1")),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
  });

  it("reset clears a key", async () => {
    const limiter = createRateLimiter(t.db.prisma, { "secret:ip": policy });
    for (let i = 0; i < 3; i++) await limiter.consume("secret:ip", "10.0.0.1");
    await limiter.reset("secret:ip", "10.0.0.1");
    await expect(limiter.consume("secret:ip", "10.0.0.1")).resolves.toBeUndefined();
  });

  it.skipIf(!serverTestUrl())("is shared by several app processes on one server", async () => {
    const other = await openDatabase({ kind: "server", url: t.url! });
    try {
      const key = new Uint8Array(crypto.randomBytes(32));
      const a = createRateLimiter(t.db.prisma, { "mail:ip": policy }, key);
      const b = createRateLimiter(other.prisma, { "mail:ip": policy }, key);
      await a.consume("mail:ip", "198.51.100.7");
      await b.consume("mail:ip", "198.51.100.7");
      await a.consume("mail:ip", "198.51.100.7");
      await expect(b.consume("mail:ip", "198.51.100.7")).rejects.toMatchObject({ code: "RATE_LIMITED" });
    } finally {
      await other.close();
    }
  });
});

describe("HTTP rate limit", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it("answers 429 with a clear message once an IP sends too many state-changing requests", async () => {
    const post = () =>
      fetch(`${srv.url}/admin/api/trpc/system.ping`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "{}",
      });
    for (let i = 0; i < 120; i++) expect((await post()).status).toBe(415);
    const res = await post();
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await res.text()).toContain("Too many requests from your network");
    // Reading stays possible.
    expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
  });
});
