import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Notice, Submit } from "~/components/forms";
import { INVALID_LINK, isDomainError, unsubscribeWithLink, deps } from "~/core.server";
import { formHeaders } from "~/utils/forms.server";
import { checkUnsubscribeLink, LIST_LABELS } from "~/utils/communications.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Unsubscribe — Mind Namo" }, { name: "robots", content: "noindex" }];

// One-click unsubscribe (privacy promise P24, RFC 8058), signed out: the link carries the user id, the list and an
// HMAC. GET shows a button (GET never changes anything); POST turns the list off with no further step. Mail clients
// that support one-click unsubscribe POST here directly ("List-Unsubscribe=One-Click"), with the signed link as
// the only proof. A forged or altered link is refused with a clear message (403) and changes nothing.
export function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (!url.searchParams.has("u") && !url.searchParams.has("t")) return { link: null, error: null };
  const link = checkUnsubscribeLink(context, (k) => url.searchParams.get(k));
  if (!link) return data({ link: null, error: INVALID_LINK }, { status: 403 });
  return { link: { ...link, label: LIST_LABELS[link.list] }, error: null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const url = new URL(request.url);
  const form = await request.formData().catch(() => new FormData());
  // The link's parameters are in the query string (one-click POST from a mail client) or in the form (the button).
  const get = (k: string) =>
    url.searchParams.get(k) ?? (typeof form.get(k) === "string" ? (form.get(k) as string) : null);
  try {
    const { list } = await unsubscribeWithLink(deps(context).db, context.services.secrets.unsubscribeKey, get);
    return { done: true as const, label: LIST_LABELS[list], error: null };
  } catch (error) {
    if (!isDomainError(error) || error.code !== "FORBIDDEN") throw error;
    // A refused link counts against this network's secret-guessing budget (a valid link never does).
    try {
      await context.services.rateLimiter.consume("secret:ip", context.clientIp);
    } catch (limited) {
      if (isDomainError(limited))
        return data({ done: false as const, label: null, error: limited.message }, { status: 429 });
      throw limited;
    }
    return data({ done: false as const, label: null, error: INVALID_LINK }, { status: 403 });
  }
}

export default function Unsubscribe() {
  const { link, error } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.done) {
    return (
      <section aria-labelledby="title" className="stack">
        <h1 id="title">You are unsubscribed</h1>
        <Notice>
          You will no longer get {actionData.label}. Emails you need for your account and bookings — confirmations,
          changes, security notices and sign-in codes — still reach you.
        </Notice>
        <p>
          Changed your mind? Sign in and open <Link to="/account/communications">your email settings</Link>.
        </p>
      </section>
    );
  }
  const problem = actionData?.error ?? error;
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">Unsubscribe</h1>
      {problem ? (
        <p className="alert" role="alert">
          {problem}
        </p>
      ) : null}
      {link && !problem ? (
        <Form
          method="post"
          action={`/unsubscribe?u=${encodeURIComponent(link.userId)}&l=${link.list}&t=${link.token}`}
          className="form"
        >
          <input type="hidden" name="u" value={link.userId} />
          <input type="hidden" name="l" value={link.list} />
          <input type="hidden" name="t" value={link.token} />
          <p>Stop sending you {link.label}? You do not need to sign in.</p>
          <Submit busy="Saving…">Unsubscribe</Submit>
        </Form>
      ) : (
        <p>
          You can also <Link to="/account/communications">change your email settings</Link> after signing in.
        </p>
      )}
    </section>
  );
}
