import type { LoaderFunctionArgs } from "@remix-run/node";
import { bookingIcs, getEmailPreferences, getUserBooking, deps } from "~/core.server";
import { requireSession } from "~/utils/session.server";

// The session as a calendar file, for the confirmation page's "Add to calendar". Discreet unless the person
// chose details in their email settings, the same rule as the invitation in the confirmation email.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const { db } = deps(context);
  const booking = await getUserBooking(db, { userId: session.userId, bookingId: params.id ?? "" });
  if (!booking || booking.status !== "CONFIRMED") throw new Response("Not found", { status: 404 });
  const { details } = await getEmailPreferences(db, session.userId);
  const ics = bookingIcs({
    id: booking.id,
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    expertName: booking.expert.name,
    categoryName: booking.category.name,
    url: `${context.services.config.appUrl}/sessions`,
    sequence: booking.rescheduleCount,
    details,
  });
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'attachment; filename="mindnamo-session.ics"',
      "Cache-Control": "private, no-store",
    },
  });
}
