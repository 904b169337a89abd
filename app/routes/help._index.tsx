import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Field, fieldError, FormAlert, Submit } from "~/components/forms";
import { privacyIntake, support, deps } from "~/core.server";
import { intakeDeps } from "~/utils/privacy.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { requireSession } from "~/utils/session.server";
import { SupportStatus } from "~/components/SupportStatus";
import { formatDay } from "~/utils/time";
import { accountViewer } from "~/utils/viewer.server";
import { supportDeps } from "~/utils/support.server";
import { CrisisNotice } from "~/components/CrisisNotice";
import { PrivacyTypeField } from "~/components/PrivacyTypeField";
import { crisisFor } from "~/utils/crisis.server";

export const headers = formHeaders;
export const meta: MetaFunction = () => [{ title: "Help — Mind Namo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const tickets = await support.listMyTickets(deps(context).db, session.user);
  const viewer = accountViewer(request, session.user.timezone);
  return {
    crisis: await crisisFor(request, context),
    tickets: tickets.map((t) => ({
      id: t.id,
      subject: t.subject,
      status: t.status,
      updated: formatDay(t.updatedAt, viewer),
    })),
    categories: support.requestCategoryOptions,
    privacyTypes: privacyIntake.PRIVACY_TYPE_CHOICES,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const form = await request.formData();
  const values = {
    subject: field(form, "subject", 200),
    category: field(form, "category", 20),
    message: field(form, "message", 10_000),
    privacyType: field(form, "privacyType", 20),
  };
  return formAction(async () => {
    // Checked first: a refused value must not leave a ticket behind that a corrected retry would duplicate.
    const privacyType = privacyIntake.requestedPrivacyType(values.category, values.privacyType);
    const { id } = await support.openTicket(supportDeps(context), session.userId, values);
    // "Privacy and my data" is also a privacy request, confirmed by a code emailed to the account's address.
    const request = await privacyIntake.privacyRequestForTicket(intakeDeps(context), id, {
      ip: context.clientIp,
      type: privacyType,
    });
    if (!request) throw redirect(`/help/${id}`);
    throw redirect(
      request.codeSent
        ? `/help/${id}?privacy=1`
        : `/help/${id}?privacy=later&request=${encodeURIComponent(request.id)}`,
    );
  }, values);
}

const FORM_LABELS = {
  email: "Your email",
  subject: "Subject",
  category: "What is it about?",
  privacyType: "What are you asking for?",
  message: "Message",
};

export default function Help() {
  const { tickets, categories, privacyTypes, crisis } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">Help</h1>
      <p className="lead">Ask our support team anything. A person answers, usually within one working day.</p>
      <h2>Your requests</h2>
      {tickets.length === 0 ? (
        <p className="empty">
          You have not asked for help yet. When you do, your requests and their answers appear here.
        </p>
      ) : (
        <ul className="session-list" data-testid="my-tickets">
          {tickets.map((t) => (
            <li key={t.id} className="session-item">
              <div className="session-main">
                <p className="session-when">
                  <Link to={`/help/${t.id}`}>{t.subject}</Link>
                </p>
                <p className="hint">Last update {t.updated}</p>
              </div>
              <div className="session-side">
                <SupportStatus status={t.status} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <h2>Ask for help</h2>
      <Form method="post" className="stack" noValidate>
        <FormAlert actionData={actionData} labels={FORM_LABELS} />
        <Field label="Subject" name="subject" required maxLength={150} actionData={actionData} />
        <div className="field">
          <label htmlFor="f-category">What is it about?</label>
          <select
            id="f-category"
            aria-invalid={fieldError(actionData, "category") ? true : undefined}
            aria-describedby={fieldError(actionData, "category") ? "f-category-error" : undefined}
            name="category"
            defaultValue={actionData?.values?.category ?? ""}
            required
          >
            <option value="" disabled>
              Choose…
            </option>
            {categories.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          {fieldError(actionData, "category") ? (
            <p className="field-error" id="f-category-error">
              {fieldError(actionData, "category")}
            </p>
          ) : null}
        </div>
        <PrivacyTypeField choices={privacyTypes} actionData={actionData} />
        <div className="field">
          <label htmlFor="f-message">Message</label>
          <textarea
            id="f-message"
            aria-invalid={fieldError(actionData, "message") ? true : undefined}
            aria-describedby={fieldError(actionData, "message") ? "f-message-error" : undefined}
            name="message"
            rows={6}
            required
            maxLength={10000}
            defaultValue={actionData?.values?.message}
          />
          {fieldError(actionData, "message") ? (
            <p className="field-error" id="f-message-error">
              {fieldError(actionData, "message")}
            </p>
          ) : null}
        </div>
        <Submit busy="Sending…">Send request</Submit>
      </Form>
      <CrisisNotice crisis={crisis} />
    </section>
  );
}
