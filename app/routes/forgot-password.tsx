import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Field, FormAlert, Notice, Submit } from "~/components/forms";
import { accounts } from "~/core.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { accountDeps, requester } from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Reset your password — Mind Namo" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = field(form, "email", 300);
  return formAction(
    async () => {
      await accounts.requestPasswordReset(accountDeps(context), { email }, requester(request, context));
      return { sent: true as const, values: { email } };
    },
    { email },
  );
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const errors = actionData && "error" in actionData ? actionData : undefined;
  // The way back (e.g. a booking) is carried to the reset page and on to sign-in.
  const [params] = useSearchParams();
  const next = params.get("next") ?? "";
  const nextPart = next ? `&next=${encodeURIComponent(next)}` : "";
  if (actionData && "sent" in actionData) {
    const email = actionData.values.email;
    return (
      <section aria-labelledby="title">
        <h1 id="title">Check your email</h1>
        <Notice>
          If <strong>{email}</strong> has an account, we sent it a link and a code to reset the password. Both are valid
          for 1 hour.
        </Notice>
        <p>
          <Link to={`/reset-password?email=${encodeURIComponent(email)}${nextPart}`}>I have a code</Link>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="title">
      <h1 id="title">Reset your password</h1>
      <Form method="post" className="form" noValidate>
        <p className="lead">Enter your account's email. We'll send a reset link and code.</p>
        <FormAlert actionData={errors} />
        <Field label="Email" name="email" type="email" autoComplete="email" required actionData={errors} />
        <Submit busy="Sending…">Send reset email</Submit>
      </Form>
    </section>
  );
}
