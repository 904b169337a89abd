// Booking emails: confirmation (with an .ics invitation), reminders, cancellation and reschedule notices.
// Times are written in the recipient's own time zone, with the zone named.
import type { MailMessage } from "../platform/mail/index.ts";
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

export function formatInZone(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZoneName: "short",
  }).format(date);
}

const sessionsUrl = (appUrl: string) => `${appUrl}/sessions`;

function withIcs(message: MailMessage, b: BookingMailData, appUrl: string, cancelled = false): MailMessage {
  const ics = bookingIcs({ ...b, url: sessionsUrl(appUrl), cancelled });
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
  tz: string,
  b: BookingMailData,
  appUrl: string,
  audience: "client" | "expert" = "client",
): MailMessage {
  const paragraphs =
    audience === "client"
      ? [
          `Your ${b.categoryName} session with ${b.expertName} is confirmed for ${formatInZone(b.startsAt, tz)}.`,
          "The session is end-to-end encrypted and never recorded. You can join from 10 minutes before the start.",
          `See, reschedule or cancel it at ${sessionsUrl(appUrl)}. The attached invitation adds it to your calendar.`,
        ]
      : [
          `${b.clientName} booked a ${b.categoryName} session with you for ${formatInZone(b.startsAt, tz)}.`,
          `Your sessions are listed at ${appUrl}/expert. The attached invitation adds it to your calendar.`,
        ];
  return withIcs(
    layout({
      to,
      subject:
        audience === "client" ? `Your session with ${b.expertName} is booked` : `New session booked by ${b.clientName}`,
      template: audience === "client" ? "booking-confirmation" : "booking-confirmation-expert",
      paragraphs,
    }),
    b,
    appUrl,
  );
}

export function bookingReminder(
  to: string,
  tz: string,
  b: BookingMailData,
  kind: "24h" | "1h",
  appUrl: string,
  unsubscribeUrl: string,
): MailMessage {
  const when = kind === "24h" ? "tomorrow" : "in about an hour";
  const message = layout({
    to,
    subject: `Reminder: your session with ${b.expertName} is ${when}`,
    template: `booking-reminder-${kind}`,
    paragraphs: [
      `Your ${b.categoryName} session with ${b.expertName} starts ${formatInZone(b.startsAt, tz)}.`,
      `Join from ${sessionsUrl(appUrl)} up to 10 minutes before the start. Find a quiet, private place if you can.`,
      `Don't want reminders? Turn them off with one click: ${unsubscribeUrl}`,
    ],
  });
  return { ...message, headers: unsubscribeHeaders(unsubscribeUrl) };
}

export function bookingCancelled(
  to: string,
  tz: string,
  b: BookingMailData,
  byWhom: "you" | "the expert" | "the client" | "our team",
  appUrl: string,
): MailMessage {
  return withIcs(
    layout({
      to,
      subject: `Session on ${formatInZone(b.startsAt, tz)} cancelled`,
      template: "booking-cancelled",
      paragraphs: [
        `The ${b.categoryName} session between ${b.clientName} and ${b.expertName} on ${formatInZone(b.startsAt, tz)} was ` +
          `cancelled by ${byWhom}.`,
        `You can book another time at ${appUrl}/experts.`,
      ],
    }),
    b,
    appUrl,
    true,
  );
}

export function bookingRescheduled(
  to: string,
  tz: string,
  b: BookingMailData,
  previousStart: Date,
  appUrl: string,
): MailMessage {
  return withIcs(
    layout({
      to,
      subject: `Session moved to ${formatInZone(b.startsAt, tz)}`,
      template: "booking-rescheduled",
      paragraphs: [
        `The ${b.categoryName} session between ${b.clientName} and ${b.expertName} moved from ` +
          `${formatInZone(previousStart, tz)} to ${formatInZone(b.startsAt, tz)}.`,
        `Details at ${sessionsUrl(appUrl)}. The attached invitation updates your calendar.`,
      ],
    }),
    b,
    appUrl,
  );
}
