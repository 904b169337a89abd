import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { FormAlert, Submit } from "~/components/forms";
import { FieldAlert, SlotPicker } from "~/components/SlotPicker";
import { afterRescheduled, expertIdBySlug, listUserBookings, rescheduleBooking, deps } from "~/core.server";
import { notificationDeps, notifyAfter, slotsByDay } from "~/utils/bookings.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { requireSession } from "~/utils/session.server";
import { formatSession, localeFrom, zoneLabel } from "~/utils/time";
import { resolveViewer } from "~/utils/viewer.server";

export const meta: MetaFunction = () => [{ title: "Reschedule — Mind Namo" }];
export const headers = formHeaders;

async function ownUpcoming(context: LoaderFunctionArgs["context"], userId: string, id: string) {
  // Only this person's own upcoming bookings: another id is simply not found.
  const upcoming = await listUserBookings(deps(context).db, userId, { when: "upcoming" });
  const booking = upcoming.find((b) => b.id === id && b.status === "CONFIRMED");
  if (!booking) throw new Response("We could not find this booking.", { status: 404 });
  return booking;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const booking = await ownUpcoming(context, session.userId, params.id ?? "");
  const { db } = deps(context);
  const { timezone } = session.user;
  const expertId = await expertIdBySlug({ db, slug: booking.expert.slug });
  if (!expertId) throw new Response("We could not find this booking.", { status: 404 });
  const viewer = resolveViewer(request, timezone) ?? {
    tz: timezone,
    locale: localeFrom(request.headers.get("accept-language")),
  };
  const days = await slotsByDay(context, expertId, viewer);
  return {
    booking: {
      id: booking.id,
      when: formatSession(booking.startsAt, booking.endsAt, viewer),
      expertName: booking.expert.name,
      category: booking.category.name,
    },
    zone: zoneLabel(viewer.tz),
    days,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const form = await request.formData();
  const values = { startsAt: field(form, "startsAt", 40) };
  return formAction(async () => {
    const before = await ownUpcoming(context, session.userId, params.id ?? "");
    const moved = await rescheduleBooking(deps(context).db, session, {
      bookingId: before.id,
      newStartsAt: values.startsAt,
    });
    await notifyAfter(context, () => afterRescheduled(notificationDeps(context), moved.id, before.startsAt));
    return redirect(`/sessions?booked=${moved.id}`);
  }, values);
}

export default function Reschedule() {
  const { booking, zone, days } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">Reschedule your session</h1>
      <p>
        {booking.category} with {booking.expertName}, now {booking.when}.
      </p>
      <Form method="post" className="stack" noValidate>
        <FormAlert actionData={actionData} />
        <FieldAlert actionData={actionData} />
        <SlotPicker
          legend="Choose a new time"
          days={days}
          zone={zone}
          emptyText="No other free times in the next two weeks."
        />
        <div className="row">
          <Submit busy="Moving…">Move my session</Submit>
          <Link to="/sessions">Keep the current time</Link>
        </div>
      </Form>
    </section>
  );
}
