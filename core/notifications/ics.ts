// Calendar invitations (.ics) for booking emails and the confirmation page, made with the `ics` library.
// Discreet unless the person chose details: a calendar may be shared or seen on a lock screen, so the event is
// only "Mind Namo session" (no expert, no topic). The join link is on our site, behind sign-in.
import { createEvent } from "ics";

export interface IcsBooking {
  id: string;
  startsAt: Date;
  endsAt: Date;
  expertName: string;
  categoryName: string;
  url: string;
  sequence: number;
  cancelled?: boolean;
  /** Name the expert and the topic (the person's own choice; off by default). */
  details?: boolean;
}

const utcParts = (d: Date): [number, number, number, number, number] => [
  d.getUTCFullYear(),
  d.getUTCMonth() + 1,
  d.getUTCDate(),
  d.getUTCHours(),
  d.getUTCMinutes(),
];

export function bookingIcs(b: IcsBooking): string {
  const { error, value } = createEvent({
    uid: `booking-${b.id}@mindnamo`,
    sequence: b.sequence,
    method: b.cancelled ? "CANCEL" : "REQUEST",
    status: b.cancelled ? "CANCELLED" : "CONFIRMED",
    productId: "mindnamo/bookings",
    start: utcParts(b.startsAt),
    startInputType: "utc",
    startOutputType: "utc",
    end: utcParts(b.endsAt),
    endInputType: "utc",
    endOutputType: "utc",
    title: b.details ? `Mind Namo session with ${b.expertName}` : "Mind Namo session",
    description: b.details
      ? `${b.categoryName} — join from your Mind Namo sessions page: ${b.url}`
      : `Join from your Mind Namo sessions page: ${b.url}`,
    url: b.url,
    busyStatus: "BUSY",
    classification: "PRIVATE",
  });
  if (error || !value) throw error ?? new Error("Could not build the calendar invitation");
  return value;
}
