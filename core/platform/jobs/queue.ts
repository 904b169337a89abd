// The job queue: pg-boss on the product's own PostgreSQL (server or embedded PGlite), not a home-made loop.
// Jobs survive restarts, run with retries, and can start later (reminders). pg-boss 10 declares Node >= 20.
// On PGlite (one connection, one process) pg-boss talks through `executeSql`; on the server through the pool.
import PgBoss from "pg-boss";

export interface SqlRunner {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export type JobHandler<T> = (data: T, job: { id: string; name: string }) => Promise<void>;

export interface JobQueue {
  /** Enqueues a job; `startAfter` delays it; the same `singletonKey` is queued once. */
  send<T extends object>(
    name: string,
    data: T,
    opts?: { startAfter?: Date; singletonKey?: string; retryLimit?: number },
  ): Promise<string | null>;
  /**
   * Runs `handler` for each job of `name`. `data` is whatever was sent, unchecked: the product's handlers are
   * wired through the job registry (server/jobs.ts), which checks it against the job's schema first.
   */
  work<T = unknown>(name: string, handler: JobHandler<T>): Promise<void>;
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
  "mail.send",
  "booking.notice",
  "booking.reminder",
  "rooms.settle",
  "newsletter.fanout",
  "newsletter.deliver",
  "privacy.retention",
  "privacy.erase",
  "privacy.policy-notice",
  "privacy.policy-notice.deliver",
  "usage.purge",
] as const;
export type QueueName = (typeof QUEUES)[number];

export async function startJobQueue(
  runner: SqlRunner,
  opts: { onError: (error: unknown) => void; pollingIntervalSeconds?: number; supervise?: boolean; schedule?: boolean },
): Promise<JobQueue> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => runner.executeSql(text, values) },
    schema: "pgboss",
    supervise: opts.supervise ?? true,
    // Cron schedules only where asked (the server); tests drive periodic work by calling it directly.
    schedule: opts.schedule ?? false,
  });
  boss.on("error", opts.onError);
  await boss.start();
  for (const name of QUEUES) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name);
  }
  const polling = opts.pollingIntervalSeconds ?? 2;
  return {
    async send(name, data, o = {}) {
      return boss.send(name, data, {
        startAfter: o.startAfter,
        singletonKey: o.singletonKey,
        retryLimit: o.retryLimit ?? 5,
        retryBackoff: true,
      });
    },
    async work<T>(name: string, handler: JobHandler<T>) {
      await boss.work<T>(name, { pollingIntervalSeconds: polling, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) await handler(job.data, { id: job.id, name: job.name });
      });
    },
    async schedule(name, cron) {
      await boss.schedule(name, cron, {}, { tz: "UTC", retryLimit: 2 });
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
