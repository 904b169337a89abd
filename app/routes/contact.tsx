import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, fieldError, FormAlert, Notice, Submit } from "~/components/forms";
import { PrivacyCodeNotice } from "~/components/PrivacyCodeNotice";
import { privacyIntake, support } from "~/core.server";
import { intakeDeps } from "~/utils/privacy.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { supportDeps } from "~/utils/support.server";
import { CrisisNotice } from "~/components/CrisisNotice";
import { PrivacyTypeField } from "~/components/PrivacyTypeField";
import { crisisFor } from "~/utils/crisis.server";

export const headers = formHeaders;
export const meta: MetaFunction = () => [{ title: "Contact us — Mind Namo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  return {
    categories: support.requestCategoryOptions,
    privacyTypes: privacyIntake.PRIVACY_TYPE_CHOICES,
    crisis: await crisisFor(request, context),
  };
}

/** Open to everyone (no session needed); limited per IP and per address, since it sends an email. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = {
    email: field(form, "email", 254),
    name: field(form, "name", 100),
    subject: field(form, "subject", 200),
    category: field(form, "category", 20),
    message: field(form, "message", 10_000),
    privacyType: field(form, "privacyType", 20),
  };
  return formAction(async () => {
    // Checked first: a refused value must not leave a ticket behind that a corrected retry would duplicate.
    const privacyType = privacyIntake.requestedPrivacyType(values.category, values.privacyType);
    const ticket = await support.submitContactForm(supportDeps(context), values, context.clientIp);
    // "Privacy and my data" is also a privacy request: a code goes to the address to confirm it is theirs.
    const request = await privacyIntake.privacyRequestForTicket(intakeDeps(context), ticket.id, {
      ip: context.clientIp,
      type: privacyType,
    });
    return {
      sent: true as const,
      privacy: request !== null,
      // Held back by the mail limit: the request is recorded, and the page says where to ask for the code later.
      codeLater: request && !request.codeSent ? request.id : null,
    };
  }, values);
}

const FORM_LABELS = {
  email: "Your email",
  subject: "Subject",
  category: "What is it about?",
  privacyType: "What are you asking for?",
  message: "Message",
};

export default function Contact() {
  const actionData = useActionData<typeof action>();
  const { categories, privacyTypes, crisis } = useLoaderData<typeof loader>();
  if (actionData && "sent" in actionData) {
    return (
      <section className="stack">
        <h1>Thank you</h1>
        {actionData.privacy ? (
          <PrivacyCodeNotice by="visitor" codeSent={!actionData.codeLater} requestId={actionData.codeLater} />
        ) : (
          <Notice>
            We received your message and sent a confirmation to your email. A person will answer by email.
          </Notice>
        )}
      </section>
    );
  }
  const err = actionData && "error" in actionData ? actionData : undefined;
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">Contact us</h1>
      <p className="lead">
        No account needed. We answer by email. If you have an account, sign in and use Help to follow your request.
      </p>
      <Form method="post" className="stack" noValidate>
        <FormAlert actionData={err} labels={FORM_LABELS} />
        <Field label="Your email" name="email" type="email" required autoComplete="email" actionData={err} />
        <Field label="Your name (optional)" name="name" autoComplete="name" actionData={err} />
        <Field label="Subject" name="subject" required maxLength={150} actionData={err} />
        <div className="field">
          <label htmlFor="f-category">What is it about?</label>
          <select
            id="f-category"
            aria-invalid={fieldError(err, "category") ? true : undefined}
            aria-describedby={fieldError(err, "category") ? "f-category-error" : undefined}
            name="category"
            defaultValue={err?.values?.category ?? "OTHER"}
          >
            {categories.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <PrivacyTypeField choices={privacyTypes} actionData={err} />
        <div className="field">
          <label htmlFor="f-message">Message</label>
          <textarea
            id="f-message"
            aria-invalid={fieldError(err, "message") ? true : undefined}
            aria-describedby={fieldError(err, "message") ? "f-message-error" : undefined}
            name="message"
            rows={6}
            required
            maxLength={10000}
            defaultValue={err?.values?.message}
          />
          {fieldError(err, "message") ? (
            <p className="field-error" id="f-message-error">
              {fieldError(err, "message")}
            </p>
          ) : null}
        </div>
        <Submit busy="Sending…">Send message</Submit>
      </Form>
      <CrisisNotice crisis={crisis} />
    </section>
  );
}
