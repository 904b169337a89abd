import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { Field, FormAlert, Submit, NewPasswordField } from "~/components/forms";
import { accounts } from "~/core.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { accountDeps, getSession, newSignupBinding, requester } from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Create your account — Mind Namo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getSession(request, context)) throw redirect("/account");
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
    return redirect(`/verify?email=${encodeURIComponent(email)}`, { headers: { "Set-Cookie": binding.cookie } });
  }, values);
}

export default function SignUp() {
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="title">
      <h1 id="title">Create your account</h1>
      <p className="lead">We only ask for what we need: your name, your email and a password.</p>
      <Form method="post" className="form" noValidate>
        <FormAlert actionData={actionData} />
        <Field label="Your name" name="name" autoComplete="name" required maxLength={100} actionData={actionData} />
        <Field label="Email" name="email" type="email" autoComplete="email" required actionData={actionData} />
        <NewPasswordField
          label="Password"
          hint="8 to 128 characters. A few words you'll remember work well."
          actionData={actionData}
        />
        <Submit busy="Creating your account…">Create account</Submit>
        <p>
          Already have an account? <Link to="/login">Sign in</Link>
        </p>
      </Form>
    </section>
  );
}
