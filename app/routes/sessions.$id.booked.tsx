import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { CrisisNotice } from "~/components/CrisisNotice";
import { crisisFor } from "~/utils/crisis.server";
import { getUserBooking, deps } from "~/core.server";
import bookingStyles from "~/styles/booking.css";
import { requireSession } from "~/utils/session.server";
import { formatDate, formatTimeRange, localeFrom, zoneName } from "~/utils/time";
import { resolveViewer } from "~/utils/viewer.server";
import { Button } from "~/components/ui/Button";

export const meta: MetaFunction = () => [{ title: "Your session is booked — Mind Namo" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: bookingStyles }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const { db } = deps(context);
  // Only the person's own booking: another id is a 404, whether or not it exists.
  const booking = await getUserBooking(db, { userId: session.userId, bookingId: params.id ?? "" });
  if (!booking || booking.status !== "CONFIRMED")
    throw new Response("We could not find this booking.", { status: 404 });
  const timezone = session.user.timezone;
  const viewer = resolveViewer(request, timezone) ?? {
    tz: timezone,
    locale: localeFrom(request.headers.get("accept-language")),
  };
  return {
    id: booking.id,
    expertName: booking.expert.name,
    expertSlug: booking.expert.slug,
    topic: booking.category.name,
    date: formatDate(booking.startsAt, viewer),
    time: `${formatTimeRange(booking.startsAt, booking.endsAt, viewer)} ${zoneName(viewer.tz)}`,
    minutes: Math.round((booking.endsAt.getTime() - booking.startsAt.getTime()) / 60_000),
    cancelWindowHours: booking.expert.cancelWindowHours,
    crisis: await crisisFor(request, context),
  };
}

export default function Booked() {
  const b = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="title" className="booker stack">
      <div className="booked-card stack" data-testid="booked">
        <span className="booked-check" aria-hidden="true">
          ✓
        </span>
        <h1 id="title">Your session is booked</h1>
        <p className="lead">We sent a confirmation to your email. You don&rsquo;t need to do anything else now.</p>
        <dl className="summary-list">
          <div>
            <dt>Expert</dt>
            <dd>{b.expertName}</dd>
          </div>
          <div>
            <dt>Topic</dt>
            <dd>{b.topic}</dd>
          </div>
          <div>
            <dt>When</dt>
            <dd>
              {b.date}
              <br />
              {b.time}
            </dd>
          </div>
          <div>
            <dt>How</dt>
            <dd>{b.minutes}-minute private video session, end-to-end encrypted, never recorded</dd>
          </div>
        </dl>
        <p className="row">
          <Button variant="secondary" href={`/sessions/${b.id}/calendar.ics`} download="mindnamo-session.ics">
            Add to calendar
          </Button>
          <Button to="/sessions">See my sessions</Button>
        </p>
        <p className="hint">
          The calendar entry only says &ldquo;Mind Namo session&rdquo; unless you choose more detail in your{" "}
          <Link to="/account/communications">email settings</Link>.
        </p>
      </div>
      <section aria-labelledby="next-title" className="booked-card">
        <h2 id="next-title">What happens next</h2>
        <ol className="next-steps">
          <li>We email you a reminder the day before and an hour before (you can turn reminders off).</li>
          <li>
            From 10 minutes before the start, a <strong>Join</strong> button appears on{" "}
            <Link to="/sessions">My sessions</Link>. Your browser checks your camera and microphone first.
          </li>
          <li>Find a quiet, private place. Only you and {b.expertName} are in the room; it is never recorded.</li>
        </ol>
        <h2>Changing your plans</h2>
        <p>
          You can reschedule or cancel for free up to {b.cancelWindowHours} hours before the start, from{" "}
          <Link to="/sessions">My sessions</Link>. After that, please write to {b.expertName} through{" "}
          <Link to="/help">our support team</Link>.
        </p>
      </section>
      <CrisisNotice crisis={b.crisis} />
    </section>
  );
}
