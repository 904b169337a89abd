import { Link } from "@remix-run/react";

export interface ExpertSummary {
  id: string;
  slug: string;
  name: string;
  headline: string;
  languages: string[];
  categories: { slug: string; name: string }[];
  /** Shown only from 3 visible reviews (the directory passes it; other lists may not). */
  rating?: { average: number; count: number } | null;
}

export function ExpertCard({ expert }: { expert: ExpertSummary }) {
  return (
    <article className="card" aria-labelledby={`expert-${expert.id}`}>
      <h3 id={`expert-${expert.id}`}>
        <Link to={`/experts/${expert.slug}`}>{expert.name}</Link>
      </h3>
      <p>{expert.headline}</p>
      {expert.rating ? (
        <p data-testid="card-rating">
          {expert.rating.average.toFixed(1)} out of 5 <span className="hint">({expert.rating.count} reviews)</span>
        </p>
      ) : null}
      <p>
        <span className="visually-hidden">Languages: </span>
        {expert.languages.join(" · ")}
      </p>
      <ul className="tags" aria-label="Topics">
        {expert.categories.map((c) => (
          <li key={c.slug} className="tag">
            {c.name}
          </li>
        ))}
      </ul>
    </article>
  );
}
