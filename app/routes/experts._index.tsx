import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listCategories, listPublishedExperts } from "~/core.server";
import { ExpertCard } from "~/components/ExpertCard";

export const meta: MetaFunction = () => [{ title: "Experts — Mind Namo" }];

const PAGE_SIZE = 12;
const querySchema = z.object({
  category: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Public page: no session needed.
  const url = new URL(request.url);
  const query = querySchema.parse(Object.fromEntries(url.searchParams));
  const prisma = context.services.db.prisma;
  const [categories, result] = await Promise.all([
    listCategories(prisma),
    listPublishedExperts(prisma, {
      categorySlug: query.category,
      take: PAGE_SIZE,
      skip: (query.page - 1) * PAGE_SIZE,
    }),
  ]);
  return { categories, ...result, page: query.page, pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)), category: query.category ?? "" };
}

export default function Experts() {
  const { categories, experts, total, page, pages, category } = useLoaderData<typeof loader>();
  const current = categories.find((c) => c.slug === category);
  const pageLink = (p: number) => `?${new URLSearchParams({ ...(category ? { category } : {}), page: String(p) })}`;
  return (
    <>
      <h1>{current ? `Experts in ${current.name}` : "All experts"}</h1>
      <Form method="get" className="filters" aria-label="Filter experts">
        <label htmlFor="category">Topic</label>{" "}
        <select id="category" name="category" defaultValue={category}>
          <option value="">All topics</option>
          {categories.map((c) => (
            <option key={c.id} value={c.slug}>
              {c.name}
            </option>
          ))}
        </select>{" "}
        <button type="submit" className="button">
          Show experts
        </button>
      </Form>
      <p aria-live="polite">
        {total} {total === 1 ? "expert" : "experts"}
      </p>
      {experts.length === 0 ? (
        <p className="empty">No experts match this topic yet. Try another topic.</p>
      ) : (
        <ul className="grid" data-testid="experts">
          {experts.map((e) => (
            <li key={e.id}>
              <ExpertCard expert={e} />
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav className="pagination" aria-label="Pages">
          {page > 1 ? <Link to={pageLink(page - 1)}>Previous</Link> : null}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? <Link to={pageLink(page + 1)}>Next</Link> : null}
        </nav>
      )}
    </>
  );
}
