// What happens around a booking besides the booking itself (privacy promise P13): the confirmation with its
// calendar invitation, reminders 24 h and 1 h before, and notices of cancellation and reschedule — all through
// the pg-boss queue (retries, survives restarts). A reminder job carries the start time it was made for; when it
// runs it checks the booking is still confirmed at that time, so a cancelled or moved booking never gets a stale
// reminder, and a BookingNotification row makes each reminder go out once. Job payloads carry ids only (a booking
// id, who it is for, which notice): the mail is rendered from the database when the job runs, so the queue never
// holds a name, an address or a text, and a person erased meanwhile is not written to at all.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { isUniqueViolation } from "../errors/index.ts";
import type { JobQueue } from "../platform/jobs/queue.ts";
import type { Mailer, MailMessage } from "../platform/mail/index.ts";
import {
  bookingCancelled,
  bookingConfirmation,
  bookingReminder,
  bookingRescheduled,
  type BookingMailData,
} from "./booking-mail.ts";
import { unsubscribeUrl } from "./unsubscribe.ts";
import { firstName } from "../privacy/minimise.ts";

export interface NotificationDeps {
  db: PrismaClient;
  jobs: JobQueue;
  appUrl: string;
  /** Keys the one-click unsubscribe links. */
  unsubscribeKey: Uint8Array;
  now?: () => Date;
}

export const REMINDERS = [
  { kind: "reminder-24h", before: 24 * 60 * 60_000, label: "24h" },
  { kind: "reminder-1h", before: 60 * 60_000, label: "1h" },
] as const;
export type ReminderKind = (typeof REMINDERS)[number]["kind"];

export interface ReminderJob {
  bookingId: string;
  kind: ReminderKind;
  /** ISO start time the reminder was scheduled for. */
  startsAt: string;
}

async function loadBooking(db: PrismaClient, bookingId: string) {
  return db.booking.findUnique({
    where: { id: bookingId },
    select: {
      id: true,
      startsAt: true,
      endsAt: true,
      status: true,
      cancelledBy: true,
      rescheduleCount: true,
      user: {
        select: { id: true, email: true, name: true, timezone: true, remindersEnabled: true, emailDetails: true },
      },
      expert: { select: { timezone: true, user: { select: { email: true, name: true, emailDetails: true } } } },
      category: { select: { name: true } },
    },
  });
}
type LoadedBooking = NonNullable<Awaited<ReturnType<typeof loadBooking>>>;

const mailData = (b: LoadedBooking): BookingMailData => ({
  id: b.id,
  startsAt: b.startsAt,
  endsAt: b.endsAt,
  expertName: b.expert.user.name,
  // The expert's copy names the client by first name only (P17); the client's own copy needs no more.
  clientName: firstName(b.user.name),
  categoryName: b.category.name,
  sequence: b.rescheduleCount + (b.status === "CANCELLED" ? 1 : 0),
});

// The two readers of a booking's emails, each in their own zone and with their own choice of detail.
const client = (b: LoadedBooking) => ({ tz: b.user.timezone, details: b.user.emailDetails });
const expertReader = (b: LoadedBooking) => ({ tz: b.expert.timezone, details: b.expert.user.emailDetails });

/** A notice about a booking, rendered when the job runs (queue "booking.notice"). */
export interface BookingNoticeJob {
  bookingId: string;
  notice: "confirmed" | "cancelled" | "rescheduled";
  to: "client" | "expert";
  /** rescheduled: the previous start time (ISO). */
  previousStart?: string;
}

const queueNotice = (deps: NotificationDeps, job: BookingNoticeJob) => deps.jobs.send("booking.notice", job);

/** Addresses of erased accounts ("Former client", "Former expert") receive nothing. */
const ERASED_DOMAIN = "@erased.invalid";

/**
 * The mail a notice job stands for, from the booking as it is now; null when there is nothing to send (the
 * booking is gone, its state no longer matches the notice, or the recipient was erased).
 */
export async function renderBookingNotice(
  deps: Pick<NotificationDeps, "db" | "appUrl">,
  job: BookingNoticeJob,
): Promise<MailMessage | null> {
  const b = await loadBooking(deps.db, job.bookingId);
  if (!b) return null;
  const recipient =
    job.to === "client"
      ? { email: b.user.email, reader: client(b) }
      : { email: b.expert.user.email, reader: expertReader(b) };
  if (recipient.email.endsWith(ERASED_DOMAIN)) return null;
  const byUser = b.cancelledBy === "USER";
  const byExpert = b.cancelledBy === "EXPERT";
  switch (job.notice) {
    case "confirmed":
      return bookingConfirmation(
        recipient.email,
        recipient.reader,
        mailData(b),
        deps.appUrl,
        ...(job.to === "expert" ? (["expert"] as const) : []),
      );
    case "cancelled":
      if (b.status !== "CANCELLED") return null;
      return bookingCancelled(
        recipient.email,
        recipient.reader,
        mailData(b),
        job.to === "client"
          ? byUser
            ? "you"
            : byExpert
              ? "the expert"
              : "our team"
          : byExpert
            ? "you"
            : byUser
              ? "the client"
              : "our team",
        deps.appUrl,
      );
    case "rescheduled":
      if (b.status !== "CONFIRMED" || !job.previousStart) return null;
      return bookingRescheduled(
        recipient.email,
        recipient.reader,
        mailData(b),
        new Date(job.previousStart),
        deps.appUrl,
      );
  }
}

