import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormAlert, Notice, Submit } from "~/components/forms";
import { accounts } from "~/core.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { adoptBrowserZone, landingFor } from "~/utils/landing.server";
import { accountDeps, readSignupBinding, requester, safeNext, signedInHeaders } from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Confirm your email — Mind Namo" }];

export function loader({ request }: LoaderFunctionArgs) {
  // Public step of sign-up: shows a form, reads nothing.
  const url = new URL(request.url);
  const email = url.searchParams.get("email")?.slice(0, 300) ?? "";
  return { email, next: url.searchParams.get("next")?.slice(0, 512) ?? "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = field(form, "email", 300);
  const deps = accountDeps(context);
  if (field(form, "intent") === "resend") {
    return formAction(
      async () => {
        await accounts.resendVerification(deps, { email }, requester(request, context));
        return { sent: true as const, values: { email } };
      },
      { email },
    );
  }
  return formAction(
    async () => {
      const session = await accounts.verifyEmail(
        deps,
        { email, code: field(form, "code", 40), binding: readSignupBinding(request, context) },
        requester(request, context),
      );
      await adoptBrowserZone(request, context, session.user.id);
      // Back to where they were going (a booking keeps its topic and time), else the welcome on their account; an
      // account whose pending password was discarded is asked for one first.
      const back = landingFor(session.user.role, safeNext(form.get("next"), "", context.services.config.appUrl));
      const to = session.needsPassword ? "/account/password?set=1" : back === "/account" ? "/account?welcome=1" : back;
      return redirect(to, {
        headers: signedInHeaders(context, session),
      });
    },
    { email },
  );
}

export default function Verify() {
  const { email, next } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const sent = actionData && "sent" in actionData;
  const errors = actionData && "error" in actionData ? actionData : undefined;
  return (
    <section aria-labelledby="title">
      <h1 id="title">Check your email</h1>
      <p className="lead">
        If {email ? <strong>{email}</strong> : "the address"} can receive a new account, we sent an 8-digit code to it.
        It is valid for 10 minutes.
      </p>
      {sent ? <Notice>If a code can be sent, a new one is on its way.</Notice> : null}
      <Form method="post" className="form" noValidate>
        <FormAlert actionData={errors} />
        <input type="hidden" name="next" value={next} />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={email}
          actionData={errors}
        />
        <Field
          label="Code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          maxLength={12}
          actionData={errors}
        />
        <Submit busy="Checking…">Confirm email</Submit>
      </Form>
      <Form method="post" className="form">
        <input type="hidden" name="email" value={email} />
        <Submit variant="link" name="intent" value="resend" busy="Sending…">
          Send me a new code
        </Submit>
      </Form>
    </section>
  );
}
