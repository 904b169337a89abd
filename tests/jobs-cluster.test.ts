// Recurring jobs fire once per tick however many instances run: two job queues with the scheduler on (as every
// server instance has) share one PostgreSQL database and one every-minute schedule; each minute's tick must
// become exactly one job. pg-boss takes a cron lock in the database and queues each tick under a singleton key.
// The cron check runs every second here (30 s in the product) so the test waits seconds, not minutes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../core/platform/db/client.ts";
import { startJobQueue, type JobQueue } from "../core/platform/jobs/queue.ts";
import { createTestDatabase, serverTestUrl, type TestDatabase } from "../core/platform/testing/db.ts";

const onServer = Boolean(serverTestUrl());
let database: TestDatabase;
let secondDb: Database;
const queues: JobQueue[] = [];
const errors: unknown[] = [];

beforeAll(async () => {
  if (!onServer) return;
  database = await createTestDatabase({ migrate: false });
  secondDb = await openDatabase({ kind: "server", url: database.url! });
  // One after the other: the first creates pg-boss's schema.
  for (const db of [database.db, secondDb])
    queues.push(await startJobQueue(db, { schedule: true, cronIntervalSeconds: 1, onError: (e) => errors.push(e) }));
}, 60_000);

afterAll(async () => {
  for (const q of queues) await q.stop();
  await secondDb?.close();
  await database?.cleanup();
});

describe.skipIf(!onServer)("recurring jobs with two instances on one database", () => {
  it("each tick of a schedule becomes one job, not one per instance", async () => {
    // No worker for this queue here: its jobs stay in the table to be counted.
    for (const q of queues) await q.schedule("usage.purge", "* * * * *");
    const started = Date.now();
    let rows: { minute: string; n: number }[] = [];
    // Both schedulers check every second; give them several checks each after the first job appears.
    while (Date.now() - started < 15_000) {
      await new Promise((r) => setTimeout(r, 500));
      rows = (
        await database.db.executeSql(
          `SELECT date_trunc('minute', created_on)::text AS minute, count(*)::int AS n
             FROM pgboss.job WHERE name = 'usage.purge' GROUP BY 1 ORDER BY 1`,
        )
      ).rows as typeof rows;
      if (rows.length > 0 && Date.now() - started > 5_000) break;
    }
    console.log(`usage.purge jobs per minute: ${JSON.stringify(rows)}`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.n, row.minute).toBe(1);
    expect(errors).toEqual([]);
  }, 30_000);
});
