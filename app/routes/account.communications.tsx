import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { ConsentSettings } from "~/components/Consent";
import { EmailPreferencesForm } from "~/components/EmailPreferencesForm";
import { Notice } from "~/components/forms";
import { getEmailPreferences, listOwnConsents, setEmailPreferences, deps } from "~/core.server";
import { parseEmailPreferences, preferencesSavedMessage } from "~/utils/communications.server";
import { ScrollRegion } from "~/components/ui/ScrollRegion";
import { requireSession } from "~/utils/session.server";
import { formatDateTime } from "~/utils/time";
import { accountViewer } from "~/utils/viewer.server";
import { unknownIntent } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Emails and privacy choices — Mind Namo" }];

const KIND_LABEL = {
  ANALYTICS: "Anonymous analytics",
  NEWSLETTER: "Newsletter",
  HEALTH_DATA: "Health information (session topics and preferences)",
} as const;
const SOURCE_LABEL = {
  BANNER: "the banner",
  SETTINGS: "your settings",
  EMAIL_LINK: "an unsubscribe link",
  BOOKING: "the booking form",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const { db } = deps(context);
  const [prefs, consents] = await Promise.all([
    getEmailPreferences(db, session.userId),
    listOwnConsents(db, session.userId),
  ]);
  return {
    viewer: accountViewer(request, session.user.timezone),
    prefs,
    history: consents.map((c) => ({
      key: `${c.kind}:${c.at.toISOString()}:${c.source}:${c.given}`,
      what: KIND_LABEL[c.kind],
      choice: c.given
        ? c.kind === "NEWSLETTER"
          ? "Subscribed"
          : c.kind === "HEALTH_DATA"
            ? "Consent given"
            : "Allowed"
        : c.kind === "NEWSLETTER"
          ? "Unsubscribed"
          : c.kind === "HEALTH_DATA"
            ? "Consent withdrawn"
            : "Essential only",
      source: SOURCE_LABEL[c.source],
      at: c.at.toISOString(),
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const form = await request.formData();
  if (form.get("intent") !== "email-preferences") throw unknownIntent();
  const prefs = await setEmailPreferences(deps(context).db, session.userId, parseEmailPreferences(form), "SETTINGS");
  return { saved: preferencesSavedMessage(prefs) };
}

export default function Communications() {
  const { prefs, history, viewer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">Emails and privacy choices</h1>
      {actionData?.saved ? <Notice>{actionData.saved}</Notice> : null}

      <section aria-labelledby="emails-title" className="stack">
        <h2 id="emails-title">Emails we send you</h2>
        <p>
          <strong>Always sent</strong> (you need them to use your account safely): booking confirmations, changes and
          cancellations, security notices (a new password or email address), and sign-in and verification codes.
        </p>
        <EmailPreferencesForm reminders={prefs.reminders} newsletter={prefs.newsletter} details={prefs.details} />
      </section>

      <section aria-labelledby="analytics-title" className="stack">
        <h2 id="analytics-title">Anonymous analytics in this browser</h2>
        <p className="hint">
          We never use advertising or tracking cookies. With your permission we count anonymous page visits, with no
          account, IP address or cookie attached.
        </p>
        <ConsentSettings />
      </section>

      <section aria-labelledby="history-title" className="stack">
        <h2 id="history-title">Your consent history</h2>
        {history.length === 0 ? (
          <p className="empty">No choices recorded yet. Choices you make while signed in appear here.</p>
        ) : (
          <ScrollRegion label="Your consent history">
            <table data-testid="consent-history">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Your choice</th>
                  <th scope="col">Made on</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.key}>
                    <td>
                      <time dateTime={h.at}>{formatDateTime(new Date(h.at), viewer)}</time>
                    </td>
                    <td>{h.what}</td>
                    <td>{h.choice}</td>
                    <td>{h.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
      <p>
        More about your data: <Link to="/account/privacy">your privacy center</Link> ·{" "}
        <Link to="/privacy">our privacy policy</Link>
      </p>
    </section>
  );
}
