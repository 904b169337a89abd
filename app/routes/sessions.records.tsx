import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { listSessionMetadata, deps } from "~/core.server";
import { formatSession, zoneLabel } from "~/utils/time";
import { accountViewer } from "~/utils/viewer.server";
import { requireSession } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "What we keep about your sessions — Mind Namo" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

// Privacy promise P10: per held session we keep the expert, the date, the start and end, the duration and the
// topic. This page shows exactly that list — there is nothing else to show.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const { db } = deps(context);
  const { timezone } = session.user;
  const rows = await listSessionMetadata(db, session.userId);
  const viewer = accountViewer(request, timezone);
  return {
    timezone: zoneLabel(viewer.tz),
    records: rows.map((r) => ({
      id: r.bookingId,
      expert: r.expertName,
      topic: r.topic,
      when: formatSession(r.startsAt, r.endsAt, viewer),
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      duration: r.durationSeconds === null ? null : Math.round(r.durationSeconds / 60),
    })),
  };
}

export default function SessionRecords() {
  const { timezone, records } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="title" className="stack">
      <p>
        <Link to="/sessions">← My sessions</Link>
      </p>
      <h1 id="title">What we keep about your sessions</h1>
      <p>
        Your sessions are end-to-end encrypted: nothing of what is said or shown is recorded, stored or readable by us.
        For each session that took place we keep only the expert, the date, the start and end, how long you were both in
        the room, and the topic.
      </p>
      <p className="hint">Times in {timezone}.</p>
      {records.length === 0 ? (
        <p className="empty">No sessions have taken place yet, so we keep nothing about any.</p>
      ) : (
        <div className="table-scroll">
          <table className="stacked">
            <caption className="visually-hidden">Your past sessions and what we keep about each</caption>
            <thead>
              <tr>
                <th scope="col">Expert</th>
                <th scope="col">Date and time</th>
                <th scope="col">Duration together</th>
                <th scope="col">Topic</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.id} data-testid="session-record">
                  <td data-label="Expert">{r.expert}</td>
                  <td data-label="Date and time">
                    <time dateTime={r.startsAt}>{r.when}</time>
                  </td>
                  <td data-label="Duration together">
                    {r.duration === null
                      ? "Not settled yet"
                      : r.duration === 0
                        ? "You did not meet"
                        : `${r.duration} min`}
                  </td>
                  <td data-label="Topic">{r.topic}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
