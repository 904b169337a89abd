import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listCategories, listPublishedExperts } from "~/core.server";
import { ExpertCard } from "~/components/ExpertCard";

export const meta: MetaFunction = () => [{ title: "Mind Namo — talk to someone who understands" }];

export async function loader({ context }: LoaderFunctionArgs) {
  // Public page: no session needed, nothing personal is read.
  const prisma = context.services.db.prisma;
  const [categories, featured] = await Promise.all([listCategories(prisma), listPublishedExperts(prisma, { take: 6 })]);
  return { categories, experts: featured.experts, totalExperts: featured.total };
}

export default function Home() {
  const { categories, experts, totalExperts } = useLoaderData<typeof loader>();
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

      <section aria-labelledby="categories-title">
        <h2 id="categories-title">Explore by topic</h2>
        {categories.length === 0 ? (
          <p className="empty">No topics yet. Please check back soon.</p>
        ) : (
          <ul className="grid" data-testid="categories">
            {categories.map((c) => (
              <li key={c.id}>
                <Link to={`/experts?category=${c.slug}`} className="card" aria-label={`${c.name}: see experts`}>
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
