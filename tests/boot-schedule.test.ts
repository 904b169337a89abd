// The server schedules every recurring job at start, with its interval, through pg-boss (one job per tick for the
// whole cluster): settling ended sessions, retention (which enforces every time-bound period of the data map), the
// erasure sweep and the usage purge. The intervals are written out here, so a changed or dropped schedule fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RETENTION_PERIODS } from "../core/privacy/datamap.ts";
import { RECURRING_JOBS } from "../server/jobs.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

describe("recurring jobs", () => {
  it("every recurring job is scheduled in pg-boss with its interval at boot", async () => {
    const rows = await srv.running.services.db.sql.query<{ name: string; cron: string; timezone: string | null }>(
      "SELECT name, cron, timezone FROM pgboss.schedule ORDER BY name",
    );
    expect(rows.map((r) => [r.name, r.cron])).toEqual([
      ["privacy.erase", "*/15 * * * *"],
      ["privacy.retention", "23 * * * *"],
      ["rooms.settle", "*/5 * * * *"],
      ["usage.purge", "41 3 * * *"],
    ]);
    expect(rows.every((r) => r.timezone === "UTC")).toBe(true);
    expect(Object.keys(RECURRING_JOBS).sort()).toEqual(rows.map((r) => r.name));
  });

  it("every job the data map says enforces a retention period is one of them", () => {
    const named = new Set(
      Object.values(RETENTION_PERIODS).flatMap((p) =>
        [...p.enforcedBy.matchAll(/([a-z]+\.[a-z]+) \(/g)].map((m) => m[1]!),
      ),
    );
    expect([...named].filter((job) => !(job in RECURRING_JOBS))).toEqual([]);
    expect(named.size).toBeGreaterThanOrEqual(3);
  });
});
