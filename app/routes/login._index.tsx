import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Field, FormAlert, Notice, Submit } from "~/components/forms";
import { accounts } from "~/core.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { adoptBrowserZone, landingFor, nextQuery } from "~/utils/landing.server";
import {
  accountDeps,
  getSession,
  newSignupBinding,
  requester,
  safeNext,
  signedInHeaders,
} from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Sign in — Mind Namo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getSession(request, context);
  if (session)
    throw redirect(
      landingFor(
        session.user.role,
        safeNext(new URL(request.url).searchParams.get("next"), "", context.services.config.appUrl),
      ),
    );
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = { email: field(form, "email", 300) };
  const next = safeNext(form.get("next"), "", context.services.config.appUrl);
  return formAction(async () => {
    // Binds a confirmation code, if the address still needs one, to this browser (it just gave the password).
    const binding = newSignupBinding(context);
    const result = await accounts.signInWithPassword(
      accountDeps(context),
      { ...values, password: field(form, "password", 200), binding: binding.secret },
      requester(request, context),
    );
    if (result.kind === "verify-email")
      return redirect(`/verify?email=${encodeURIComponent(result.email)}${nextQuery(next, "&")}`, {
        headers: { "Set-Cookie": binding.cookie },
      });
    await adoptBrowserZone(request, context, result.session.user.id);
    return redirect(landingFor(result.session.user.role, next), { headers: signedInHeaders(context, result.session) });
  }, values);
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const next = params.get("next") ?? "";
  return (
    <section aria-labelledby="title">
      <h1 id="title">Sign in</h1>
      {params.get("reset") ? (
        <Notice>Your password was changed and every session was signed out. Sign in with your new password.</Notice>
      ) : null}
      <Form method="post" className="form" noValidate>
        <FormAlert actionData={actionData} />
        <input type="hidden" name="next" value={next} />
        <Field label="Email" name="email" type="email" autoComplete="email" required actionData={actionData} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          actionData={actionData}
        />
        <Submit busy="Signing in…">Sign in</Submit>
      </Form>
      <ul className="links">
        <li>
          <Link to={`/login/code${next ? `?next=${encodeURIComponent(next)}` : ""}`}>
            Email me a sign-in code instead
          </Link>
        </li>
        <li>
          <Link to={`/forgot-password${next ? `?next=${encodeURIComponent(next)}` : ""}`}>Forgot your password?</Link>
        </li>
        <li>
          New here? <Link to={`/signup${next ? `?next=${encodeURIComponent(next)}` : ""}`}>Create an account</Link>
        </li>
      </ul>
    </section>
  );
}
