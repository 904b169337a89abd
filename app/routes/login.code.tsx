import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Field, FormAlert, Notice, Submit } from "~/components/forms";
import { accounts } from "~/core.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { adoptBrowserZone, landingFor } from "~/utils/landing.server";
import { accountDeps, getSession, requester, safeNext, signedInHeaders } from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Sign in with a code — Mind Namo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const current = await getSession(request, context);
  if (current)
    throw redirect(
      landingFor(
        current.user.role,
        safeNext(new URL(request.url).searchParams.get("next"), "", context.services.config.appUrl),
      ),
    );
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = field(form, "email", 300);
  const deps = accountDeps(context);
  if (field(form, "intent") === "send") {
    return formAction(
      async () => {
        await accounts.requestLoginCode(deps, { email }, requester(request, context));
        return { step: "code" as const, values: { email } };
      },
      { email },
    );
  }
  return formAction(
    async () => {
      const session = await accounts.signInWithCode(
        deps,
        { email, code: field(form, "code", 40) },
        requester(request, context),
      );
      await adoptBrowserZone(request, context, session.user.id);
      // An account whose pending password was just discarded is asked for one first.
      const to = session.needsPassword
        ? "/account/password?set=1"
        : landingFor(session.user.role, safeNext(form.get("next"), "", context.services.config.appUrl));
      return redirect(to, { headers: signedInHeaders(context, session) });
    },
    { email },
  );
}

export default function LoginWithCode() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const next = params.get("next") ?? "";
  const errors = actionData && "error" in actionData ? actionData : undefined;
  const codeStep = (actionData && "step" in actionData) || (errors && errors.field === "code");
  const email = actionData?.values?.email ?? "";
  return (
    <section aria-labelledby="title">
      <h1 id="title">Sign in with a code</h1>
      {codeStep ? (
        <>
          <Notice>
            If <strong>{email}</strong> has an account, we sent it an 8-digit sign-in code. It is valid for 10 minutes.
          </Notice>
          <Form method="post" className="form" noValidate>
            <FormAlert actionData={errors} />
            <input type="hidden" name="email" value={email} />
            <input type="hidden" name="next" value={next} />
            <Field
              label="Code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              maxLength={12}
              actionData={errors}
              // The page's one task is typing the code just emailed: the cursor waits in the field.
              // eslint-disable-next-line jsx-a11y/no-autofocus
              autoFocus
            />
            <Submit busy="Checking…">Sign in</Submit>
          </Form>
          <Form method="post" className="form">
            <input type="hidden" name="email" value={email} />
            <Submit variant="link" name="intent" value="send" busy="Sending…">
              Send me a new code
            </Submit>
          </Form>
        </>
      ) : (
        <Form method="post" className="form" noValidate>
          <p className="lead">We'll email you a one-time code. No password needed.</p>
          <FormAlert actionData={errors} />
          <Field label="Email" name="email" type="email" autoComplete="email" required actionData={errors} />
          <Submit name="intent" value="send" busy="Sending…">
            Email me a code
          </Submit>
        </Form>
      )}
      <p>
        <Link to="/login">Sign in with your password instead</Link>
      </p>
    </section>
  );
}
