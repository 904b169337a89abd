import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { CrisisLink } from "~/components/CrisisNotice";
import { photoUrl } from "~/components/ExpertCard";
import { Avatar } from "~/components/ui/Avatar";
import { RecordPreference } from "~/components/RecordPreference";
import { getPublishedExpert, reviews, deps } from "~/core.server";
import { slotsByDay } from "~/utils/bookings.server";
import { zoneLabel } from "~/utils/time";
import { resolveViewer } from "~/utils/viewer.server";
import { getSession } from "~/utils/session.server";
import { Button } from "~/components/ui/Button";
import { Card } from "~/components/ui/Card";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.expert.name} — Mind Namo` : "Expert not found — Mind Namo" },
  ...(data ? [{ name: "description", content: data.expert.headline }] : []),
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // Public page: the expert's public profile and free times; a session only picks the time zone.
  const expert = await getPublishedExpert(deps(context).db, params.slug ?? "");
  if (!expert)
    throw new Response("We could not find this expert. They may no longer be taking bookings.", { status: 404 });
  const session = await getSession(request, context);
  // Until the visitor's zone is known (first page of a visit) no time is written: a placeholder, never UTC.
  const viewer = resolveViewer(request, session?.user.timezone ?? null);
  const [days, rating] = await Promise.all([
    viewer ? slotsByDay(context, expert.id, viewer, 14, 12) : Promise.resolve(null),
    // Average, count and comments without names, only from 3 visible reviews on (P4).
    reviews.publicRating(deps(context).db, expert.id),
  ]);
  return { expert, zone: viewer ? zoneLabel(viewer.tz) : null, nextDays: days?.slice(0, 3) ?? null, rating };
}

export default function ExpertProfile() {
  const { expert, zone, nextDays, rating } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="expert-name" className="stack has-sticky-action">
      <RecordPreference kind="expert" slug={expert.slug} />
      <div className="profile-head">
        <Avatar name={expert.name} initials={expert.initials} src={photoUrl(expert)} size="lg" />
        <div>
          <h1 id="expert-name">{expert.name}</h1>
          <p className="lead">{expert.headline}</p>
        </div>
      </div>
      {/* On a phone this stays at the bottom of the screen while the profile scrolls. */}
      <div className="sticky-action">
        <Button block to={`/book/${expert.slug}`} data-track="book-from-profile">
          Book a session with {expert.firstName}
        </Button>
      </div>
      <section aria-labelledby="about-title">
        <h2 id="about-title">About</h2>
        <p>{expert.bio}</p>
      </section>
      <section aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <dl className="details">
          <dt>Topics</dt>
          <dd>
            {expert.categories.map((c, i) => (
              <span key={c.slug}>
                {i > 0 ? ", " : ""}
                <Link to={`/experts?category=${c.slug}`}>{c.name}</Link>
              </span>
            ))}
          </dd>
          <dt>Languages</dt>
          <dd>{expert.languages.join(", ")}</dd>
          <dt>Session length</dt>
          <dd>{expert.sessionMinutes} minutes, by encrypted video</dd>
          <dt>Rating</dt>
          {rating ? (
            <dd data-testid="expert-rating">
              {rating.average.toFixed(1)} out of 5, from {rating.count} reviews
            </dd>
          ) : (
            <dd>
              Not shown yet: a rating appears once {expert.firstName} has at least 3 reviews, so no single session can
              be traced.
            </dd>
          )}
          <dt>Cancellation</dt>
          <dd>Free up to {expert.cancelWindowHours} hours before the session</dd>
        </dl>
      </section>
      {rating && rating.comments.length > 0 ? (
        <section aria-labelledby="reviews-title">
          <h2 id="reviews-title">What clients say</h2>
          <p className="hint">Comments from clients after completed sessions, shown without names.</p>
          <ul className="stack" data-testid="review-comments">
            {rating.comments.map((c) => (
              <Card as="li" key={c.id}>
                <p>
                  <strong>{c.rating} out of 5</strong> · {c.month}
                </p>
                <p className="prewrap">{c.comment}</p>
              </Card>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="times-title">
        <h2 id="times-title">Next available times</h2>
        {nextDays === null ? (
          <p className="hint time-placeholder" data-testid="times-placeholder">
            Free times appear here in your own time zone.
          </p>
        ) : nextDays.length === 0 ? (
          <p className="empty">No free times in the next two weeks. Please check back soon.</p>
        ) : (
          <>
            <p className="hint">Times in {zone}. Choose one to book it.</p>
            <ul className="next-times" data-testid="next-slots">
              {nextDays.map((d) => (
                <li key={d.day}>
                  <h3 className="next-times-day">{d.date}</h3>
                  <ul className="next-times-slots">
                    {d.slots.map((s) => (
                      <li key={s.startsAt}>
                        {/* The booking page opens on this day with this time chosen (it checks it is still free). */}
                        <Link
                          className="next-time"
                          to={`/book/${expert.slug}?date=${d.day}&start=${encodeURIComponent(s.startsAt)}`}
                          data-track="book-time-from-profile"
                        >
                          {/* Read out with its day; the visible time stays the end of the name (label in name). */}
                          <span className="visually-hidden">Book {d.date}, </span>
                          {s.time}
                        </Link>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
            <p>
              <Link to={`/book/${expert.slug}`}>See every free time</Link>
            </p>
          </>
        )}
      </section>
      <CrisisLink />
    </article>
  );
}
