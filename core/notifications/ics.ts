// Calendar invitations (.ics) for booking emails, made with the `ics` library. The event names the expert and
// the topic only; the join link is on our site, behind sign-in.
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
    title: `Mind Namo session with ${b.expertName}`,
    description: `${b.categoryName} — join from your Mind Namo sessions page: ${b.url}`,
    url: b.url,
    busyStatus: "BUSY",
    classification: "PRIVATE",
  });
  if (error || !value) throw error ?? new Error("Could not build the calendar invitation");
  return value;
}
