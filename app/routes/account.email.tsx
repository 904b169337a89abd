import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Field, FormAlert, Notice, Submit } from "~/components/forms";
import { accounts } from "~/core.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { accountDeps, requester, requireFreshSession } from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Change your email — Mind Namo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireFreshSession(request, context);
  return { email: session.user.email };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireFreshSession(request, context);
  const form = await request.formData();
  const email = field(form, "email", 300);
  const deps = accountDeps(context);
  if (field(form, "intent") === "confirm") {
    return formAction(
      async () => {
        await accounts.confirmEmailChange(
          deps,
          session,
          { email, code: field(form, "code", 40) },
          requester(request, context),
        );
        return redirect("/account?emailChanged=1");
      },
      { email },
    );
  }
  return formAction(
    async () => {
      await accounts.requestEmailChange(deps, session, { email }, requester(request, context));
      return { step: "code" as const, values: { email } };
    },
    { email },
  );
}

export default function ChangeEmail() {
  const { email: current } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData && "error" in actionData ? actionData : undefined;
  const codeStep = (actionData && "step" in actionData) || errors?.field === "code";
  const email = actionData?.values?.email ?? "";
  return (
    <section aria-labelledby="title">
      <h1 id="title">Change your email</h1>
      <p>
        Current address: <strong>{current}</strong>
      </p>
      {codeStep ? (
        <>
          <Notice>
            We sent an 8-digit code to <strong>{email}</strong> if it can be used. Enter it to confirm the new address.
          </Notice>
          <Form method="post" className="form" noValidate>
            <FormAlert actionData={errors} />
            <input type="hidden" name="email" value={email} />
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
            <Submit name="intent" value="confirm" busy="Checking…">
              Confirm new email
            </Submit>
          </Form>
        </>
      ) : (
        <Form method="post" className="form" noValidate>
          <FormAlert actionData={errors} />
          <Field label="New email" name="email" type="email" autoComplete="email" required actionData={errors} />
          <Submit name="intent" value="request" busy="Sending…">
            Send confirmation code
          </Submit>
        </Form>
      )}
      <p>
        <Link to="/account">Back to your account</Link>
      </p>
    </section>
  );
}
