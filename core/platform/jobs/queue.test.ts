// How long finished jobs stay, as the data map's job-queue entry promises: archived an hour after they finished,
// deleted from the archive 7 days later (pg-boss's own maintenance, run on demand here). A retired queue (mail.send,
// whose jobs carried whole messages in clear) is removed at start with its queued and archived jobs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/db.ts";
import { OUTSIDE_STORES } from "../../privacy/datamap.ts";
import { FINISHED_JOBS, QUEUES, RETIRED_QUEUES, startJobQueue, type StartedJobQueue } from "./queue.ts";

let t: TestDatabase;
let jobs: StartedJobQueue;

beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await startJobQueue(t.db, { onError: () => undefined, supervise: false, pollingIntervalSeconds: 0.5 });
}, 120_000);
afterAll(async () => {
  await jobs?.stop();
  await t?.cleanup();
});

const where = async (id: string) => {
  const [inJob, inArchive] = await Promise.all(
    ["job", "archive"].map(
      async (table) =>
        (await t.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.${table} WHERE id = $1`, [id]))[0]!
          .n,
    ),
  );
  return inJob ? "job" : inArchive ? "archive" : "gone";
};

describe("finished jobs", () => {
  it("are archived an hour after they finished and deleted from the archive 7 days later", async () => {
    const old = (await jobs.send("rooms.settle", {}))!;
    const recent = (await jobs.send("rooms.settle", {}))!;
    await jobs.work("rooms.settle", () => Promise.resolve());
    await expect
      .poll(async () => jobs.unfinished("rooms.settle", [old, recent]), { timeout: 20_000, interval: 100 })
      .toBe(0);

    const finishedAgo = (id: string, minutes: number) =>
      t.db.sql.query(`UPDATE pgboss.job SET completed_on = now() - make_interval(mins => $2) WHERE id = $1`, [
        id,
        minutes,
      ]);
    await finishedAgo(old, 61);
    await finishedAgo(recent, 59);
    await jobs.maintain();
    expect([await where(old), await where(recent)]).toEqual(["archive", "job"]);

    await t.db.sql.query(
      `UPDATE pgboss.archive SET archived_on = now() - interval '7 days' - interval '1 minute' WHERE id = $1`,
      [old],
    );
    await jobs.maintain();
    expect(await where(old)).toBe("gone");

    // The data map says the same periods.
    expect(FINISHED_JOBS).toEqual({ archiveCompletedAfterSeconds: 3600, deleteAfterDays: 7 });
    expect(OUTSIDE_STORES.find((s) => s.name.startsWith("Job queue"))?.retention).toMatch(
      /archived after 1 hour and deleted 7 days later/,
    );
  });
});

describe("retired queues", () => {
  it("mail.send is removed at start with its queued and archived jobs; nothing else is touched", async () => {
    expect(RETIRED_QUEUES).toEqual(["mail.send"]);
    expect(QUEUES).not.toContain("mail.send");
    // A database an earlier version left: the queue, a waiting message and an archived one, in clear.
    const q = await startJobQueue(t.db, { onError: () => undefined, supervise: false });
    await t.db.sql.query("SELECT pgboss.create_queue('mail.send', '{}'::json)");
    const message = { to: "old@example.test", subject: "Your code", text: "12345678", html: "", template: "code" };
    const waiting = (await q.send("mail.send", message))!;
    const archived = (await q.send("mail.send", message))!;
    const columns =
      "id, name, priority, data, state, retry_limit, retry_count, retry_delay, retry_backoff, start_after, " +
      "started_on, singleton_key, singleton_on, expire_in, created_on, completed_on, keep_until, dead_letter, policy, output";
    await t.db.sql.query(`INSERT INTO pgboss.archive (${columns}) SELECT ${columns} FROM pgboss.job WHERE id = $1`, [
      archived,
    ]);
    await t.db.sql.query("DELETE FROM pgboss.job WHERE id = $1", [archived]);
    const other = (await q.send("rooms.settle", {}))!;
    await q.stop();

    const restarted = await startJobQueue(t.db, { onError: () => undefined, supervise: false });
    try {
      const count = async (sql: string) => (await t.db.sql.query<{ n: number }>(sql))[0]!.n;
      expect(await count("SELECT count(*)::int AS n FROM pgboss.queue WHERE name = 'mail.send'")).toBe(0);
      expect(await count("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send'")).toBe(0);
      expect(await count("SELECT count(*)::int AS n FROM pgboss.archive WHERE name = 'mail.send'")).toBe(0);
      expect([await where(waiting), await where(archived), await where(other)]).toEqual(["gone", "gone", "job"]);
    } finally {
      await restarted.stop();
    }
  });
});
