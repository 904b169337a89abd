import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { FormAlert, Notice, Submit } from "~/components/forms";
import { PrivacyCodeNotice } from "~/components/PrivacyCodeNotice";
import { support, deps } from "~/core.server";
import { field, formAction, formHeaders, notFoundAs404, unknownIntent } from "~/utils/forms.server";
import { requireSession } from "~/utils/session.server";
import { formatDateTime } from "~/utils/time";
import { accountViewer } from "~/utils/viewer.server";
import { SupportStatus } from "~/components/SupportStatus";
import { supportDeps } from "~/utils/support.server";
import { CrisisNotice } from "~/components/CrisisNotice";
import { crisisFor } from "~/utils/crisis.server";
import { Card } from "~/components/ui/Card";

export const headers = formHeaders;
// Scoped by owner: another person's ticket id is a 404, exactly like an id that does not exist (notFoundAs404).
export const meta: MetaFunction = () => [{ title: "Your request — Mind Namo" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const t = await notFoundAs404(() =>
    support.getMyTicket(deps(context).db, {
      userId: session.userId,
      ticketId: String(params.ticketId ?? "").slice(0, 64),
    }),
  );
  const viewer = accountViewer(request, session.user.timezone);
  const search = new URL(request.url).searchParams;
  return {
    // Just sent under "Privacy and my data": the page says that a code is on its way, or, when the mail limit held
    // it back, where to ask for it (the confirmation page says nothing about a request but whether it waits).
    privacyCodeSent: search.get("privacy") === "1",
    privacyCodeLater:
      search.get("privacy") === "later" ? (/^[0-9a-f-]{36}$/i.exec(search.get("request") ?? "")?.[0] ?? null) : null,
    crisis: await crisisFor(request, context),
    ticket: {
      id: t.id,
      subject: t.subject,
      status: t.status,
      satisfaction: t.satisfaction,
      messages: t.messages.map((m) => ({
        id: m.id,
        body: m.body,
        fromStaff: m.fromStaff,
        authorName: m.authorName,
        createdAt: m.createdAt.toISOString(),
        createdLabel: formatDateTime(m.createdAt, viewer),
      })),
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const ticketId = String(params.ticketId ?? "").slice(0, 64);
  const form = await request.formData();
  const intent = field(form, "intent", 20);
  const deps = supportDeps(context);
  const values = { message: field(form, "message", 10_000) };
  return notFoundAs404(() =>
    formAction(async () => {
      if (intent === "reply") {
        await support.replyAsRequester(deps, { userId: session.userId, ticketId, ...values });
        return { message: "Your reply was sent." };
      }
      if (intent === "close") {
        await support.closeAsRequester(deps, { userId: session.userId, ticketId });
        return { message: "Your request is closed." };
      }
      if (intent === "rate") {
        await support.rateTicket(deps, {
          userId: session.userId,
          ticketId,
          rating: field(form, "rating", 2),
          comment: field(form, "comment", 1000),
        });
        return { message: "Thank you for your rating." };
      }
      throw unknownIntent();
    }, values),
  );
}

export default function Ticket() {
  const { ticket, crisis, privacyCodeSent, privacyCodeLater } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const done = ticket.status === "RESOLVED" || ticket.status === "CLOSED";
  return (
    <section aria-labelledby="title" className="stack">
      <p>
        <Link to="/help">← All your requests</Link>
      </p>
      <h1 id="title">{ticket.subject}</h1>
      <p>
        <span className="visually-hidden">Status: </span>
        <span data-testid="ticket-status">
          <SupportStatus status={ticket.status} />
        </span>
      </p>
      {privacyCodeSent || privacyCodeLater ? (
        <PrivacyCodeNotice by="account" codeSent={privacyCodeSent} requestId={privacyCodeLater} />
      ) : null}
      {actionData && "message" in actionData ? <Notice>{actionData.message}</Notice> : null}
      <FormAlert actionData={actionData && "error" in actionData ? actionData : undefined} />
      <ol className="stack" aria-label="Messages">
        {ticket.messages.map((m) => (
          <Card as="li" key={m.id} data-testid="ticket-message">
            <p>
              <strong>{m.authorName}</strong> · <time dateTime={m.createdAt}>{m.createdLabel}</time>
            </p>
            <p className="prewrap">{m.body}</p>
          </Card>
        ))}
      </ol>
      {done && ticket.satisfaction === null ? (
        <Form method="post" className="stack">
          <fieldset>
            <legend>How did we do?</legend>
            <p className="hint" id="rating-hint">
              1 is poor, 5 is excellent.
            </p>
            <div className="rating-scale" aria-describedby="rating-hint">
              {[1, 2, 3, 4, 5].map((r) => (
                <label key={r} className="rating-option">
                  <input type="radio" name="rating" value={r} required />
                  <span>{r}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor="f-comment">Anything to add? (optional)</label>
            <textarea id="f-comment" name="comment" rows={2} maxLength={1000} />
          </div>
          <Submit name="intent" value="rate" busy="Sending…">
            Rate the help
          </Submit>
        </Form>
      ) : null}
      {ticket.satisfaction !== null ? <p>You rated this help {ticket.satisfaction} out of 5. Thank you.</p> : null}
      {ticket.status !== "CLOSED" ? (
        <>
          <Form method="post" className="stack">
            <div className="field">
              <label htmlFor="f-message">Your reply</label>
              <textarea id="f-message" name="message" rows={4} maxLength={10000} required />
            </div>
            <Submit name="intent" value="reply" busy="Sending…">
              Send reply
            </Submit>
          </Form>
          <Form method="post">
            <Submit name="intent" value="close" variant="secondary" busy="Closing…">
              Close this request
            </Submit>
          </Form>
        </>
      ) : null}
      <CrisisNotice crisis={crisis} />
    </section>
  );
}
