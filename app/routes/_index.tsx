import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { listCategories, listPublishedExperts, listUserBookings, recommendedExperts, deps } from "~/core.server";
import { CrisisLink } from "~/components/CrisisNotice";
import { ExpertCard } from "~/components/ExpertCard";
import { EmptyState } from "~/components/ui/EmptyState";
import { JoinButton } from "~/components/JoinButton";
import { joinButtonView } from "~/utils/rooms.server";
import { getSession } from "~/utils/session.server";
import { formatSession, formatTime } from "~/utils/time";
import { accountViewer } from "~/utils/viewer.server";
import { Button } from "~/components/ui/Button";
import { Card, cardClass } from "~/components/ui/Card";

export const meta: MetaFunction = () => [{ title: "Mind Namo — talk to someone who understands" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Public page; for a signed-in person, "recommended for you" from their own wellness preferences.
  const { db } = deps(context);
  const session = await getSession(request, context);
  const [categories, featured, recommended, upcoming] = await Promise.all([
    listCategories(db),
    listPublishedExperts(db, { take: 6 }),
    session ? recommendedExperts(db, session.userId, 3) : Promise.resolve([]),
    session ? listUserBookings(db, session.userId, { when: "upcoming", take: 5 }) : Promise.resolve([]),
  ]);
  // A signed-in person's next confirmed session comes first, with Join once its room is open.
  const next = upcoming.find((b) => b.status === "CONFIRMED");
  const now = new Date();
  const viewer = session && next ? accountViewer(request, session.user.timezone) : null;
  const nextSession =
    viewer && next
      ? {
          id: next.id,
          when: formatSession(next.startsAt, next.endsAt, viewer),
          expert: next.expert.name,
          topic: next.category.name,
          room: joinButtonView(next, now, (d) => formatTime(d, viewer)),
        }
      : null;
  return { categories, experts: featured.experts, totalExperts: featured.total, recommended, nextSession };
}

export default function Home() {
  const { categories, experts, totalExperts, recommended, nextSession } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      {nextSession ? (
        <Card as="section" className="next-session" aria-labelledby="next-title" data-testid="next-session">
          <div className="stack">
            <h2 id="next-title">Your next session</h2>
            <p className="next-session-when">{nextSession.when}</p>
            <p className="hint">
              With {nextSession.expert} · {nextSession.topic}
            </p>
          </div>
          <div className="row">
            {nextSession.room ? <JoinButton bookingId={nextSession.id} room={nextSession.room} /> : null}
            <Link to="/sessions">All my sessions</Link>
          </div>
        </Card>
      ) : null}
      <section className="hero" aria-labelledby="hero-title">
        <div>
          <h1 id="hero-title">Talk to someone who understands</h1>
          <p className="lead">
            Book a private 1:1 video session with a vetted wellness expert, at a time that suits you.
          </p>
          <div className="row">
            <Button to="/experts" data-track="hero-find">
              Find an expert
            </Button>
            <Button variant="secondary" to="/help-now">
              I need help right now
            </Button>
          </div>
          <ul className="hero-points">
            <li>End-to-end encrypted, never recorded</li>
            <li>Your expert never sees your email address</li>
            <li>From your phone or computer, no app to install</li>
          </ul>
        </div>
        <svg className="hero-art" viewBox="0 0 400 300" aria-hidden="true">
          <circle className="a" cx="230" cy="150" r="130" />
          <circle className="b" cx="120" cy="190" r="80" />
          <path className="c" d="M150 150c0-33 27-60 60-60s60 27 60 60v40h-120z" />
          <circle className="c" cx="210" cy="70" r="28" />
          <path className="d" d="M250 200c0-28 22-50 50-50s50 22 50 50v30h-100z" />
          <circle className="d" cx="300" cy="125" r="22" />
        </svg>
      </section>

      {recommended.length > 0 ? (
        <section aria-labelledby="recommended-title">
          <h2 id="recommended-title">Recommended for you</h2>
          <p className="hint">From the topics and experts you looked at. You can clear this on your account page.</p>
          <ul className="grid" data-testid="recommended">
            {recommended.map((e) => (
              <li key={e.id}>
                <ExpertCard expert={e} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="categories-title">
        <h2 id="categories-title">What would you like to talk about?</h2>
        {categories.length === 0 ? (
          <EmptyState title="No topics yet">Please check back soon.</EmptyState>
        ) : (
          <ul className="grid" data-testid="categories">
            {categories.map((c) => (
              <li key={c.id}>
                <Link to={`/experts?category=${c.slug}`} className={cardClass("topic-card")}>
                  <h3>{c.name}</h3>
                  <p>{c.description}</p>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="experts-title">
        <div className="section-head">
          <h2 id="experts-title">Meet our experts</h2>
          {experts.length > 0 ? <Link to="/experts">See all {totalExperts} experts</Link> : null}
        </div>
        {experts.length === 0 ? (
          <EmptyState title="No experts are taking bookings yet">Please check back soon.</EmptyState>
        ) : (
          <ul className="grid" data-testid="experts">
            {experts.map((e) => (
              <li key={e.id}>
                <ExpertCard expert={e} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <CrisisLink />
    </div>
  );
}
