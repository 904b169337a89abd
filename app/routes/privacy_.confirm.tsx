import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Field, FormAlert, Notice, Submit } from "~/components/forms";
import { privacyIntake } from "~/core.server";
import { field, formAction, formHeaders, unknownIntent } from "~/utils/forms.server";
import { intakeDeps } from "~/utils/privacy.server";
import { formatDate, localeFrom } from "~/utils/time";
import { resolveViewer } from "~/utils/viewer.server";

export const headers = formHeaders;
export const meta: MetaFunction = () => [{ title: "Confirm your privacy request — Mind Namo" }];

// Open to everyone: the link in the identity-code email lands here. The page says nothing about a request beyond
// whether a code is still expected, so an id typed at random tells nobody anything.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const requestId = (new URL(request.url).searchParams.get("request") ?? "").slice(0, 64);
  const found = requestId ? await privacyIntake.pendingConfirmation(intakeDeps(context), requestId) : null;
  return { requestId, awaiting: found?.awaiting ?? false };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const requestId = field(form, "request", 64);
  const intent = field(form, "intent", 20) || "confirm";
  const deps = intakeDeps(context);
  if (intent === "resend") {
    return formAction(async () => {
      await privacyIntake.resendIdentityCode(deps, { requestId }, { ip: context.clientIp });
      // The same answer whether or not a code was due: nothing is revealed about the request.
      return { resent: true as const };
    });
  }
  if (intent !== "confirm") throw unknownIntent();
  return formAction(async () => {
    const { dueAt } = await privacyIntake.confirmPrivacyRequest(
      deps,
      { requestId, code: field(form, "code", 40) },
      { ip: context.clientIp },
    );
    const viewer = resolveViewer(request) ?? { tz: "UTC", locale: localeFrom(request.headers.get("accept-language")) };
    return { confirmed: true as const, dueDate: formatDate(dueAt, viewer), zone: viewer.tz };
  });
}

export default function ConfirmPrivacyRequest() {
  const { requestId, awaiting } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData && "confirmed" in actionData) {
    return (
      <section aria-labelledby="title" className="stack">
        <h1 id="title">Your privacy request is confirmed</h1>
        <Notice>
          Thank you. Your request is now with our Data Protection Officer, who will answer by email by{" "}
          <strong data-testid="due-date">{actionData.dueDate}</strong> at the latest.
        </Notice>
        <p>
          <Link to="/privacy">Read our privacy policy</Link>
        </p>
      </section>
    );
  }
  const errors = actionData && "error" in actionData ? actionData : undefined;
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">Confirm your privacy request</h1>
      {actionData && "resent" in actionData ? (
        <Notice>If this request still waits for its code, we emailed a new one. It is valid for 30 minutes.</Notice>
      ) : null}
      {requestId && !awaiting && !errors ? (
        <Notice tone="warning">
          This link is not valid, or the request was already confirmed. If you wrote to us about your data, check the
          latest email from us, or write again through the <Link to="/contact">contact form</Link>.
        </Notice>
      ) : null}
      <p className="lead">
        To make sure the request comes from you, enter the 8-digit code we emailed to the address you gave. Our
        one-month deadline to answer starts once it is confirmed.
      </p>
      <Form method="post" className="form stack" noValidate>
        <FormAlert actionData={errors} />
        <input type="hidden" name="request" value={requestId} />
        <Field
          label="Code from the email"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          maxLength={12}
          actionData={errors}
        />
        <Submit name="intent" value="confirm" busy="Checking…">
          Confirm my request
        </Submit>
      </Form>
      <Form method="post" className="form">
        <input type="hidden" name="request" value={requestId} />
        <Submit variant="link" name="intent" value="resend" busy="Sending…">
          Send me a new code
        </Submit>
      </Form>
    </section>
  );
}
