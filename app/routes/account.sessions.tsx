import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Notice, Submit } from "~/components/forms";
import { invalidateUserSessions, listUserSessions, revokeOwnSession, deps } from "~/core.server";
import { field, unknownIntent } from "~/utils/forms.server";
import { ScrollRegion } from "~/components/ui/ScrollRegion";
import { requireSession } from "~/utils/session.server";
import { formatDateTime } from "~/utils/time";
import { accountViewer } from "~/utils/viewer.server";

export const meta: MetaFunction = () => [{ title: "Devices and sessions — Mind Namo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const sessions = await listUserSessions(deps(context).db, session.userId);
  const viewer = accountViewer(request, session.user.timezone);
  return {
    sessions: sessions.map((s) => ({
      ...s,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      createdLabel: formatDateTime(s.createdAt, viewer),
      lastSeenLabel: formatDateTime(s.lastSeenAt, viewer),
      current: s.id === session.id,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const form = await request.formData();
  const { db } = deps(context);
  if (field(form, "intent") === "revoke-others") {
    const n = await invalidateUserSessions(db, { userId: session.userId, exceptSessionId: session.id });
    return {
      message: n === 0 ? "No other sessions were open." : `Signed out ${n} other ${n === 1 ? "session" : "sessions"}.`,
    };
  }
  if (field(form, "intent") !== "revoke") throw unknownIntent();
  const id = field(form, "sessionId", 64);
  if (id === session.id) return { message: "To end this session, use Sign out." };
  // Scoped by owner: another person's session id does nothing.
  const ok = await revokeOwnSession(db, { userId: session.userId, sessionId: id });
  return { message: ok ? "That session was signed out." : "That session had already ended." };
}

export default function Sessions() {
  const { sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">Devices and sessions</h1>
      <p className="lead">Where your account is signed in. We keep this device information to protect your account.</p>
      {actionData?.message ? <Notice>{actionData.message}</Notice> : null}
      <ScrollRegion label="Your active sessions">
        <div>
          <table className="stacked">
            <caption className="visually-hidden">Your active sessions</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">IP address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} data-testid="session-row">
                  <td data-label="Device">
                    {s.browser ?? "Unknown browser"} on {s.os ?? "unknown system"}
                    {s.device ? ` · ${s.device}` : ""}
                    {s.current ? <strong> (this device)</strong> : null}
                  </td>
                  <td data-label="IP address">{s.ip ?? "—"}</td>
                  <td data-label="Signed in">
                    <time dateTime={s.createdAt}>{s.createdLabel}</time>
                  </td>
                  <td data-label="Last seen">
                    <time dateTime={s.lastSeenAt}>{s.lastSeenLabel}</time>
                  </td>
                  <td>
                    {s.current ? null : (
                      <Form method="post">
                        <input type="hidden" name="sessionId" value={s.id} />
                        <Submit variant="secondary" name="intent" value="revoke" busy="Signing out…">
                          Sign out
                        </Submit>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </ScrollRegion>
      {sessions.length > 1 ? (
        <Form method="post">
          <Submit variant="danger" name="intent" value="revoke-others" busy="Signing out…">
            Sign out all other sessions
          </Submit>
        </Form>
      ) : null}
      <p>
        <Link to="/account">Back to your account</Link>
      </p>
    </section>
  );
}
