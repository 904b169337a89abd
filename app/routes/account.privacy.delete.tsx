import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { FormAlert, Submit } from "~/components/forms";
import { DomainError, erasurePlan, isFreshlyAuthenticated, privacyRequests, deps } from "~/core.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { privacyDeps, requireFreshFor } from "~/utils/privacy.server";
import { requireSession } from "~/utils/session.server";
import { formatDateTime } from "~/utils/time";
import { accountViewer } from "~/utils/viewer.server";
import { Card, cardClass } from "~/components/ui/Card";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Delete your account — Mind Namo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const open = (await privacyRequests.listOwnRequests(deps(context).db, session.userId)).find(
    (r) => r.type === "DELETION" && privacyRequests.isOpen(r.status),
  );
  const plan = erasurePlan();
  // A client has no expert profile: that part of the inventory is not about them. Database wording ("ON DELETE
  // CASCADE") means "with the account" to a person, which the sentence already says, whether it is in
  // parentheses or inline ("tied to it by ON DELETE CASCADE").
  const isExpert = session.user.role === "EXPERT";
  const plain = (how: string) => how.replace(/\s*\(ON DELETE CASCADE\)/g, "").replace(/\s+by ON DELETE CASCADE/g, "");
  const group = (items: Array<{ category: string; how: string }>) => {
    const map = new Map<string, string[]>();
    for (const i of items) {
      if (!isExpert && i.category === "Expert profile") continue;
      map.set(i.category, [...(map.get(i.category) ?? []), plain(i.how)]);
    }
    return [...map].map(([category, how]) => ({ category, how: [...new Set(how)] }));
  };
  return {
    viewer: accountViewer(request, session.user.timezone),
    deleted: group(plan.deleted),
    anonymized: group(plan.anonymized),
    kept: plan.kept.map((k) => ({
      category: k.category,
      legalBasis: k.legalBasis,
      retention: k.retention,
      how: plain(k.how ?? ""),
    })),
    graceDays: privacyRequests.GRACE_DAYS,
    fresh: isFreshlyAuthenticated(session),
    openRequest: open ? { status: open.status, graceEndsAt: open.graceEndsAt?.toISOString() ?? null } : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireFreshFor(request, context, "/account/privacy/delete");
  const form = await request.formData();
  return formAction(async () => {
    if (field(form, "confirm") !== "yes") {
      throw new DomainError("VALIDATION", "Tick the box to confirm that you want your account deleted.", {
        field: "confirm",
      });
    }
    await privacyRequests.requestDeletion(privacyDeps(context), session.userId, {
      ip: context.clientIp,
      reauthenticatedAt: session.reauthenticatedAt,
    });
    return redirect("/account/privacy?done=deletion");
  });
}

export default function DeleteAccount() {
  const { deleted, anonymized, kept, graceDays, fresh, openRequest, viewer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData && "error" in actionData ? actionData : undefined;
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">Delete your account</h1>
      <p className="lead">
        You can change your mind for {graceDays} days. After that, our Data Protection Officer checks the request, we
        erase your data, and we email you a receipt.
      </p>
      <div className="two-lists">
        <Card as="section" aria-labelledby="erased-title">
          <h2 id="erased-title">What we erase</h2>
          <ul>
            <li>Your name, email address, password and photo</li>
            <li>Your upcoming sessions (cancelled, so the expert’s time is freed)</li>
            <li>Your reviews, support requests and messages</li>
            <li>What you browsed, your email choices and your signed-in devices</li>
          </ul>
        </Card>
        <Card as="section" aria-labelledby="kept-title">
          <h2 id="kept-title">What we keep, and why</h2>
          <ul>
            <li>Past sessions, as “Former client”: the expert keeps a count of sessions held, never your name</li>
            <li>
              A record that staff looked at your data and that we honoured this request: the law asks us to prove it
            </li>
            <li>Anything under a legal hold, such as a complaint in dispute, until the hold ends</li>
          </ul>
        </Card>
      </div>
      <details className="disclosure">
        <summary>The full list, record by record</summary>
        <section aria-labelledby="erased-full-title">
          <h3 id="erased-full-title">Erased</h3>
          <ul>
            {deleted.map((d) => (
              <li key={d.category}>
                <strong>{d.category}:</strong> {d.how.join(" ")}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="anon-title">
          <h3 id="anon-title">Kept without your identity</h3>
          <ul>
            {anonymized.map((d) => (
              <li key={d.category}>
                <strong>{d.category}:</strong> {d.how.join(" ")}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="kept-full-title">
          <h3 id="kept-full-title">Kept because the law requires it</h3>
          <ul>
            {kept.map((k) => (
              <li key={k.category + k.retention}>
                <strong>{k.category}</strong> ({k.retention}): {k.legalBasis} {k.how}
              </li>
            ))}
          </ul>
          <p>
            If a record is under a legal hold (for example a complaint under dispute), it is kept until the hold ends,
            and your receipt says so.
          </p>
        </section>
      </details>
      {openRequest ? (
        <p className="notice notice-info" role="status">
          You already asked for your account to be deleted.{" "}
          {openRequest.graceEndsAt
            ? `You can cancel until ${formatDateTime(new Date(openRequest.graceEndsAt), viewer)} `
            : ""}
          in <Link to="/account/privacy">your privacy center</Link>.
        </p>
      ) : (
        <Form method="post" className={cardClass("form")} noValidate>
          <FormAlert actionData={errors} />
          {!fresh ? (
            <p className="hint">We will ask for your password (or a code by email) to confirm it's you.</p>
          ) : null}
          <div className="field">
            <label className="checkbox" htmlFor="f-confirm">
              <input
                id="f-confirm"
                type="checkbox"
                name="confirm"
                value="yes"
                required
                aria-invalid={errors?.field === "confirm" || undefined}
                aria-describedby={errors?.field === "confirm" ? "f-confirm-error" : undefined}
              />{" "}
              I want my account and my data deleted as described above.
            </label>
            {errors?.field === "confirm" ? (
              <p className="field-error" id="f-confirm-error" role="alert">
                {errors.error}
              </p>
            ) : null}
          </div>
          <Submit variant="danger" busy="Sending…">
            Request deletion
          </Submit>
        </Form>
      )}
      <p>
        <Link to="/account/privacy">Back to your privacy center</Link>
      </p>
    </section>
  );
}
