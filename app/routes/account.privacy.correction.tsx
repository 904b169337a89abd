import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { FormAlert, Submit } from "~/components/forms";
import { isFreshlyAuthenticated, privacyRequests } from "~/core.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { privacyDeps, requireFreshFor } from "~/utils/privacy.server";
import { requireSession } from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Ask for a correction — Mind Namo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  return { fresh: isFreshlyAuthenticated(session) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireFreshFor(request, context, "/account/privacy/correction");
  const form = await request.formData();
  const values = { details: field(form, "details", 4000) };
  return formAction(async () => {
    await privacyRequests.requestCorrection(privacyDeps(context), session.userId, values, {
      ip: context.clientIp,
      reauthenticatedAt: session.reauthenticatedAt,
    });
    return redirect("/account/privacy?done=correction");
  }, values);
}

export default function Correction() {
  const { fresh } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData && "error" in actionData ? actionData : undefined;
  const invalid = errors?.field === "details";
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">Ask for a correction</h1>
      <p className="lead">
        You can change your name, email address and picture yourself on <Link to="/account">your account page</Link>.
        For anything else we hold about you that is wrong, tell us here: our Data Protection Officer answers within one
        month.
      </p>
      <Form method="post" className="form" noValidate>
        <FormAlert actionData={errors} />
        {!fresh ? (
          <p className="hint">We will ask for your password (or a code by email) to confirm it's you.</p>
        ) : null}
        <div className="field">
          <label htmlFor="f-details">What is wrong, and what should it say?</label>
          <p className="hint" id="f-details-hint">
            For example: “My session on 3 May is listed as missed, but I attended it.” 10 to 4,000 characters.
          </p>
          <textarea
            id="f-details"
            name="details"
            rows={6}
            required
            minLength={10}
            maxLength={4000}
            defaultValue={errors?.values?.details}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? "f-details-hint f-details-error" : "f-details-hint"}
          />
          {invalid ? (
            <p className="field-error" id="f-details-error" role="alert">
              {errors?.error}
            </p>
          ) : null}
        </div>
        <Submit busy="Sending…">Send correction request</Submit>
      </Form>
      <p>
        <Link to="/account/privacy">Back to your privacy center</Link>
      </p>
    </section>
  );
}
