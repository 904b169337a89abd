import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/Link";
import { FormAlert, NewPasswordField, Notice, Submit } from "~/components/forms";
import { accounts } from "~/core.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { accountDeps, requireFreshSession } from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Change your password — Mind Namo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireFreshSession(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireFreshSession(request, context);
  const form = await request.formData();
  return formAction(async () => {
    const { endedSessions } = await accounts.changePassword(accountDeps(context), session, {
      password: field(form, "password", 200),
    });
    return { changed: true as const, endedSessions };
  });
}

export default function ChangePassword() {
  const actionData = useActionData<typeof action>();
  const errors = actionData && "error" in actionData ? actionData : undefined;
  // After a first confirmation by code, any password given before the address was proven is gone.
  const [params] = useSearchParams();
  const setting = params.get("set") === "1";
  return (
    <section aria-labelledby="title">
      <h1 id="title">{setting ? "Choose a password" : "Change your password"}</h1>
      {setting && !actionData ? (
        <Notice>
          Your email address is confirmed. For your safety, any password given before it was confirmed was removed:
          choose one now, or keep signing in with a code sent by email. You can also check your name on your account
          page.
        </Notice>
      ) : null}
      {actionData && "changed" in actionData ? (
        <Notice>
          Your password was changed.{" "}
          {actionData.endedSessions > 0
            ? actionData.endedSessions === 1
              ? "1 other session was signed out."
              : `${actionData.endedSessions} other sessions were signed out.`
            : "No other sessions were open."}
        </Notice>
      ) : (
        <Form method="post" className="form" noValidate>
          <p className="lead">Changing your password signs you out everywhere else.</p>
          <FormAlert actionData={errors} />
          <NewPasswordField actionData={errors} />
          <Submit busy="Saving…">Change password</Submit>
        </Form>
      )}
      <p>
        <Link to="/account">Back to your account</Link>
      </p>
    </section>
  );
}
