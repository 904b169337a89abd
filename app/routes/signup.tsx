import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Field, FormAlert, Submit, NewPasswordField } from "~/components/forms";
import { accounts } from "~/core.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { landingFor, nextQuery } from "~/utils/landing.server";
import { accountDeps, getSession, newSignupBinding, requester, safeNext } from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Create your account — Mind Namo" }];

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
  const values = { name: field(form, "name", 200), email: field(form, "email", 300) };
  return formAction(async () => {
    const binding = newSignupBinding(context);
    const { email } = await accounts.signUp(
      accountDeps(context),
      { ...values, password: field(form, "password", 200), binding: binding.secret },
      requester(request, context),
    );
    // The way back (e.g. a booking with its topic and time chosen) survives the emailed-code step.
    const back = nextQuery(safeNext(form.get("next"), "", context.services.config.appUrl), "&");
    return redirect(`/verify?email=${encodeURIComponent(email)}${back}`, {
      headers: { "Set-Cookie": binding.cookie },
    });
  }, values);
}

export default function SignUp() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const next = params.get("next") ?? "";
  return (
    <section aria-labelledby="title">
      <h1 id="title">Create your account</h1>
      <p className="lead">We only ask for what we need: your name, your email and a password.</p>
      <Form method="post" className="form" noValidate>
        <FormAlert actionData={actionData} />
        <input type="hidden" name="next" value={next} />
        <Field label="Your name" name="name" autoComplete="name" required maxLength={100} actionData={actionData} />
        <Field label="Email" name="email" type="email" autoComplete="email" required actionData={actionData} />
        <NewPasswordField
          label="Password"
          hint="8 to 128 characters. A few words you'll remember work well."
          actionData={actionData}
        />
        <Submit busy="Creating your account…">Create account</Submit>
        <p>
          Already have an account? <Link to={`/login${next ? `?next=${encodeURIComponent(next)}` : ""}`}>Sign in</Link>
        </p>
      </Form>
    </section>
  );
}
