// Anonymous usage metrics against a real database (privacy promises P6, P16): what a batch may contain, what is
// stored (never a user id, an IP, an email or a cookie), the report admins see, and the 90-day purge (with a clock).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { cleanPath, parseUsageBatch, purgeUsage, recordUsage, usageReport, USAGE_RETENTION_DAYS } from "./usage.ts";

let t: TestDatabase;
const db = () => t.db.prisma;
const NOW = new Date("2027-05-01T10:00:00Z");
const DAY = 86_400_000;
const VISIT = "0b7f3a2e-5c1d-4e8f-9a6b-1c2d3e4f5a6b";

beforeAll(async () => {
  t = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

describe("usage beacon store", () => {
  it("strips query strings and fragments, turns id-like segments into :id, refuses what is not a path", () => {
    expect(cleanPath("/experts?category=sleep&email=a@b.c#top")).toBe("/experts");
    expect(cleanPath("http://localhost:3000/privacy?x=1")).toBe("/privacy");
    expect(cleanPath("/sessions/0192f3a4-5b6c-7d8e-9f01-23456789abcd/review")).toBe("/sessions/:id/review");
    expect(cleanPath("/unsubscribe/eyJ1IjoiYWJjMTIzNDU2Nzg5In0")).toBe("/unsubscribe/:id");
    expect(cleanPath("/experts/maya-rao")).toBe("/experts/maya-rao");
    expect(cleanPath("//evil.example/x")).toBeNull();
    expect(cleanPath("javascript:alert(1)")).toBeNull();
  });

  it("accepts only the documented fields: a visit id, paths, kinds, a data-track name and a duration", () => {
    expect(parseUsageBatch("not json")).toBeNull();
    expect(parseUsageBatch({ visitId: "short", events: [{ kind: "view", path: "/" }] })).toBeNull();
    expect(parseUsageBatch({ visitId: VISIT, events: [] })).toBeNull();
    expect(parseUsageBatch({ visitId: VISIT, events: [{ kind: "click", path: "/", target: "<script>" }] })).toBeNull();
    expect(parseUsageBatch({ visitId: VISIT, events: [{ kind: "leave", path: "/", ms: -5 }] })).toBeNull();
    expect(
      parseUsageBatch({ visitId: VISIT, events: Array.from({ length: 51 }, () => ({ kind: "view", path: "/" })) }),
    ).toBeNull();
    // Extra fields (a user id, an email) are dropped by the schema, never stored.
    const batch = parseUsageBatch(
      JSON.stringify({
        visitId: VISIT,
        userId: "u-123",
        email: "x@example.com",
        events: [{ kind: "view", path: "/?q=1", from: "/experts?x=2", ip: "203.0.113.1" }],
      }),
    );
    expect(batch).toEqual({ visitId: VISIT, events: [{ kind: "view", path: "/", from: "/experts" }] });
  });

  it("stores visit id, path, kind, target, ms and the server's time, and nothing else (no user id, no IP)", async () => {
    const batch = parseUsageBatch({
      visitId: VISIT,
      events: [
        { kind: "view", path: "/experts", from: "/" },
        { kind: "click", path: "/experts", target: "book-from-profile" },
        { kind: "leave", path: "/experts", ms: 12_345 },
      ],
    })!;
    expect(await recordUsage(db(), batch, NOW)).toBe(3);
    const rows = await t.db.sql.query<Record<string, unknown>>(`SELECT * FROM "UsageEvent" ORDER BY "kind"`);
    expect(Object.keys(rows[0]!).sort()).toEqual(["at", "id", "kind", "ms", "path", "target", "visitId"]);
    expect(rows.map((r) => [r.kind, r.path, r.target, r.ms, r.visitId])).toEqual([
      ["VIEW", "/experts", "/", null, VISIT],
      ["LEAVE", "/experts", null, 12_345, VISIT],
      ["CLICK", "/experts", "book-from-profile", null, VISIT],
    ]);
  });

  it("reports top pages, time on page, flows and clicks", async () => {
    await db().usageEvent.deleteMany({});
    const v = (n: number) => `visit-${String(n).padStart(12, "0")}`;
    for (let i = 0; i < 3; i++) {
      await recordUsage(
        db(),
        parseUsageBatch({
          visitId: v(i),
          events: [
            { kind: "view", path: "/" },
            { kind: "view", path: "/experts", from: "/" },
            { kind: "leave", path: "/experts", ms: 10_000 * (i + 1) },
          ],
        })!,
        NOW,
      );
    }
    await recordUsage(
      db(),
      parseUsageBatch({
        visitId: v(9),
        events: [
          { kind: "view", path: "/privacy", from: "/" },
          { kind: "click", path: "/privacy", target: "contact-dpo" },
        ],
      })!,
      NOW,
    );
    const r = await usageReport(db(), { days: 30 }, NOW);
    expect(r.visits).toBe(4);
    const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
    expect([...r.topPages].sort(byPath)).toEqual([
      { path: "/", views: 3 },
      { path: "/experts", views: 3 },
      { path: "/privacy", views: 1 },
    ]);
    expect(r.topPages.at(-1)).toEqual({ path: "/privacy", views: 1 });
    expect(r.timeOnPage).toEqual([{ path: "/experts", measured: 3, averageSeconds: 20 }]);
    expect(r.topFlows).toEqual([
      { from: "/", to: "/experts", count: 3 },
      { from: "/", to: "/privacy", count: 1 },
    ]);
    expect(r.topClicks).toEqual([{ target: "contact-dpo", count: 1 }]);
  });

  it(`purges events older than ${USAGE_RETENTION_DAYS} days, keeps the rest`, async () => {
    await db().usageEvent.deleteMany({});
    const one = (visitId: string) => parseUsageBatch({ visitId, events: [{ kind: "view", path: "/" }] })!;
    await recordUsage(db(), one("old-visit-0000000001"), new Date(NOW.getTime() - 91 * DAY));
    await recordUsage(db(), one("edge-visit-000000001"), new Date(NOW.getTime() - 90 * DAY + 1000));
    await recordUsage(db(), one("new-visit-0000000001"), new Date(NOW.getTime() - 1 * DAY));
    expect(await purgeUsage(db(), NOW)).toBe(1);
    expect(
      (await db().usageEvent.findMany({ select: { visitId: true }, orderBy: { visitId: "asc" } })).map(
        (r) => r.visitId,
      ),
    ).toEqual(["edge-visit-000000001", "new-visit-0000000001"]);
    // A day later the edge one goes too.
    expect(await purgeUsage(db(), new Date(NOW.getTime() + DAY))).toBe(1);
  });
});
