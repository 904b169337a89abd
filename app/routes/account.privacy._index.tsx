import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/Link";
import { FormAlert, Notice, Submit } from "~/components/forms";
import {
  deps,
  auditActionForPerson,
  deletionInventory,
  DPO_CONTACT,
  giveHealthConsent,
  healthConsentState,
  HEALTH_CONSENT_TEXT,
  privacyRequests,
  withdrawHealthConsent,
} from "~/core.server";
import { field, formAction, formHeaders, unknownIntent } from "~/utils/forms.server";
import { exportWaitHours, isoOrNull, privacyDeps } from "~/utils/privacy.server";
import { ScrollRegion } from "~/components/ui/ScrollRegion";
import { requireSession } from "~/utils/session.server";
import { formatDate, formatDateTime } from "~/utils/time";
import { accountViewer } from "~/utils/viewer.server";
import { Button } from "~/components/ui/Button";
import { Card } from "~/components/ui/Card";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Your privacy center — Mind Namo" }];

const TYPE_LABELS: Record<string, string> = {
  ACCESS: "Copy of your data",
  CORRECTION: "Correction",
  DELETION: "Delete my account",
  OPT_OUT: "Opt-out",
  OTHER: "Privacy request",
};
const STATUS_LABELS: Record<string, string> = {
  AWAITING_IDENTITY: "Waiting for you to confirm the emailed code",
  PENDING: "Waiting for review",
  APPROVED: "Approved",
  REJECTED: "Declined",
  CANCELLED: "Cancelled",
  COMPLETED: "Done",
};
const ROLE_LABELS: Record<string, string> = {
  SUPPORT: "Support agent",
  DPO: "Data Protection Officer",
  ADMIN: "Administrator",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const { db, limiter } = deps(context);
  const [requests, ledger, summary, health, exportWaitSeconds] = await Promise.all([
    privacyRequests.listOwnRequests(db, session.userId),
    privacyRequests.staffAccessLedger(db, session.userId),
    privacyRequests.holdingsSummary(db, session.userId),
    healthConsentState(db, session.userId),
    // The day's exports are used up: the page says when the next one is possible (before anyone tries).
    limiter.waitSeconds("export:account", session.userId),
  ]);
  const now = new Date();
  const categories = new Map<string, string[]>();
  for (const e of Object.values(deletionInventory) as Array<{ category: string; holds: string }>) {
    if (session.user.role !== "EXPERT" && e.category === "Expert profile") continue;
    if (!/^(SUPPORT|DPO|ADMIN)$/.test(session.user.role) && e.holds.startsWith("Staff only")) continue;
    const list = categories.get(e.category) ?? [];
    list.push(e.holds);
    categories.set(e.category, list);
  }
  return {
    // Dates are written in the person's own zone and locale, never UTC.
    viewer: accountViewer(request, session.user.timezone),
    user: { name: session.user.name, email: session.user.email },
    summary,
    categories: [...categories].map(([category, holds]) => ({ category, holds })),
    requests: requests.map((r) => ({
      id: r.id,
      type: r.type,
      status: r.status,
      receivedAt: r.receivedAt.toISOString(),
      dueAt: privacyRequests.effectiveDue(r).toISOString(),
      extended: r.extendedUntil !== null,
      extensionReason: r.extensionReason,
      graceEndsAt: isoOrNull(r.graceEndsAt),
      decisionReason: r.decisionReason,
      decidedAt: isoOrNull(r.decidedAt),
      completedAt: isoOrNull(r.completedAt),
      cancellable:
        privacyRequests.isOpen(r.status) && (r.type !== "DELETION" || (r.graceEndsAt !== null && r.graceEndsAt > now)),
    })),
    ledger: ledger.map((l) => ({
      id: l.id,
      at: l.at.toISOString(),
      role: l.role ?? "SYSTEM",
      // In words for the person (core/audit/actions.ts), never the stored code.
      what: auditActionForPerson(l.action),
      purpose: l.purpose,
    })),
    dpo: DPO_CONTACT,
    health: { given: health.given, at: isoOrNull(health.at), text: HEALTH_CONSENT_TEXT },
    exportWait: exportWaitSeconds > 0 ? exportWaitHours(exportWaitSeconds) : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const form = await request.formData();
  const intent = field(form, "intent");
  if (intent === "health-consent-give") {
    if (field(form, "confirm", 8) !== "yes") {
      return { error: "Tick the box to give your explicit consent.", field: "healthConsent" };
    }
    await giveHealthConsent(deps(context).db, session.userId, "SETTINGS");
    return { saved: "Thank you. Your consent is recorded; you can withdraw it here at any time." };
  }
  if (intent === "health-consent-withdraw") {
    const { deletedPreferences } = await withdrawHealthConsent(deps(context).db, session.userId);
    return {
      saved:
        `Your consent is withdrawn. We deleted your wellness preferences (${deletedPreferences}) and count no more. ` +
        "Your bookings stay: we need them to hold and account for your sessions.",
    };
  }
  if (intent !== "cancel") throw unknownIntent();
  return formAction(async () => {
    await privacyRequests.cancelOwnRequest(privacyDeps(context), {
      userId: session.userId,
      requestId: field(form, "requestId", 64),
    });
    return { saved: "Your request was cancelled." };
  });
}

const DONE_NOTICES: Record<string, string> = {
  deletion: "We received your deletion request. You can cancel it below during the next 7 days.",
  correction: "We received your correction request. Our Data Protection Officer will answer it.",
  confirmed: "Thank you for confirming it's you. You can now download your data (for the next 10 minutes).",
};

/** "1 booking", "3 bookings": a count in words a person would write. */
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export default function PrivacyCenter() {
  const { summary, categories, requests, ledger, dpo, health, viewer, exportWait } = useLoaderData<typeof loader>();
  const day = (iso: string) => formatDate(new Date(iso), viewer);
  const when = (iso: string) => formatDateTime(new Date(iso), viewer);
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors = actionData && "error" in actionData ? actionData : undefined;
  const saved = actionData && "saved" in actionData ? actionData.saved : null;
  const done = DONE_NOTICES[params.get("done") ?? ""];
  // The loader's own count, or (just after a refused download) the wait the refusal gave.
  const asked = Number(params.get("export-wait"));
  const wait = exportWait ?? (Number.isInteger(asked) && asked >= 1 && asked <= 24 ? asked : null);
  const exportNotice =
    wait !== null
      ? `You have downloaded your data 5 times today, the most we allow in a day. You can download it again in about ${wait === 1 ? "an hour" : `${wait} hours`}.`
      : null;
  const counts: Record<string, string> = {
    "Devices and sign-ins": plural(summary.sessions, "signed-in device", "signed-in devices"),
    "Bookings and sessions": plural(summary.bookings, "booking", "bookings"),
    "Wellness preferences": plural(summary.preferences, "preference", "preferences"),
    "Support requests": plural(summary.tickets, "request", "requests"),
    "Your privacy requests": plural(summary.requests, "request", "requests"),
    "Staff access to your data": plural(summary.staffAccess, "recorded access", "recorded accesses"),
  };
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">Your privacy center</h1>
      <p className="lead">
        What we hold about you, who on our staff looked at it, and your rights: a copy, a correction, or deletion.
      </p>
      {done ? <Notice>{done}</Notice> : null}
      {exportNotice ? <Notice>{exportNotice}</Notice> : null}
      {saved ? <Notice>{saved}</Notice> : null}
      {errors?.field === "healthConsent" ? null : <FormAlert actionData={errors} />}

      <Card as="section" className="stack" aria-labelledby="rights-title">
        <h2 id="rights-title">Your rights</h2>
        <div className="stack">
          <div>
            <h3>Get a copy of your data</h3>
            <p>
              A machine-readable JSON file with everything we hold about you, right away. We ask you to confirm it's you
              first.
            </p>
            {/* A normal form post (not fetch), so the browser saves the file. */}
            <Form method="post" action="/account/privacy/export" reloadDocument>
              <Button type="submit">Download my data</Button>
            </Form>
          </div>
          <div>
            <h3>Correct your data</h3>
            <p>
              Change your name, email and picture yourself on <Link to="/account">your account page</Link>. For anything
              else, <Link to="/account/privacy/correction">ask for a correction</Link>.
            </p>
          </div>
          <div>
            <h3>Delete your account</h3>
            <p>
              See exactly what will be erased and what the law makes us keep, then{" "}
              <Link to="/account/privacy/delete">request deletion</Link>. You can cancel for 7 days.
            </p>
          </div>
          <div>
            <h3>Emails and analytics</h3>
            <p>
              Choose which optional emails you get and whether we may count your visits anonymously on{" "}
              <Link to="/account/communications">your communication choices</Link>.
            </p>
          </div>
        </div>
      </Card>

      <Card as="section" className="stack" aria-labelledby="health-title" data-testid="health-consent">
        <h2 id="health-title">Your health information</h2>
        <p>
          The topics of your sessions, and the topics and experts you look at, are health information. We use them only
          with your explicit consent, which is separate from our terms.
        </p>
        {health.given ? (
          <>
            <p>
              <strong>You gave your consent</strong>
              {health.at ? ` on ${day(health.at)}` : ""}: “{health.text}”
            </p>
            <p>
              If you withdraw it, we stop counting the topics and experts you look at and delete your wellness
              preferences at once. Your bookings stay, because we need them to hold your sessions and to account for
              them; you will be asked again before your next booking.
            </p>
            <Form method="post">
              <Submit variant="secondary" name="intent" value="health-consent-withdraw" busy="Withdrawing…">
                Withdraw my consent
              </Submit>
            </Form>
          </>
        ) : (
          <>
            <p>
              <strong>You have not given this consent.</strong> We do not count the topics and experts you look at, and
              we ask before your first booking.
            </p>
            <Form method="post" className="stack">
              {errors?.field === "healthConsent" ? (
                <p className="alert" role="alert" id="health-consent-error">
                  {errors.error}
                </p>
              ) : null}
              <label className="choice">
                <input type="checkbox" name="confirm" value="yes" /> {health.text}
              </label>
              <Submit name="intent" value="health-consent-give" busy="Saving…">
                Give my consent
              </Submit>
            </Form>
          </>
        )}
      </Card>

      <section aria-labelledby="requests-title">
        <h2 id="requests-title">Your requests</h2>
        {requests.length === 0 ? (
          <p className="empty">You have not made any privacy requests yet.</p>
        ) : (
          <ScrollRegion label="Your privacy requests">
            <table className="stacked">
              <caption className="visually-hidden">Your privacy requests</caption>
              <thead>
                <tr>
                  <th scope="col">Request</th>
                  <th scope="col">Received</th>
                  <th scope="col">Answer due</th>
                  <th scope="col">Status</th>
                  <th scope="col">Decision</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {requests.map((r) => (
                  <tr key={r.id} data-testid="privacy-request" data-type={r.type} data-status={r.status}>
                    <td data-label="Request">{TYPE_LABELS[r.type] ?? r.type}</td>
                    <td data-label="Received">{day(r.receivedAt)}</td>
                    <td data-label="Answer due">
                      {/* The month starts once the emailed code is confirmed: no deadline to show before. */}
                      {r.status === "AWAITING_IDENTITY" ? "Starts when you confirm the code" : day(r.dueAt)}
                      {r.extended ? <span className="hint"> (extended: {r.extensionReason})</span> : null}
                    </td>
                    <td data-label="Status">
                      {STATUS_LABELS[r.status] ?? r.status}
                      {r.graceEndsAt && (r.status === "PENDING" || r.status === "APPROVED") ? (
                        <span className="hint"> · you can cancel until {when(r.graceEndsAt)}</span>
                      ) : null}
                    </td>
                    <td data-label="Decision">{r.decisionReason ?? "—"}</td>
                    <td>
                      {r.cancellable ? (
                        <Form method="post">
                          <input type="hidden" name="requestId" value={r.id} />
                          <Submit variant="secondary" name="intent" value="cancel" busy="Cancelling…">
                            Cancel request
                          </Submit>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>

      <section aria-labelledby="holds-title">
        <h2 id="holds-title">What we hold about you</h2>
        <dl className="stack holdings">
          {categories.map((c) => (
            <div key={c.category}>
              <dt>
                <strong>{c.category}</strong>
                {counts[c.category] ? <span className="hint"> — {counts[c.category]}</span> : null}
              </dt>
              {c.holds.map((h) => (
                <dd key={h}>{h}</dd>
              ))}
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="ledger-title">
        <h2 id="ledger-title">Staff access to your data</h2>
        <p>
          Every time someone on our staff reads or changes your data, it is recorded here: their role, when, and why.
        </p>
        {ledger.length === 0 ? (
          <p className="empty">No one on our staff has accessed your data.</p>
        ) : (
          <ScrollRegion label="Staff access to your data">
            <table className="stacked">
              <caption className="visually-hidden">Staff access to your data</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who (role)</th>
                  <th scope="col">What</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {ledger.map((l) => (
                  <tr key={l.id} data-testid="ledger-row">
                    <td data-label="When">{when(l.at)}</td>
                    <td data-label="Who (role)">{ROLE_LABELS[l.role] ?? l.role}</td>
                    <td data-label="What">{l.what}</td>
                    <td data-label="Why">
                      {l.purpose
                        ? l.purpose.startsWith("privacy-request:")
                          ? "Your privacy request"
                          : "Your support request"
                        : "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>

      <section aria-labelledby="dpo-title">
        <h2 id="dpo-title">Questions?</h2>
        <p>
          Our Data Protection Officer: <a href={`mailto:${dpo.email}`}>{dpo.email}</a>, {dpo.address}.
        </p>
      </section>
      <p>
        <Link to="/account">Back to your account</Link>
      </p>
    </section>
  );
}
