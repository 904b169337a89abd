import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { Field, FormAlert, Notice, Submit } from "~/components/forms";
import { accounts } from "~/core.server";
import { field, formAction, formHeaders, unknownIntent } from "~/utils/forms.server";
import { accountDeps, requester, requireSession, safeNext } from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Confirm it's you — Mind Namo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireSession(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const form = await request.formData();
  const next = safeNext(form.get("next"), "/account", context.services.config.appUrl);
  const deps = accountDeps(context);
  const intent = field(form, "intent");
  if (intent === "send-code") {
    return formAction(async () => {
      await accounts.requestReauthCode(deps, session, requester(request, context));
      return { codeSent: true as const };
    });
  }
  if (intent !== "code" && intent !== "password") throw unknownIntent();
  return formAction(async () => {
    if (intent === "code")
      await accounts.reauthenticateWithCode(
        deps,
        session,
        { code: field(form, "code", 40) },
        requester(request, context),
      );
    else
      await accounts.reauthenticateWithPassword(
        deps,
        session,
        { password: field(form, "password", 200) },
        requester(request, context),
      );
    return redirect(next);
  });
}

export default function Reauth() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const next = params.get("next") ?? "/account";
  const errors = actionData && "error" in actionData ? actionData : undefined;
  const codeMode = (actionData && "codeSent" in actionData) || errors?.field === "code";
  return (
    <section aria-labelledby="title">
      <h1 id="title">Confirm it's you</h1>
      <p className="lead">
        For your security, changes to your email or password need your password (or a code) from the last 10 minutes.
      </p>
      <FormAlert actionData={errors} />
      {codeMode ? (
        <>
          <Notice>We sent an 8-digit code to your email. It is valid for 10 minutes.</Notice>
          <Form method="post" className="form" noValidate>
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
            <Submit name="intent" value="code" busy="Checking…">
              Confirm
            </Submit>
          </Form>
        </>
      ) : (
        <Form method="post" className="form" noValidate>
          <input type="hidden" name="next" value={next} />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            actionData={errors}
          />
          <Submit name="intent" value="password" busy="Checking…">
            Confirm
          </Submit>
        </Form>
      )}
      <Form method="post">
        <input type="hidden" name="next" value={next} />
        <Submit variant="link" name="intent" value="send-code" busy="Sending…">
          Email me a code instead
        </Submit>
      </Form>
    </section>
  );
}
