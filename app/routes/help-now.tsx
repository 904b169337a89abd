import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { CrisisLines } from "~/components/CrisisNotice";
import { helplinesFor, isRegion, REGIONS, regionNames } from "~/core.server";
import { crisisFor, regionCookie } from "~/utils/crisis.server";
import { Button } from "~/components/ui/Button";
import { Card } from "~/components/ui/Card";

export const meta: MetaFunction = () => [
  { title: "Get help now — Mind Namo" },
  { name: "description", content: "Free crisis lines for your country, open day and night." },
];

// Public, never behind sign-in: someone in crisis must reach this page from anywhere in one tap.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const crisis = await crisisFor(request, context);
  const others = REGIONS.filter((r) => r !== crisis.region).map((r) => ({
    region: r,
    name: regionNames[r],
    lines: helplinesFor(r).filter((h) => h.region === r),
  }));
  return {
    crisis,
    regions: REGIONS.map((r) => ({ value: r, label: regionNames[r] })),
    others: others.map((o) => ({
      ...o,
      lines: o.lines.map((h) => ({
        name: h.name,
        action: h.action,
        href: h.href,
        hours: h.hours,
        emergency: h.emergency === true,
      })),
    })),
  };
}

/** Remembers the chosen country in this browser (a cookie with the region's code only). */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const region = form.get("region");
  if (!isRegion(region)) throw new Response("Choose a country from the list.", { status: 400 });
  return redirect("/help-now", { headers: { "Set-Cookie": regionCookie(context, region) } });
}

export default function HelpNow() {
  const { crisis, regions, others } = useLoaderData<typeof loader>();
  return (
    <div className="stack help-now">
      <header className="page-head">
        <h1>Get help now</h1>
        <p className="lead">
          If you are in danger or thinking about ending your life, you do not have to wait. These lines are free,
          confidential and answered by trained people.
        </p>
      </header>
      <Card as="section" className="card-urgent" aria-labelledby="lines-title" data-region={crisis.region}>
        <h2 id="lines-title">Lines for {crisis.regionName}</h2>
        <CrisisLines lines={crisis.lines} />
      </Card>
      <section aria-labelledby="country-title">
        <h2 id="country-title">Somewhere else?</h2>
        <Form method="post" className="row">
          <div className="field">
            <label htmlFor="region">Your country or region</label>
            <select id="region" name="region" defaultValue={crisis.region}>
              {regions.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          <Button variant="secondary" type="submit">
            Show these lines
          </Button>
        </Form>
        <p className="hint">
          {crisis.guessed
            ? "We guessed your country from your time zone or browser language. Nothing about you is stored."
            : "Remembered in this browser only."}
        </p>
        <details className="disclosure">
          <summary>Lines in other countries</summary>
          {others.map((o) => (
            <section key={o.region} aria-label={o.name}>
              <h3>{o.name}</h3>
              <CrisisLines lines={o.lines} />
            </section>
          ))}
        </details>
      </section>
      <section aria-labelledby="about-title">
        <h2 id="about-title">What Mind Namo is for</h2>
        <p>
          Mind Namo sessions are for support and growth, booked ahead of time. We are not an emergency service and our
          experts cannot send help to you. When it is urgent, please use the lines above.
        </p>
        <p>
          <Link to="/experts">Find an expert for later</Link>
        </p>
      </section>
    </div>
  );
}
