import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CrisisNotice } from "~/components/CrisisNotice";
import { getPublishedExpert } from "~/core.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.expert.name} — Mind Namo` : "Expert not found — Mind Namo" },
  ...(data ? [{ name: "description", content: data.expert.headline }] : []),
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  // Public page: only the expert's public profile is read.
  const expert = await getPublishedExpert(context.services.db.prisma, params.slug ?? "");
  if (!expert) throw new Response("We could not find this expert. They may no longer be taking bookings.", { status: 404 });
  return { expert };
}

export default function ExpertProfile() {
  const { expert } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="expert-name" className="stack">
      <div className="profile-head">
        {expert.photoVersion ? (
          <img className="profile-photo" src={`/experts/${expert.slug}/photo?v=${expert.photoVersion}`} alt="" width={120} height={120} />
        ) : null}
        <div>
          <h1 id="expert-name">{expert.name}</h1>
          <p className="lead">{expert.headline}</p>
        </div>
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
          <dt>Cancellation</dt>
          <dd>Free up to {expert.cancelWindowHours} hours before the session</dd>
        </dl>
      </section>
      <CrisisNotice />
    </article>
  );
}
