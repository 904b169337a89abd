// The job queue: pg-boss on the product's own PostgreSQL (server or embedded PGlite), not a home-made loop.
// Jobs survive restarts, run with retries, and can start later (reminders). pg-boss 10 declares Node >= 20.
// On PGlite (one connection, one process) pg-boss talks through `executeSql`; on the server through the pool.

export interface SqlRunner {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export type JobHandler<T> = (data: T, job: { id: string; name: string }) => Promise<void>;

export interface JobQueue {
  /** Enqueues a job; `startAfter` delays it; the same `singletonKey` is queued once. */
  send<T extends object>(
    name: string,
    data: T,
    opts?: { startAfter?: Date; singletonKey?: string; retryLimit?: number; expireInSeconds?: number },
  ): Promise<string | null>;
  /**
   * Runs `handler` for each job of `name`, polling every few seconds. `data` is whatever was sent, unchecked: the
   * product's handlers are wired through the job registry (server/jobs.ts), which checks it against the job's
   * schema first. `keepGoing`: after a job, look for the next at once instead of at the next poll (a burst of mail
   * goes out at the pace of the transport). `concurrency`: that many workers in this process, so one slow job does
   * not hold up the others.
   */
  work<T = unknown>(
    name: string,
    handler: JobHandler<T>,
    opts?: { keepGoing?: boolean; concurrency?: number },
  ): Promise<void>;
  /** Makes this process's worker of `name` look for jobs now instead of at its next poll. */
  wake(name: string): void;
  /** How many of `ids` (jobs of `name`) are not finished yet (neither completed nor failed for good). */
  unfinished(name: string, ids: string[]): Promise<number>;
  /**
   * Runs `name` periodically on a cron expression (UTC), through pg-boss's own scheduler: one job per tick for
   * the whole cluster, however many processes run. Only when the queue was started with `schedule: true`.
   */
  schedule(name: string, cron: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Every queue the product uses. Each has one entry in the job registry (server/jobs.ts: payload schema, handler,
 * optional cron); add the name here and the entry there, the type check insists on both.
 */
export const QUEUES = [
  "mail.account",
  "booking.notice",
  "booking.reminder",
  "rooms.settle",
  "newsletter.fanout",
  "newsletter.deliver",
  "privacy.retention",
  "privacy.erase",
  "privacy.escalate",
  "privacy.policy-notice",
  "privacy.policy-notice.deliver",
  "usage.purge",
] as const;
export type QueueName = (typeof QUEUES)[number];

/**
 * Queues nothing sends to any more, removed at start with every job they still hold. `mail.send` carried whole
 * rendered messages (address, text, codes) in clear; account mail is sealed now (mail.account) and other mail is
 * rendered from ids when its job runs.
 */
export const RETIRED_QUEUES = ["mail.send"] as const;

/**
 * How long pg-boss keeps finished jobs (the data map's job-queue entry, core/privacy/datamap.ts, says the same): a
 * completed or failed job moves to pgboss.archive an hour after it finished (pg-boss's default is 12 hours), and
 * the archive is emptied of jobs archived more than 7 days ago. An erasure deletes the person's jobs sooner.
 */
export const FINISHED_JOBS = { archiveCompletedAfterSeconds: 3600, deleteAfterDays: 7 } as const;

/** The started queue, with pg-boss's maintenance callable on demand (tests; the supervisor runs it otherwise). */
export interface StartedJobQueue extends JobQueue {
  /** Expires, archives and deletes finished jobs now, by the periods of FINISHED_JOBS. */
  maintain(): Promise<void>;
}

export async function startJobQueue(
  runner: SqlRunner,
  opts: {
    onError: (error: unknown) => void;
    pollingIntervalSeconds?: number;
    supervise?: boolean;
    schedule?: boolean;
    /** How often the cron ticks are checked (pg-boss's default 30 s; tests make it shorter). */
    cronIntervalSeconds?: number;
  },
): Promise<StartedJobQueue> {
  // Imported here, not at the top: pg-boss and its cron parser take a few hundred ms to load, and the server
  // starts the queue after it listens (server/boot.ts).
  const { default: PgBoss } = await import("pg-boss");
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => runner.executeSql(text, values) },
    schema: "pgboss",
    supervise: opts.supervise ?? true,
    // Maintenance (one instance at a time, under pg-boss's lock) is what hands the job of a process that died
    // mid-send back to the queue once the job's expiry passes; every 10 s instead of 2 minutes bounds how late a
    // crashed instance's mail goes out (docs/scaling.md).
    maintenanceIntervalSeconds: 10,
    ...FINISHED_JOBS,
    // Cron schedules only where asked (the server); tests drive periodic work by calling it directly.
    schedule: opts.schedule ?? false,
    ...(opts.cronIntervalSeconds
      ? { cronMonitorIntervalSeconds: opts.cronIntervalSeconds, cronWorkerIntervalSeconds: opts.cronIntervalSeconds }
      : {}),
  });
  boss.on("error", opts.onError);
  await boss.start();
  for (const name of QUEUES) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name);
  }
  for (const name of RETIRED_QUEUES) {
    if (!(await boss.getQueue(name))) continue;
    // Its jobs in every state first (pg-boss cannot drop a queue whose partition still has rows), then the queue
    // and its partition; archived jobs are in the shared archive table.
    await runner.executeSql("DELETE FROM pgboss.job WHERE name = $1", [name]);
    await runner.executeSql("DELETE FROM pgboss.archive WHERE name = $1", [name]);
    await boss.deleteQueue(name);
  }
  const polling = opts.pollingIntervalSeconds ?? 2;
  const workers = new Map<string, string[]>();
  // pg-boss completes a job without awaiting it, and a worker's fetch may still be running when stop() returns: a
  // job fetched then would be completed on a closed pool. So after stop begins no handler runs (the job fails back
  // to the queue, for another instance or the next start), and stop() waits for running handlers and a short grace
  // for a last fetch before the caller closes the database.
  let stopping = false;
  let running = 0;
  return {
    async send(name, data, o = {}) {
      return boss.send(name, data, {
        startAfter: o.startAfter,
        singletonKey: o.singletonKey,
        retryLimit: o.retryLimit ?? 5,
        retryBackoff: true,
        ...(o.expireInSeconds ? { expireInSeconds: o.expireInSeconds } : {}),
      });
    },
    async work<T>(name: string, handler: JobHandler<T>, o: { keepGoing?: boolean; concurrency?: number } = {}) {
      const ids: string[] = workers.get(name) ?? [];
      for (let n = 0; n < (o.concurrency ?? 1); n++) {
        const id: string = await boss.work<T>(name, { pollingIntervalSeconds: polling, batchSize: 1 }, async (jobs) => {
          if (stopping) throw new Error("the queue is stopping");
          running++;
          try {
            for (const job of jobs) await handler(job.data, { id: job.id, name: job.name });
          } finally {
            running--;
          }
          if (o.keepGoing && !stopping) boss.notifyWorker(id);
        });
        ids.push(id);
      }
      workers.set(name, ids);
    },
    wake(name) {
      if (stopping) return;
      // Every worker of the queue: the idle ones fetch at once, a busy one fetches again as soon as it is done.
      for (const id of workers.get(name) ?? []) boss.notifyWorker(id);
    },
    async unfinished(name, ids) {
      if (ids.length === 0) return 0;
      const { rows } = await runner.executeSql(
        "SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND id = ANY($2::uuid[]) AND state < 'completed'",
        [name, ids],
      );
      return (rows[0] as { n: number }).n;
    },
    async schedule(name, cron) {
      await boss.schedule(name, cron, {}, { tz: "UTC", retryLimit: 2 });
    },
    async maintain() {
      await boss.maintain();
    },
    async stop() {
      stopping = true;
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      const until = Date.now() + 10_000;
      while (running > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));
    },
  };
}

/**
 * A JobQueue usable before the queue has started: each call waits for `started`. The server starts pg-boss while
 * it begins to listen (a page does not need the queue), and hands this to everything that queues work.
 */
export function jobQueueWhenReady(started: Promise<JobQueue>): JobQueue {
  return {
    send: async (name, data, opts) => (await started).send(name, data, opts),
    work: async (name, handler, opts) => (await started).work(name, handler, opts),
    wake: (name) => void started.then((q) => q.wake(name)).catch(() => undefined),
    unfinished: async (name, ids) => (await started).unfinished(name, ids),
    schedule: async (name, cron) => (await started).schedule(name, cron),
    stop: async () => {
      const q = await started.catch(() => undefined);
      await q?.stop();
    },
  };
}
