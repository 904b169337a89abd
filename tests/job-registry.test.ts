// The job registry (server/jobs.ts): every queue has a handler, the recurring ones are scheduled, and a payload is
// checked against its schema before its handler runs (a malformed one is logged by path, never run).
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import type { JobHandler, JobQueue } from "../core/platform/jobs/queue.ts";
import { QUEUES } from "../core/platform/jobs/queue.ts";
import { sealMail } from "../core/platform/mail/sealed.ts";
import type { Services } from "../core/platform/services.ts";
import { JOBS, RECURRING_JOBS, wireJobs } from "../server/jobs.ts";

function fakeQueue() {
  const handlers = new Map<string, JobHandler<unknown>>();
  const schedules = new Map<string, string>();
  const queue: JobQueue = {
    send: () => Promise.resolve(null),
    work: <T>(name: string, handler: JobHandler<T>) => {
      handlers.set(name, handler as JobHandler<unknown>);
      return Promise.resolve();
    },
    schedule: (name, cron) => {
      schedules.set(name, cron);
      return Promise.resolve();
    },
    stop: () => Promise.resolve(),
    wake: () => {},
    unfinished: () => Promise.resolve(0),
  };
  return { queue, handlers, schedules };
}

const mailJobKey = new Uint8Array(crypto.randomBytes(32));

function fakeServices() {
  const logged: Record<string, unknown>[] = [];
  const sent: unknown[] = [];
  const services = {
    // The PostgreSQL server's kind: every queue is worked there (embedded PGlite sends account mail in-process).
    db: { kind: "server" },
    secrets: { mailJobKey },
    logger: { error: (o: Record<string, unknown>) => logged.push(o), info: () => {} },
    mailer: {
      transport: "outbox",
      send: (message: unknown) => {
        sent.push(message);
        return Promise.resolve({ id: "1", transport: "outbox" });
      },
    },
  } as unknown as Services;
  return { services, logged, sent };
}

describe("job registry", () => {
  it("wires a handler for every queue and schedules exactly the recurring jobs", async () => {
    const { queue, handlers, schedules } = fakeQueue();
    await wireJobs(queue, fakeServices().services);
    expect([...handlers.keys()].sort()).toEqual([...QUEUES].sort());
    expect(Object.fromEntries(schedules)).toEqual(RECURRING_JOBS);
    expect(Object.keys(JOBS).sort()).toEqual([...QUEUES].sort());
  });

  it("runs a handler only with a payload its schema accepts; a malformed one is logged by path and dropped", async () => {
    const { queue, handlers } = fakeQueue();
    const { services, logged, sent } = fakeServices();
    await wireJobs(queue, services);
    const mail = handlers.get("mail.account")!;
    const job = { id: "j1", name: "mail.account" };
    const message = { to: "a@example.test", subject: "s", text: "t", html: "<p>t</p>", template: "test" };
    await mail(sealMail(mailJobKey, new Uint8Array(32), message), job);
    expect(sent).toEqual([message]);
    // A whole message in clear, as the retired mail.send carried it, is not a sealed job: refused, never sent.
    await mail(message, job);
    expect(sent).toHaveLength(1);
    expect(logged).toEqual([
      expect.objectContaining({ msg: "job payload refused", job: "mail.account", issues: expect.any(Array) }),
    ]);
    // Paths and codes only: nothing of the payload's values reaches the log.
    expect(JSON.stringify(logged)).not.toContain("a@example.test");
  });
});
