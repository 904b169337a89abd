import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate } from "@remix-run/react";
import { FormAlert, Notice, Submit } from "~/components/forms";
import { TextAreaField } from "~/components/workspace";
import { JoinButton } from "~/components/JoinButton";
import { afterCancelled, expertWorkspace, deps } from "~/core.server";
import { notificationDeps, notifyAfter } from "~/utils/bookings.server";
import { clockIn, formatSessionTime, requireExpert, requireExpertWith } from "~/utils/expert.server";
import { zoneLabel } from "~/utils/time";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { joinButtonView } from "~/utils/rooms.server";
import { Button } from "~/components/ui/Button";
import { Dialog } from "~/components/ui/Dialog";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Your sessions — Mind Namo for experts" }];

const UPCOMING_SHOWN = 100;
const PAST_SHOWN = 50;

function statusLabel(b: Pick<expertWorkspace.ExpertBooking, "status" | "cancelledBy">): string {
  switch (b.status) {
    case "CONFIRMED":
      return "Confirmed";
    case "COMPLETED":
      return "Completed";
    case "NO_SHOW":
      return "No-show";
    case "CANCELLED":
      return b.cancelledBy === "EXPERT"
        ? "Cancelled by you"
        : b.cancelledBy === "USER"
          ? "Cancelled by the client"
          : "Cancelled by our team";
  }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const now = new Date();
  const { profile, upcoming, past } = await requireExpertWith(request, context, (session) =>
    expertWorkspace.getExpertSessionsPage(
      deps(context).db,
      session.userId,
      { upcoming: UPCOMING_SHOWN, past: PAST_SHOWN },
      now,
    ),
  );
  // Only what the page shows: the client's name, the topic, the time in the expert's zone, the status (P17).
  const view = (b: expertWorkspace.ExpertBooking) => ({
    id: b.id,
    clientName: b.clientName,
    categoryName: b.categoryName,
    startsAt: b.startsAt.toISOString(),
    when: formatSessionTime(b.startsAt, b.endsAt, profile.timezone),
    status: b.status,
    statusLabel: statusLabel(b),
    cancellable: b.status === "CONFIRMED" && b.startsAt > now,
    room: joinButtonView(b, now, (d) => clockIn(d, profile.timezone)),
  });
  const upcomingViews = upcoming.map(view);
  const url = new URL(request.url);
  const cancelId = url.searchParams.get("cancel");
  const cancelledId = url.searchParams.get("cancelled");
  const confirming = cancelId ? (upcomingViews.find((b) => b.id === cancelId && b.cancellable) ?? null) : null;
  const cancelled = cancelledId
    ? (upcomingViews.find((b) => b.id === cancelledId && b.status === "CANCELLED") ?? null)
    : null;
  return {
    name: profile.name,
    published: profile.published,
    zone: zoneLabel(profile.timezone, now),
    upcoming: upcomingViews,
    past: past.map(view),
    confirming,
    cancelNotFound: Boolean(cancelId && !confirming),
    cancelled: cancelled ? { clientName: cancelled.clientName, when: cancelled.when } : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { session } = await requireExpert(request, context);
  const form = await request.formData();
  const bookingId = field(form, "bookingId", 64);
  if (field(form, "intent") !== "cancel" || !bookingId) return redirect("/expert");
  // Cancelling is destructive: without the confirmation step's answer, show that step first.
  if (field(form, "confirm") !== "yes") return redirect(`/expert?cancel=${encodeURIComponent(bookingId)}`);
  const values = { reason: field(form, "reason", 500) };
  const result = await formAction(async () => {
    // cancelBooking authorizes: a booking of another expert (or an unknown id) is "not found" and stays as it is.
    const booking = await expertWorkspace.cancelBooking(
      deps(context).db,
      { userId: session.userId },
      { bookingId, reason: values.reason || undefined },
    );
    await notifyAfter(context, () => afterCancelled(notificationDeps(context), booking.id));
    return null;
  }, values);
  return result === null ? redirect(`/expert?cancelled=${encodeURIComponent(bookingId)}`) : result;
}

type SessionView = ReturnType<typeof useLoaderData<typeof loader>>["upcoming"][number];

function SessionItem({ s, testId }: { s: SessionView; testId: string }) {
  return (
    <li className="session-item" data-testid={testId}>
      <div className="session-main">
        <p className="session-when">
          <time dateTime={s.startsAt}>{s.when}</time>
        </p>
        <p>
          <strong>{s.clientName}</strong> · {s.categoryName}
        </p>
      </div>
      <div className="session-side">
        <span className={`status status-${s.status.toLowerCase()}`}>{s.statusLabel}</span>
        {s.room ? <JoinButton bookingId={s.id} room={s.room} /> : null}
        {s.cancellable ? (
          <Button variant="secondary" small to={`?cancel=${encodeURIComponent(s.id)}`}>
            {/* One child for the word and its ellipsis: the button spaces its children apart. */}
            <span>
              Cancel<span aria-hidden="true">…</span>
            </span>
            <span className="visually-hidden">
              {" "}
              the session with {s.clientName} on {s.when}
            </span>
          </Button>
        ) : null}
      </div>
    </li>
  );
}

export default function ExpertSessions() {
  const { name, published, zone, upcoming, past, confirming, cancelNotFound, cancelled } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData && "error" in actionData ? actionData : undefined;
  const navigate = useNavigate();

  return (
    <section aria-labelledby="title" className="stack">
      <div>
        <h1 id="title">Your sessions</h1>
        <p className="lead">
          Welcome, {name}. Times are in your time zone: {zone}.
        </p>
      </div>
      {!published ? (
        <Notice>
          Your profile is not published yet, so clients cannot find or book you. Our team publishes it once it is ready.
        </Notice>
      ) : null}
      {cancelled ? (
        <Notice>
          The session with {cancelled.clientName} on {cancelled.when} was cancelled. We let them know.
        </Notice>
      ) : null}
      <FormAlert actionData={errors} />

      <Dialog
        open={confirming !== null}
        title="Cancel this session?"
        closeLabel="No, keep it"
        closeTo="/expert"
        onClose={() => navigate("/expert", { replace: true, preventScrollReset: true })}
      >
        {confirming ? (
          <>
            <p>
              <strong>{confirming.clientName}</strong> · {confirming.categoryName} ·{" "}
              <time dateTime={confirming.startsAt}>{confirming.when}</time>
            </p>
            <p>
              Cancelling cannot be undone. We will tell {confirming.clientName} by email, and the time becomes free for
              other bookings.
            </p>
            <Form method="post" className="form" noValidate>
              <input type="hidden" name="bookingId" value={confirming.id} />
              <input type="hidden" name="confirm" value="yes" />
              <TextAreaField
                label="Reason (optional)"
                name="reason"
                rows={3}
                maxLength={500}
                hint="Saved with the booking."
                actionData={errors}
              />
              <Submit variant="danger" name="intent" value="cancel" busy="Cancelling…">
                Yes, cancel this session
              </Submit>
            </Form>
          </>
        ) : null}
      </Dialog>
      {!confirming && cancelNotFound && !cancelled ? (
        <p className="alert" role="alert">
          This session cannot be cancelled: it may have started already or been cancelled. The lists below are up to
          date.
        </p>
      ) : null}

      <section aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">Upcoming</h2>
        {upcoming.length === 0 ? (
          <p className="empty">No upcoming sessions. When a client books you, the session appears here.</p>
        ) : (
          <ul className="session-list">
            {upcoming.map((s) => (
              <SessionItem key={s.id} s={s} testId="upcoming-session" />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="past-title">
        <h2 id="past-title">Past</h2>
        {past.length === 0 ? (
          <p className="empty">No past sessions yet.</p>
        ) : (
          <>
            <ul className="session-list">
              {past.map((s) => (
                <SessionItem key={s.id} s={s} testId="past-session" />
              ))}
            </ul>
            {past.length >= PAST_SHOWN ? <p className="hint">Showing your {PAST_SHOWN} most recent sessions.</p> : null}
          </>
        )}
      </section>
    </section>
  );
}
