import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormAlert, Submit, NewPasswordField } from "~/components/forms";
import { accounts } from "~/core.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { nextQuery } from "~/utils/landing.server";
import { accountDeps, clearSessionCookie, requester, safeNext } from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [
  { title: "Choose a new password — Mind Namo" },
  { name: "referrer", content: "no-referrer" },
];

export function loader({ request }: LoaderFunctionArgs) {
  // Public: the token or code is checked when the form is sent, once.
  const url = new URL(request.url);
  return {
    token: url.searchParams.get("token")?.slice(0, 200) ?? "",
    email: url.searchParams.get("email")?.slice(0, 300) ?? "",
    next: url.searchParams.get("next")?.slice(0, 512) ?? "",
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = { email: field(form, "email", 300) };
  return formAction(async () => {
    await accounts.resetPassword(
      accountDeps(context),
      {
        email: values.email,
        code: field(form, "code", 40),
        token: field(form, "token", 200),
        password: field(form, "password", 200),
      },
      requester(request, context),
    );
    // Every session ended, this browser's too.
    return redirect(`/login?reset=1${nextQuery(safeNext(form.get("next"), "", context.services.config.appUrl), "&")}`, {
      headers: { "Set-Cookie": clearSessionCookie(context) },
    });
  }, values);
}

export default function ResetPassword() {
  const { token, email, next } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="title">
      <h1 id="title">Choose a new password</h1>
      <p className="lead">Setting a new password signs you out on every device.</p>
      <Form method="post" className="form" noValidate>
        <FormAlert actionData={actionData} />
        <input type="hidden" name="next" value={next} />
        {token ? (
          <input type="hidden" name="token" value={token} />
        ) : (
          <>
            <Field
              label="Email"
              name="email"
              type="email"
              autoComplete="email"
              required
              defaultValue={email}
              actionData={actionData}
            />
            <Field
              label="Code from the email"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              maxLength={12}
              actionData={actionData}
            />
          </>
        )}
        <NewPasswordField actionData={actionData} />
        <Submit busy="Saving…">Save new password</Submit>
      </Form>
    </section>
  );
}
