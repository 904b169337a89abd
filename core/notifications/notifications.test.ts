// Booking notifications with the real pg-boss queue on the test database (PGlite, or the server with
// TEST_DATABASE_URL). "Now" is Tuesday 1 June 2027, 07:00 UTC; the booking is on Thursday 3 June at 09:00 UTC.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory, createExpert } from "../catalog/index.ts";
import { createUser } from "../identity/users.ts";
import { startJobQueue, type JobQueue } from "../platform/jobs/queue.ts";
import { listOutbox, OutboxMailer } from "../platform/mail/index.ts";
import { bookSlot, cancelBooking, rescheduleBooking } from "../scheduling/bookings.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import {
  afterBooked,
  afterCancelled,
  afterRescheduled,
  renderBookingNotice,
  runReminder,
  type BookingNoticeJob,
  type NotificationDeps,
  type ReminderJob,
} from "./bookings.ts";
import { verifyUnsubscribe } from "./unsubscribe.ts";
import { giveHealthConsent } from "../privacy/health-consent.ts";

const NOW = new Date("2027-06-01T07:00:00Z");
const START = new Date("2027-06-03T09:00:00Z");
let t: TestDatabase;
let jobs: JobQueue;
let deps: NotificationDeps;
const outbox = fs.mkdtempSync(path.join(os.tmpdir(), "mn-notify-"));
const mailer = new OutboxMailer(outbox, "test@mindnamo.test");
let seq = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await startJobQueue(t.db, { onError: (e) => console.error(e), supervise: false });
  deps = {
    db: t.db.prisma,
    jobs,
    appUrl: "https://mindnamo.example",
    unsubscribeKey: new Uint8Array(crypto.randomBytes(32)),
    now: () => NOW,
  };
  await createCategory(t.db.prisma, {
    slug: "sleep",
    name: "Sleep",
    description: "Better nights and calmer mornings.",
  });
  await createExpert(t.db.prisma, {
    email: "lena@experts.example",
    name: "Lena Expert",
    slug: "lena",
    headline: "Sleep coach for busy people",
    bio: "Practical, gentle help for better sleep, one step at a time.",
    languages: ["English"],
    timezone: "Europe/London",
    categorySlugs: ["sleep"],
    availability: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 17 * 60 })),
    published: true,
  });
});
afterAll(async () => {
  await jobs?.stop();
  await t?.cleanup();
  fs.rmSync(outbox, { recursive: true, force: true });
});

async function bookedClient(startsAt = START) {
  const n = ++seq;
  const user = await createUser(t.db.prisma, {
    email: `client${n}@example.com`,
    name: `Client ${n}`,
    emailVerified: true,
    timezone: "Asia/Kolkata",
  });
  await giveHealthConsent(t.db.prisma, user.id, "BOOKING");
  const booking = await bookSlot(
    t.db.prisma,
    { userId: user.id },
    { expertSlug: "lena", categorySlug: "sleep", startsAt },
    NOW,
  );
  return { user, booking };
}

type JobRow = { name: string; data: Record<string, unknown>; start_after: Date; singleton_key: string | null };
const jobsFor = async (bookingId: string) =>
  await t.db.sql.query<JobRow>(
    "SELECT name, data, start_after, singleton_key FROM pgboss.job WHERE data::text LIKE $1 ORDER BY start_after",
    [`%${bookingId}%`],
  );
/** Notice jobs carry ids only; each is rendered the way the worker renders it when it runs. */
const mailJobs = async () => {
  const rows = await t.db.sql.query<JobRow>(
    "SELECT name, data, start_after, singleton_key FROM pgboss.job WHERE name = 'booking.notice'",
  );
  const out: Array<{ data: unknown }> = [];
  for (const row of rows) {
    expect(Object.keys(row.data).sort()).toEqual(expect.arrayContaining(["bookingId", "notice", "to"]));
    expect(JSON.stringify(row.data)).not.toMatch(/@|Client|Lena/);
    const message = await renderBookingNotice(deps, row.data as unknown as BookingNoticeJob);
    if (message) out.push({ data: message });
  }
  return out;
};

type QueuedMail = {
  to: string;
  subject: string;
  template: string;
  text: string;
  html: string;
  attachments: { filename: string; content: string }[];
};
const queuedMails = async () => (await mailJobs()).map((j) => j.data as QueuedMail);
const icsOf = (m: QueuedMail) => Buffer.from(m.attachments[0]!.content, "base64").toString("utf8");

describe("discreet booking mail", () => {
  it("is the default: subject and calendar entry say only 'Mind Namo session', no expert, no topic", async () => {
    const { user, booking } = await bookedClient(new Date("2027-06-04T09:00:00Z"));
    await afterBooked(deps, booking.id);
    const mine = (await queuedMails()).find((m) => m.to === user.email && m.template === "booking-confirmation")!;
    expect(mine.subject).toBe("Mind Namo session booked");
    for (const part of [mine.subject, mine.text, mine.html, icsOf(mine)]) {
      expect(part).not.toContain("Lena");
      expect(part).not.toContain("Sleep");
    }
    expect(icsOf(mine)).toMatch(/^SUMMARY:Mind Namo session\r?$/m);
    // The HTML part is branded and its addresses are links.
    expect(mine.html).toContain('<a href="https://mindnamo.example/sessions"');
  });

  it("names the expert and topic only for a person who chose it in their email settings", async () => {
    const { user, booking } = await bookedClient(new Date("2027-06-05T09:00:00Z"));
    await t.db.prisma.user.update({ where: { id: user.id }, data: { emailDetails: true } });
    await afterBooked(deps, booking.id);
    const mine = (await queuedMails()).find((m) => m.to === user.email && m.template === "booking-confirmation")!;
    expect(mine.subject).toBe("Your session with Lena Expert is booked");
    expect(mine.text).toContain("Your Sleep session with Lena Expert is confirmed");
    expect(icsOf(mine)).toMatch(/^SUMMARY:Mind Namo session with Lena Expert\r?$/m);
  });
});

