// Booking emails: confirmation (with an .ics invitation), reminders, cancellation and reschedule notices.
// Times are written in the recipient's own time zone, with the zone named in words. Discreet by default: the
// subject, the calendar entry and the body say "Mind Namo session" without the expert or the topic (someone may
// see a lock screen, a shared calendar or an inbox), unless the recipient chose more detail in their settings.
import type { MailMessage } from "../platform/mail/index.ts";
import { formatSession, mailLocale, type Viewer } from "../time/format.ts";
import { layout } from "../mail/templates.ts";
import { bookingIcs } from "./ics.ts";
import { unsubscribeHeaders } from "./unsubscribe.ts";

export interface BookingMailData {
  id: string;
  startsAt: Date;
  endsAt: Date;
  expertName: string;
  clientName: string;
  categoryName: string;
  sequence: number;
}

/** Who reads the email: their zone, and whether they asked for the expert and topic to be named. */
export interface MailReader {
  tz: string;
  details: boolean;
}

const viewerOf = (r: MailReader): Viewer => ({ tz: r.tz, locale: mailLocale(r.tz) });

/** "Wednesday, December 2, 2026, 3:30 – 4:20 PM New York time" for the reader. */
export function sessionWhen(b: Pick<BookingMailData, "startsAt" | "endsAt">, r: MailReader): string {
  return formatSession(b.startsAt, b.endsAt, viewerOf(r));
}

export const DISCREET_TITLE = "Mind Namo session";

const sessionsUrl = (appUrl: string) => `${appUrl}/sessions`;

function withIcs(
  message: MailMessage,
  b: BookingMailData,
  r: MailReader,
  appUrl: string,
  cancelled = false,
): MailMessage {
  const ics = bookingIcs({ ...b, url: sessionsUrl(appUrl), cancelled, details: r.details });
  return {
    ...message,
    attachments: [
      {
        filename: "mindnamo-session.ics",
        content: Buffer.from(ics).toString("base64"),
        contentType: "text/calendar; charset=utf-8",
      },
    ],
  };
}

export function bookingConfirmation(
  to: string,
  r: MailReader,
  b: BookingMailData,
  appUrl: string,
  audience: "client" | "expert" = "client",
): MailMessage {
  const when = sessionWhen(b, r);
  const what = r.details
    ? audience === "client"
      ? `Your ${b.categoryName} session with ${b.expertName}`
      : `${b.clientName} booked a ${b.categoryName} session with you, and it`
    : audience === "client"
      ? "Your Mind Namo session"
      : "A new Mind Namo session with you";
  const paragraphs =
    audience === "client"
      ? [
          `${what} is confirmed for ${when}.`,
          "The session is end-to-end encrypted and never recorded. You can join from 10 minutes before the start.",
          `See, reschedule or cancel it at ${sessionsUrl(appUrl)}. The attached invitation adds it to your calendar.`,
        ]
      : [
          `${what} is booked for ${when}.`,
          `Your sessions are listed at ${appUrl}/expert. The attached invitation adds it to your calendar.`,
        ];
  const subject = r.details
    ? audience === "client"
      ? `Your session with ${b.expertName} is booked`
      : `New session booked by ${b.clientName}`
    : `${DISCREET_TITLE} booked`;
  return withIcs(
    layout({
      to,
      subject,
      template: audience === "client" ? "booking-confirmation" : "booking-confirmation-expert",
      paragraphs,
    }),
    b,
    r,
    appUrl,
  );
}

export function bookingReminder(
  to: string,
  r: MailReader,
  b: BookingMailData,
  kind: "24h" | "1h",
  appUrl: string,
  unsubscribeUrl: string,
): MailMessage {
  const soon = kind === "24h" ? "tomorrow" : "in about an hour";
  const message = layout({
    to,
    subject: r.details ? `Reminder: your session with ${b.expertName} is ${soon}` : `${DISCREET_TITLE} ${soon}`,
    template: `booking-reminder-${kind}`,
    paragraphs: [
      r.details
        ? `Your ${b.categoryName} session with ${b.expertName} starts ${sessionWhen(b, r)}.`
        : `Your Mind Namo session starts ${sessionWhen(b, r)}.`,
      `Join from ${sessionsUrl(appUrl)} up to 10 minutes before the start. Find a quiet, private place if you can.`,
      `Don't want reminders? Turn them off with one click: ${unsubscribeUrl}`,
    ],
  });
  return { ...message, headers: unsubscribeHeaders(unsubscribeUrl) };
}

export function bookingCancelled(
  to: string,
  r: MailReader,
  b: BookingMailData,
  byWhom: "you" | "the expert" | "the client" | "our team",
  appUrl: string,
): MailMessage {
  return withIcs(
    layout({
      to,
      subject: r.details ? `Session with ${b.expertName} cancelled` : `${DISCREET_TITLE} cancelled`,
      template: "booking-cancelled",
      paragraphs: [
        r.details
          ? `The ${b.categoryName} session between ${b.clientName} and ${b.expertName} on ${sessionWhen(b, r)} was cancelled by ${byWhom}.`
          : `The Mind Namo session on ${sessionWhen(b, r)} was cancelled by ${byWhom}.`,
        `You can book another time at ${appUrl}/experts.`,
      ],
    }),
    b,
    r,
    appUrl,
    true,
  );
}

export function bookingRescheduled(
  to: string,
  r: MailReader,
  b: BookingMailData,
  previousStart: Date,
  appUrl: string,
): MailMessage {
  const length = b.endsAt.getTime() - b.startsAt.getTime();
  const before = sessionWhen({ startsAt: previousStart, endsAt: new Date(previousStart.getTime() + length) }, r);
  return withIcs(
    layout({
      to,
      subject: r.details ? `Session with ${b.expertName} moved` : `${DISCREET_TITLE} moved`,
      template: "booking-rescheduled",
      paragraphs: [
        r.details
          ? `The ${b.categoryName} session between ${b.clientName} and ${b.expertName} moved from ${before} to ${sessionWhen(b, r)}.`
          : `Your Mind Namo session moved from ${before} to ${sessionWhen(b, r)}.`,
        `Details at ${sessionsUrl(appUrl)}. The attached invitation updates your calendar.`,
      ],
    }),
    b,
    r,
    appUrl,
  );
}
