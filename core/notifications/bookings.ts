// What happens around a booking besides the booking itself (privacy promise P13): the confirmation with its
// calendar invitation, reminders 24 h and 1 h before, and notices of cancellation and reschedule — all through
// the pg-boss queue (retries, survives restarts). A reminder job carries the start time it was made for; when it
// runs it checks the booking is still confirmed at that time, so a cancelled or moved booking never gets a stale
// reminder, and a BookingNotification row makes each reminder go out once.
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
  clientName: b.user.name,
  categoryName: b.category.name,
  sequence: b.rescheduleCount + (b.status === "CANCELLED" ? 1 : 0),
});

// The two readers of a booking's emails, each in their own zone and with their own choice of detail.
const client = (b: LoadedBooking) => ({ tz: b.user.timezone, details: b.user.emailDetails });
const expertReader = (b: LoadedBooking) => ({ tz: b.expert.timezone, details: b.expert.user.emailDetails });

const sendMail = (deps: NotificationDeps, message: MailMessage) => deps.jobs.send("mail.send", message);

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
  await sendMail(deps, bookingConfirmation(b.user.email, client(b), mailData(b), deps.appUrl));
  await sendMail(deps, bookingConfirmation(b.expert.user.email, expertReader(b), mailData(b), deps.appUrl, "expert"));
  await scheduleReminders(deps, b);
}

/** After a cancellation: both people are told (the canceller gets a confirmation of it). */
export async function afterCancelled(deps: NotificationDeps, bookingId: string): Promise<void> {
  const b = await loadBooking(deps.db, bookingId);
  if (!b || b.status !== "CANCELLED") return;
  const byUser = b.cancelledBy === "USER";
  const byExpert = b.cancelledBy === "EXPERT";
  await sendMail(
    deps,
    bookingCancelled(
      b.user.email,
      client(b),
      mailData(b),
      byUser ? "you" : byExpert ? "the expert" : "our team",
      deps.appUrl,
    ),
  );
  await sendMail(
    deps,
    bookingCancelled(
      b.expert.user.email,
      expertReader(b),
      mailData(b),
      byExpert ? "you" : byUser ? "the client" : "our team",
      deps.appUrl,
    ),
  );
}

/** After a reschedule: both people get the new time and an updated invitation; new reminders are scheduled. */
export async function afterRescheduled(deps: NotificationDeps, bookingId: string, previousStart: Date): Promise<void> {
  const b = await loadBooking(deps.db, bookingId);
  if (!b || b.status !== "CONFIRMED") return;
  await sendMail(deps, bookingRescheduled(b.user.email, client(b), mailData(b), previousStart, deps.appUrl));
  await sendMail(
    deps,
    bookingRescheduled(b.expert.user.email, expertReader(b), mailData(b), previousStart, deps.appUrl),
  );
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
          unsubscribeUrl(deps.appUrl, deps.unsubscribeKey, b.user.id),
        ),
      );
    });
    return "sent";
  } catch (error) {
    if (isUniqueViolation(error)) return "already-sent";
    throw error;
  }
}