describe("after a booking", () => {
  it("queues the confirmation with a calendar invitation in the user's time zone, a notice to the expert, and two reminders", async () => {
    const { user, booking } = await bookedClient();
    await afterBooked(deps, booking.id);
    const mails = await queuedMails();
    const mine = mails.find((m) => m.to === user.email && m.template === "booking-confirmation");
    expect(mine).toBeTruthy();
    // 09:00 UTC is 14:30 in Kolkata, written in words, never as UTC or an ISO string.
    expect(mine!.text).toContain("14:30");
    expect(mine!.text).toContain("Kolkata time");
    expect(mine!.text).not.toMatch(/UTC|\d{4}-\d{2}-\d{2}/);
    const ics = Buffer.from(mine!.attachments[0]!.content, "base64").toString("utf8");
    expect(ics).toContain("BEGIN:VEVENT");
    expect(ics).toContain("DTSTART:20270603T090000Z");
    expect(ics).toContain(`UID:booking-${booking.id}@mindnamo`);
    const expertMail = mails.find(
      (m) => m.to === "lena@experts.example" && m.template === "booking-confirmation-expert",
    );
    // The expert's own mail is discreet too (their default), and never carries the client's email.
    expect(expertMail?.subject).toBe("Mind Namo session booked");
    expect(expertMail?.text).toContain("A new Mind Namo session with you is booked for");
    // Never the client's full name, email or account id (P17).
    expect(expertMail?.text).not.toContain(user.name);
    expect(expertMail?.text).not.toContain(user.email);
    expect(JSON.stringify(expertMail)).not.toContain(user.id);

    const reminders = (await jobsFor(booking.id)).filter((j) => j.name === "booking.reminder");
    expect(reminders.map((r) => [r.data.kind, new Date(r.start_after).toISOString()])).toEqual([
      ["reminder-24h", "2027-06-02T09:00:00.000Z"],
      ["reminder-1h", "2027-06-03T08:00:00.000Z"],
    ]);
  });
});

describe("reminders", () => {
  const job = (bookingId: string, kind: ReminderJob["kind"], startsAt = START): ReminderJob => ({
    bookingId,
    kind,
    startsAt: startsAt.toISOString(),
  });

  it("go out once, with a one-click unsubscribe link", async () => {
    const { user, booking } = await bookedClient(new Date("2027-06-03T10:00:00Z"));
    const j = job(booking.id, "reminder-24h", booking.startsAt);
    expect(await runReminder(deps, mailer, j)).toBe("sent");
    expect(await runReminder(deps, mailer, j)).toBe("already-sent");
    const sent = (await listOutbox(outbox)).filter((m) => m.to === user.email);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.template).toBe("booking-reminder-24h");
    expect(sent[0]!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const link = new URL(/<(.+)>/.exec(sent[0]!.headers["List-Unsubscribe"]!)![1]!);
    expect(
      verifyUnsubscribe(deps.unsubscribeKey, {
        userId: link.searchParams.get("u")!,
        token: link.searchParams.get("t")!,
      }),
    ).toBe(true);
    expect(verifyUnsubscribe(deps.unsubscribeKey, { userId: "someone-else", token: link.searchParams.get("t")! })).toBe(
      false,
    );
  });

  it("are not sent for a cancelled booking", async () => {
    const { user, booking } = await bookedClient(new Date("2027-06-03T11:00:00Z"));
    await cancelBooking(t.db.prisma, { userId: user.id }, { bookingId: booking.id }, NOW);
    await afterCancelled(deps, booking.id);
    expect(await runReminder(deps, mailer, job(booking.id, "reminder-24h", booking.startsAt))).toBe("stale");
    expect((await listOutbox(outbox)).filter((m) => m.to === user.email)).toHaveLength(0);
    const notices = (await mailJobs())
      .map((j) => j.data as { to: string; template: string })
      .filter((m) => m.template === "booking-cancelled");
    expect(notices.map((m) => m.to).sort()).toEqual([user.email, "lena@experts.example"].sort());
  });

  it("for the old time are not sent after a reschedule; the new time gets its own", async () => {
    const { user, booking } = await bookedClient(new Date("2027-06-03T12:00:00Z"));
    const moved = await rescheduleBooking(
      t.db.prisma,
      { userId: user.id },
      { bookingId: booking.id, newStartsAt: new Date("2027-06-04T12:00:00Z") },
      NOW,
    );
    await afterRescheduled(deps, booking.id, booking.startsAt);
    expect(await runReminder(deps, mailer, job(booking.id, "reminder-24h", booking.startsAt))).toBe("stale");
    const reminders = (await jobsFor(booking.id))
      .filter((j) => j.name === "booking.reminder")
      .map((j) => j.data.startsAt);
    expect(reminders).toContain(moved.startsAt.toISOString());
    expect(await runReminder(deps, mailer, job(booking.id, "reminder-1h", moved.startsAt))).toBe("sent");
  });

  it("respect the user's choice to turn them off", async () => {
    const { user, booking } = await bookedClient(new Date("2027-06-03T13:00:00Z"));
    await t.db.prisma.user.update({ where: { id: user.id }, data: { remindersEnabled: false } });
    expect(await runReminder(deps, mailer, job(booking.id, "reminder-24h", booking.startsAt))).toBe("opted-out");
  });
});
