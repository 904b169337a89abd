import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listCategories, listPublishedExperts, recommendedExperts } from "~/core.server";
import { ExpertCard } from "~/components/ExpertCard";
import { getSession } from "~/utils/session.server";

export const meta: MetaFunction = () => [{ title: "Mind Namo — talk to someone who understands" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Public page; for a signed-in person, "recommended for you" from their own wellness preferences.
  const prisma = context.services.db.prisma;
  const session = await getSession(request, context);
  const [categories, featured, recommended] = await Promise.all([
    listCategories(prisma),
    listPublishedExperts(prisma, { take: 6 }),
    session ? recommendedExperts(prisma, session.userId, 3) : Promise.resolve([]),
  ]);
  return { categories, experts: featured.experts, totalExperts: featured.total, recommended };
}

export default function Home() {
  const { categories, experts, totalExperts, recommended } = useLoaderData<typeof loader>();
  return (
    <>
      <section aria-labelledby="hero-title">
        <h1 id="hero-title">Talk to someone who understands</h1>
        <p className="lead">
          Book a private 1:1 session with a wellness expert. Sessions are end-to-end encrypted and never recorded.
        </p>
        <Link className="button" to="/experts">
          Find an expert
        </Link>
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
        <h2 id="categories-title">Explore by topic</h2>
        {categories.length === 0 ? (
          <p className="empty">No topics yet. Please check back soon.</p>
        ) : (
          <ul className="grid" data-testid="categories">
            {categories.map((c) => (
              <li key={c.id}>
                <Link to={`/experts?category=${c.slug}`} className="card">
                  <h3>{c.name}</h3>
                  <p>{c.description}</p>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="experts-title">
        <h2 id="experts-title">Meet our experts</h2>
        {experts.length === 0 ? (
          <p className="empty">No experts are taking bookings yet.</p>
        ) : (
          <>
            <ul className="grid" data-testid="experts">
              {experts.map((e) => (
                <li key={e.id}>
                  <ExpertCard expert={e} />
                </li>
              ))}
            </ul>
            <p>
              <Link to="/experts">See all {totalExperts} experts</Link>
            </p>
          </>
        )}
      </section>
    </>
  );
}
