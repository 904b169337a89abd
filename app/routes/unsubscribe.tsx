import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Notice, Submit } from "~/components/forms";
import { verifyUnsubscribe } from "~/core.server";

export const meta: MetaFunction = () => [{ title: "Session reminders — Mind Namo" }, { name: "robots", content: "noindex" }];

function check(url: URL | FormData, key: Uint8Array) {
  const u = url instanceof URL ? url.searchParams.get("u") : url.get("u");
  const t = url instanceof URL ? url.searchParams.get("t") : url.get("t");
  return typeof u === "string" && typeof t === "string" && verifyUnsubscribe(key, u, t) ? { u, t } : null;
}

// GET shows a button (GET never changes anything); POST turns reminders off. Mail clients that support one-click
// unsubscribe (RFC 8058) POST here directly, with the signed link as the proof.
export function loader({ request, context }: LoaderFunctionArgs) {
  const link = check(new URL(request.url), context.services.secrets.unsubscribeKey);
  return { link };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const url = new URL(request.url);
  const form = await request.formData();
  const link = check(url, context.services.secrets.unsubscribeKey) ?? check(form, context.services.secrets.unsubscribeKey);
  if (!link) return { done: false as const };
  await context.services.db.prisma.user.updateMany({ where: { id: link.u }, data: { remindersEnabled: false } });
  return { done: true as const };
}

export default function Unsubscribe() {
  const { link } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.done) {
    return (
      <section aria-labelledby="title">
        <h1 id="title">Reminders turned off</h1>
        <Notice>You will no longer get session reminders. Booking confirmations and changes still reach you.</Notice>
      </section>
    );
  }
  return (
    <section aria-labelledby="title">
      <h1 id="title">Session reminders</h1>
      {link && actionData?.done !== false ? (
        <Form method="post" className="form">
          <input type="hidden" name="u" value={link.u} />
          <input type="hidden" name="t" value={link.t} />
          <p>Turn off the reminders we send 24 hours and 1 hour before your sessions?</p>
          <Submit busy="Saving…">Turn off reminders</Submit>
        </Form>
      ) : (
        <p className="alert" role="alert">
          This link is not valid. You can change reminders from your account page after signing in.
        </p>
      )}
    </section>
  );
}
