// "This wasn't me" (P14): the link in a new-device alert. Opening it changes nothing (mail scanners open links);
// the button does: every session of the account ends, the password stops working, and the person goes straight
// to choosing a new one (the reset email is sent too). The link's token is the only authority: single use,
// expiring, checked by core (reportNotMe).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormAlert, Submit } from "~/components/forms";
import { reportNotMe } from "~/core.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { accountDeps, clearSessionCookie } from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [
  { title: "Secure your account — Mind Namo" },
  { name: "referrer", content: "no-referrer" },
];

export function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get("token")?.slice(0, 200) ?? "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  return formAction(async () => {
    const { resetToken } = await reportNotMe(
      accountDeps(context),
      { token: field(form, "token", 200) },
      { ip: context.clientIp },
    );
    const to = resetToken ? `/reset-password?token=${encodeURIComponent(resetToken)}` : "/login";
    return redirect(to, { headers: { "Set-Cookie": clearSessionCookie(context) } });
  });
}

export default function NotMe() {
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="title">
      <h1 id="title">Secure your account</h1>
      <p className="lead">You told us a new sign-in to your Mind Namo account was not you.</p>
      <p>When you confirm, we will:</p>
      <ul>
        <li>sign your account out on every device, this one included;</li>
        <li>stop your current password from working;</li>
        <li>take you to choose a new password (we also email you a link to do it later).</li>
      </ul>
      {token ? (
        <Form method="post" className="form" noValidate>
          <FormAlert actionData={actionData} />
          <input type="hidden" name="token" value={token} />
          <Submit busy="Securing your account…">Sign out everywhere and reset my password</Submit>
        </Form>
      ) : (
        <p role="alert">
          This link is incomplete. Open the link from the email again, or reset your password from the sign-in page.
        </p>
      )}
    </section>
  );
}
