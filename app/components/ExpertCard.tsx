import { Link } from "~/components/Link";
import { Avatar } from "~/components/ui/Avatar";
import { Card } from "./ui/Card";

export interface ExpertSummary {
  id: string;
  slug: string;
  name: string;
  initials: string;
  photoVersion: number | null;
  /** The credentials line: profession and focus, as the expert wrote it. */
  headline: string;
  languages: string[];
  categories: { slug: string; name: string }[];
  /** Shown only from 3 visible reviews (the directory passes it; other lists may not). */
  rating?: { average: number; count: number } | null;
  /** When they are free next, already in the viewer's words (or null: nothing in the next two weeks). */
  next?: { label: string } | null;
}

export function photoUrl(e: { slug: string; photoVersion: number | null }): string | null {
  return e.photoVersion ? `/experts/${e.slug}/photo?v=${e.photoVersion}` : null;
}

/** One expert in a list: face, name, credentials, rating, languages, topics and when they are free next. */
export function ExpertCard({ expert }: { expert: ExpertSummary }) {
  return (
    <Card as="article" className="expert-card" aria-labelledby={`expert-${expert.id}`}>
      <div className="expert-card-head">
        <Avatar name={expert.name} initials={expert.initials} src={photoUrl(expert)} size="sm" />
        <div>
          <h3 id={`expert-${expert.id}`}>
            <Link to={`/experts/${expert.slug}`}>{expert.name}</Link>
          </h3>
          <p className="expert-credentials">{expert.headline}</p>
        </div>
      </div>
      <div className="expert-meta">
        {expert.rating ? (
          <p data-testid="card-rating">
            <span className="rating">★ {expert.rating.average.toFixed(1)}</span> out of 5 · {expert.rating.count}{" "}
            reviews
          </p>
        ) : null}
        <p>
          <span className="visually-hidden">Languages: </span>
          Speaks {expert.languages.join(", ")}
        </p>
        <ul className="tags" aria-label="Topics">
          {expert.categories.slice(0, 3).map((c) => (
            <li key={c.slug} className="tag">
              {c.name}
            </li>
          ))}
          {expert.categories.length > 3 ? (
            <li className="tag badge-neutral">+{expert.categories.length - 3} more</li>
          ) : null}
        </ul>
      </div>
      {expert.next !== undefined ? (
        <p className="expert-next" data-testid="card-next">
          {expert.next ? (
            <>
              Next free: <strong>{expert.next.label}</strong>
            </>
          ) : (
            "No free times in the next two weeks"
          )}
        </p>
      ) : null}
    </Card>
  );
}