/** Runs a notice job: renders it now and sends it (a failure throws, and the job's retry sends it). */
export async function runBookingNotice(
  deps: Pick<NotificationDeps, "db" | "appUrl">,
  mailer: Mailer,
  job: BookingNoticeJob,
): Promise<"sent" | "skipped"> {
  const message = await renderBookingNotice(deps, job);
  if (!message) return "skipped";
  await mailer.send(message);
  return "sent";
}

async function scheduleReminders(deps: NotificationDeps, b: LoadedBooking) {
  const now = deps.now?.() ?? new Date();
  for (const r of REMINDERS) {
    const at = new Date(b.startsAt.getTime() - r.before);
    if (at <= now) continue; // booked inside the window: that reminder has no point
    const data: ReminderJob = { bookingId: b.id, kind: r.kind, startsAt: b.startsAt.toISOString() };
    await deps.jobs.send("booking.reminder", data, {
      startAfter: at,
      singletonKey: `${b.id}:${r.kind}:${data.startsAt}`,
    });
  }
}

/** After a booking is made: the confirmation (with .ics) to the user, a notice to the expert, reminders. */
export async function afterBooked(deps: NotificationDeps, bookingId: string): Promise<void> {
  const b = await loadBooking(deps.db, bookingId);
  if (!b) return;
  await queueNotice(deps, { bookingId, notice: "confirmed", to: "client" });
  await queueNotice(deps, { bookingId, notice: "confirmed", to: "expert" });
  await scheduleReminders(deps, b);
}

/** After a cancellation: both people are told (the canceller gets a confirmation of it). */
export async function afterCancelled(deps: NotificationDeps, bookingId: string): Promise<void> {
  const b = await loadBooking(deps.db, bookingId);
  if (!b || b.status !== "CANCELLED") return;
  await queueNotice(deps, { bookingId, notice: "cancelled", to: "client" });
  await queueNotice(deps, { bookingId, notice: "cancelled", to: "expert" });
}

/** After a reschedule: both people get the new time and an updated invitation; new reminders are scheduled. */
export async function afterRescheduled(deps: NotificationDeps, bookingId: string, previousStart: Date): Promise<void> {
  const b = await loadBooking(deps.db, bookingId);
  if (!b || b.status !== "CONFIRMED") return;
  const previous = previousStart.toISOString();
  await queueNotice(deps, { bookingId, notice: "rescheduled", to: "client", previousStart: previous });
  await queueNotice(deps, { bookingId, notice: "rescheduled", to: "expert", previousStart: previous });
  await scheduleReminders(deps, b);
}

/**
 * Runs a reminder job: skipped when the booking is gone, cancelled, moved, already started, or the user turned
 * reminders off; sent at most once per booking, kind and start time. The mail is sent inside the transaction
 * that records it: if sending fails, nothing is recorded and the job's retry sends it.
 */
export async function runReminder(
  deps: Pick<NotificationDeps, "db" | "appUrl" | "unsubscribeKey" | "now">,
  mailer: Mailer,
  job: ReminderJob,
): Promise<"sent" | "stale" | "opted-out" | "already-sent"> {
  const now = deps.now?.() ?? new Date();
  const b = await loadBooking(deps.db, job.bookingId);
  if (!b || b.status !== "CONFIRMED" || b.startsAt.toISOString() !== job.startsAt || b.startsAt <= now) return "stale";
  if (!b.user.remindersEnabled) return "opted-out";
  if (b.user.email.endsWith(ERASED_DOMAIN)) return "stale";
  const reminder = REMINDERS.find((r) => r.kind === job.kind);
  if (!reminder) return "stale";
  try {
    await deps.db.$transaction(async (tx) => {
      await tx.bookingNotification.create({ data: { bookingId: b.id, kind: job.kind, startsAt: b.startsAt } });
      await mailer.send(
        bookingReminder(
          b.user.email,
          client(b),
          mailData(b),
          reminder.label,
          deps.appUrl,
          unsubscribeUrl(deps.appUrl, deps.unsubscribeKey, { userId: b.user.id }),
        ),
      );
    });
    return "sent";
  } catch (error) {
    if (isUniqueViolation(error)) return "already-sent";
    throw error;
  }
}
