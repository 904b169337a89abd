import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/Link";
import { ExpertCard } from "~/components/ExpertCard";
import { EmptyState } from "~/components/ui/EmptyState";
import { RecordPreference } from "~/components/RecordPreference";
import {
  deps,
  listCategories,
  listExpertLanguages,
  listPublishedExperts,
  nextSlotsForExperts,
  publishedExpertIds,
  isValidTimeZone,
  reviews,
} from "~/core.server";
import { directoryQuery, nextFree } from "~/utils/directory.server";
import { Button } from "~/components/ui/Button";

export const meta: MetaFunction = () => [{ title: "Experts — Mind Namo" }];

const PAGE_SIZE = 12;

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Public page: no session needed, nothing personal is read.
  const url = new URL(request.url);
  const query = directoryQuery.parse({
    q: url.searchParams.get("q") ?? "",
    category: url.searchParams.get("category") || undefined,
    language: url.searchParams.get("language") || undefined,
    available: url.searchParams.get("available") || undefined,
    page: url.searchParams.get("page") ?? 1,
  });
  const { db } = deps(context);
  // "Available this week": experts with at least one free time in the next 7 days (one query for all schedules).
  let ids: string[] | undefined;
  if (query.available === "week") {
    const now = new Date();
    const slots = await nextSlotsForExperts(db, await publishedExpertIds(db), {
      from: now,
      to: new Date(now.getTime() + 7 * 86_400_000),
      now,
      limitPerExpert: 1,
    });
    ids = [...slots.entries()].filter(([, s]) => s.length > 0).map(([id]) => id);
  }
  const [categories, languages, result] = await Promise.all([
    listCategories(db),
    listExpertLanguages(db),
    listPublishedExperts(db, {
      q: query.q || undefined,
      categorySlug: query.category,
      language: query.language,
      ids,
      take: PAGE_SIZE,
      skip: (query.page - 1) * PAGE_SIZE,
    }),
  ]);
  // Ratings for the cards on this page: one query; only experts with 3+ visible reviews (P4).
  const pageIds = result.experts.map((e) => e.id);
  const asked = url.searchParams.get("tz");
  const [ratings, next] = await Promise.all([
    reviews.publicRatings(db, pageIds),
    nextFree(db, pageIds, asked && asked.length <= 64 && isValidTimeZone(asked) ? asked : null),
  ]);
  return {
    categories,
    languages,
    ...result,
    experts: result.experts.map((e) => ({ ...e, rating: ratings.get(e.id) ?? null, next: next.get(e.id) ?? null })),
    page: query.page,
    pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
    filters: {
      q: query.q,
      category: query.category ?? "",
      language: query.language ?? "",
      available: query.available === "week",
    },
  };
}

export default function Experts() {
  const { categories, languages, experts, total, page, pages, filters } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/experts";
  const current = categories.find((c) => c.slug === filters.category);
  const activeFilters = [filters.q, filters.category, filters.language, filters.available].filter(Boolean).length;
  const pageLink = (p: number) =>
    `?${new URLSearchParams({
      ...(filters.q ? { q: filters.q } : {}),
      ...(filters.category ? { category: filters.category } : {}),
      ...(filters.language ? { language: filters.language } : {}),
      ...(filters.available ? { available: "week" } : {}),
      page: String(p),
    })}`;
  return (
    <>
      <RecordPreference kind="category" slug={current?.slug} />
      <header className="page-head">
        <h1>{current ? `Experts in ${current.name}` : "All experts"}</h1>
        <p className="lead">
          Every expert is vetted by our team. Sessions are private, end-to-end encrypted and never recorded.
        </p>
      </header>
      {/* On a phone the filters fold away so the experts come first; from tablet width they are always open. */}
      <details className="disclosure filter-panel" open={activeFilters > 0 ? true : undefined}>
        <summary>{activeFilters > 0 ? `Filters (${activeFilters} on)` : "Filter by topic, language or time"}</summary>
        <Form method="get" className="filters" aria-label="Find an expert">
          <div className="field">
            <label htmlFor="q">Search</label>
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={filters.q}
              placeholder="Name or keyword, e.g. sleep, panic"
              maxLength={100}
            />
          </div>
          <div className="field">
            <label htmlFor="category">Topic</label>
            <select id="category" name="category" defaultValue={filters.category}>
              <option value="">All topics</option>
              {categories.map((c) => (
                <option key={c.id} value={c.slug}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="language">Language</label>
            <select id="language" name="language" defaultValue={filters.language}>
              <option value="">Any language</option>
              {languages.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="choice">
              <input type="checkbox" name="available" value="week" defaultChecked={filters.available} /> Available this
              week
            </label>
          </div>
          <Button type="submit">Show experts</Button>
        </Form>
      </details>
      <p aria-live="polite" className={loading ? "loading" : undefined}>
        {loading ? "Searching…" : `${total} ${total === 1 ? "expert" : "experts"}`}
      </p>
      {experts.length === 0 ? (
        <EmptyState
          title="No experts match these filters"
          action={
            <Button variant="secondary" to="/experts">
              Show all experts
            </Button>
          }
        >
          Try fewer filters, or another word for what you are going through.
        </EmptyState>
      ) : (
        <>
          <h2 className="visually-hidden">Results</h2>
          <ul className="grid" data-testid="experts">
            {experts.map((e) => (
              <li key={e.id}>
                <ExpertCard expert={e} />
              </li>
            ))}
          </ul>
        </>
      )}
      {pages > 1 && (
        <nav className="pagination" aria-label="Pages">
          {page > 1 ? <Link to={pageLink(page - 1)}>Previous</Link> : null}
          <span>{`Page ${page} of ${pages}`}</span>
          {page < pages ? <Link to={pageLink(page + 1)}>Next</Link> : null}
        </nav>
      )}
    </>
  );
}
