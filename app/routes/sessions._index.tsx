import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/Link";
import { FormAlert, Notice, Submit } from "~/components/forms";
import { JoinButton } from "~/components/JoinButton";
import { afterCancelled, cancelBooking, listUserBookings, deps } from "~/core.server";
import { notificationDeps, notifyAfter } from "~/utils/bookings.server";
import { field, formAction, formHeaders, unknownIntent } from "~/utils/forms.server";
import { joinButtonView } from "~/utils/rooms.server";
import { requireSession } from "~/utils/session.server";
import { CrisisNotice } from "~/components/CrisisNotice";
import { crisisFor } from "~/utils/crisis.server";
import { formatSession, formatTime, localeFrom, zoneLabel } from "~/utils/time";
import { resolveViewer } from "~/utils/viewer.server";
import { Button } from "~/components/ui/Button";
import { Card } from "~/components/ui/Card";
import { Dialog } from "~/components/ui/Dialog";

export const meta: MetaFunction = () => [{ title: "My sessions — Mind Namo" }];
export const headers = formHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const { db } = deps(context);
  const { timezone } = session.user;
  const [upcoming, past] = await Promise.all([
    listUserBookings(db, session.userId, { when: "upcoming" }),
    listUserBookings(db, session.userId, { when: "past", take: 50 }),
  ]);
  const viewer = resolveViewer(request, timezone) ?? {
    tz: timezone,
    locale: localeFrom(request.headers.get("accept-language")),
  };
  const at = new Date();
  const now = at.getTime();
  const view = (b: (typeof upcoming)[number]) => ({
    id: b.id,
    when: formatSession(b.startsAt, b.endsAt, viewer),
    expert: b.expert,
    category: b.category.name,
    status: b.status,
    cancelledBy: b.cancelledBy,
    // The user may change it until the expert's cancellation window starts.
    changeable: b.status === "CONFIRMED" && b.startsAt.getTime() - now > b.expert.cancelWindowHours * 3_600_000,
    cancelWindowHours: b.expert.cancelWindowHours,
    room: joinButtonView(b, at, (d) => formatTime(d, viewer)),
  });
  return {
    crisis: await crisisFor(request, context),
    timezone: zoneLabel(viewer.tz),
    upcoming: upcoming.map(view),
    // Completed sessions can be reviewed (once); the link says whether this person already did.
    past: past.map((b) => ({ ...view(b), reviewed: b.reviewed })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const form = await request.formData();
  return formAction(async () => {
    if (field(form, "intent") !== "cancel") throw unknownIntent();
    // cancelBooking checks the booking is this person's (another id is "not found") and the window.
    const booking = await cancelBooking(deps(context).db, session, {
      bookingId: field(form, "bookingId", 64),
      reason: field(form, "reason", 500) || undefined,
    });
    await notifyAfter(context, () => afterCancelled(notificationDeps(context), booking.id));
    return { message: `Your session with ${booking.expert.name} was cancelled. We let them know.` };
  });
}

const statusText: Record<string, string> = {
  CONFIRMED: "Confirmed",
  CANCELLED: "Cancelled",
  COMPLETED: "Completed",
  NO_SHOW: "Missed",
};

export default function Sessions() {
  const { timezone, upcoming, past, crisis } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const confirmCancel = params.get("cancel");
  const cancelling = upcoming.find((b) => b.id === confirmCancel && b.changeable) ?? null;
  const navigate = useNavigate();
  const booked = params.get("booked");
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">My sessions</h1>
      {booked && upcoming.some((b) => b.id === booked) ? (
        <Notice>Your session is booked. We emailed you a confirmation with a calendar invitation.</Notice>
      ) : null}
      {actionData && "message" in actionData ? <Notice>{actionData.message}</Notice> : null}
      <FormAlert actionData={actionData && "error" in actionData ? actionData : undefined} />
      <p className="hint">Times in {timezone}.</p>
      <Dialog
        open={cancelling !== null}
        title="Cancel this session?"
        closeLabel="No, keep it"
        closeTo="/sessions"
        onClose={() => navigate("/sessions", { replace: true, preventScrollReset: true })}
      >
        {cancelling ? (
          <Form method="post" className="stack" data-testid="cancel-confirmation">
            <input type="hidden" name="bookingId" value={cancelling.id} />
            <p>
              <strong>{cancelling.expert.name}</strong> · {cancelling.when}
            </p>
            <p>Cancelling cannot be undone: the time becomes free for others, and we tell {cancelling.expert.name}.</p>
            <Submit variant="danger" name="intent" value="cancel" busy="Cancelling…">
              Yes, cancel the session
            </Submit>
          </Form>
        ) : null}
      </Dialog>
      <section aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">Upcoming</h2>
        {upcoming.length === 0 ? (
          <div className="empty">
            <p>No upcoming sessions.</p>
            <p>
              <Link to="/experts">Find an expert</Link>
            </p>
          </div>
        ) : (
          <ul className="grid">
            {upcoming.map((b) => (
              <Card as="li" className="booking" key={b.id} data-testid="upcoming-booking">
                <h3>
                  <Link to={`/experts/${b.expert.slug}`}>{b.expert.name}</Link>
                </h3>
                <p>{b.when}</p>
                {b.room ? <JoinButton bookingId={b.id} room={b.room} /> : null}
                <p>
                  {b.category} · {statusText[b.status]}
                  {b.cancelledBy
                    ? ` by ${b.cancelledBy === "USER" ? "you" : b.cancelledBy === "EXPERT" ? "the expert" : "our team"}`
                    : ""}
                </p>
                {b.changeable ? (
                  <div className="row">
                    <Button variant="secondary" to={`/sessions/${b.id}/reschedule`}>
                      Reschedule
                    </Button>
                    <Link to={`/sessions?cancel=${b.id}`} preventScrollReset>
                      Cancel
                    </Link>
                  </div>
                ) : b.status === "CONFIRMED" ? (
                  <p className="hint">Changes closed {b.cancelWindowHours} hours before the start.</p>
                ) : null}
              </Card>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="past-title">
        <h2 id="past-title">Past</h2>
        <p className="hint">
          <Link to="/sessions/records">What we keep about your sessions</Link> (end-to-end encrypted: never their
          content).
        </p>
        {past.length === 0 ? (
          <p className="empty">No past sessions yet.</p>
        ) : (
          <ul className="grid">
            {past.map((b) => (
              <Card as="li" className="booking" key={b.id}>
                <h3>{b.expert.name}</h3>
                <p>{b.when}</p>
                <p>
                  {b.category} · {statusText[b.status]}
                </p>
                {b.status === "COMPLETED" ? (
                  <p>
                    <Link to={`/sessions/${b.id}/review`} data-track={b.reviewed ? "review-open" : "review-start"}>
                      {b.reviewed ? "Your review" : "Rate this session"}
                      <span className="visually-hidden"> with {b.expert.name}</span>
                    </Link>
                  </p>
                ) : null}
              </Card>
            ))}
          </ul>
        )}
      </section>
      <CrisisNotice crisis={crisis} />
    </section>
  );
}
