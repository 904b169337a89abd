import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PROCESSORS } from "~/core.server";

export const meta: MetaFunction = () => [{ title: "Who receives your data — Mind Namo" }];

// Public and the same for everyone: written from the one typed list of processors (core/privacy/processors.ts).
export function loader() {
  return {
    processors: PROCESSORS.map((p) => ({
      key: p.key,
      name: p.name,
      role: p.role,
      purpose: p.purpose,
      data: p.data,
      location: p.location,
      transferBasis: p.transferBasis,
    })),
  };
}

export default function Processors() {
  const { processors } = useLoaderData<typeof loader>();
  return (
    <article className="policy stack" aria-labelledby="title">
      <h1 id="title">Who receives your data</h1>
      <p className="lead">
        Only these service providers receive personal data from us, each under a data-processing agreement and only for
        the purpose named. We sell or rent data to no one, and no advertising, analytics or tracking company receives
        anything.
      </p>
      {processors.map((p) => (
        <section key={p.key} aria-labelledby={`processor-${p.key}`} className="card stack" data-testid="processor">
          <h2 id={`processor-${p.key}`}>{p.name}</h2>
          <dl>
            <dt>What they do for us</dt>
            <dd>
              {p.role}. {p.purpose}
            </dd>
            <dt>What they receive</dt>
            <dd>
              <ul>
                {p.data.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </dd>
            <dt>Where</dt>
            <dd>{p.location}</dd>
            <dt>Basis for any transfer</dt>
            <dd>{p.transferBasis}</dd>
          </dl>
        </section>
      ))}
      <p>
        Experts are not service providers: they see your first name, the topic you chose and the session&apos;s time.{" "}
        <Link to="/privacy">Back to the privacy policy</Link>.
      </p>
    </article>
  );
}
