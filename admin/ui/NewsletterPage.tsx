// The newsletter in the back-office (ADMIN): compose, confirm the audience size, send through the job queue. Only
// people who opted in get it; the server decides that, not this page.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNote, Loading } from "./Console.tsx";
import { fmt, useTRPC } from "./trpc.ts";

export function NewsletterPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const audience = useQuery(trpc.newsletter.audience.queryOptions());
  const list = useQuery(trpc.newsletter.list.queryOptions());
  const [draft, setDraft] = useState({ subject: "", body: "" });
  const [confirming, setConfirming] = useState(false);
  const send = useMutation(
    trpc.newsletter.send.mutationOptions({
      onSuccess: () => {
        setDraft({ subject: "", body: "" });
        setConfirming(false);
        void qc.invalidateQueries({ queryKey: trpc.newsletter.list.queryKey() });
      },
    }),
  );
  const optedIn = audience.data?.optedIn;
  return (
    <section className="stack" aria-labelledby="nl-title">
      <h1 id="nl-title">Newsletter</h1>
      <p>
        Goes only to active accounts that turned the newsletter on (
        {optedIn === undefined ? "…" : `${optedIn} ${optedIn === 1 ? "person" : "people"}`} today), each with a
        one-click unsubscribe link. Sending is recorded in the audit log.
      </p>
      {send.data ? <p role="status">Newsletter queued. It goes out in the next minutes.</p> : null}
      {send.error ? <ErrorNote error={send.error} /> : null}
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!confirming) setConfirming(true);
          else send.mutate(draft);
        }}
      >
        <div className="field">
          <label htmlFor="nl-subject">Subject</label>
          <input
            id="nl-subject"
            required
            maxLength={150}
            value={draft.subject}
            onChange={(e) => (setConfirming(false), setDraft({ ...draft, subject: e.target.value }))}
          />
        </div>
        <div className="field">
          <label htmlFor="nl-body">Message</label>
          <p className="hint" id="nl-body-hint">
            Plain text; leave an empty line between paragraphs. We add the greeting, the unsubscribe link and the DPO
            contact.
          </p>
          <textarea
            id="nl-body"
            aria-describedby="nl-body-hint"
            required
            rows={10}
            maxLength={20000}
            value={draft.body}
            onChange={(e) => (setConfirming(false), setDraft({ ...draft, body: e.target.value }))}
          />
        </div>
        {confirming ? (
          <p className="notice" role="status">
            Send “{draft.subject}” to {optedIn ?? "the"} opted-in {optedIn === 1 ? "person" : "people"}? This cannot be
            undone.
          </p>
        ) : null}
        <div className="row">
          <button className="button" type="submit" disabled={send.isPending}>
            {send.isPending ? "Sending…" : confirming ? "Yes, send the newsletter" : "Review and send"}
          </button>
          {confirming ? (
            <button className="button secondary" type="button" onClick={() => setConfirming(false)}>
              Keep editing
            </button>
          ) : null}
        </div>
      </form>
      <h2>Sent</h2>
      {list.isPending ? <Loading /> : list.isError ? <ErrorNote error={list.error} /> : null}
      {list.data && list.data.length === 0 ? <p className="empty">No newsletter sent yet.</p> : null}
      {list.data && list.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">Queued</th>
                <th scope="col">Recipients</th>
                <th scope="col">Delivered</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((n) => (
                <tr key={n.id} data-testid="newsletter-row">
                  <td>{n.subject}</td>
                  <td>{fmt(n.createdAt)}</td>
                  <td>{n.recipientCount ?? "being prepared"}</td>
                  <td>{n.delivered}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
