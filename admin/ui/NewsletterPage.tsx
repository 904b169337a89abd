// The newsletter in the back-office (ADMIN): compose, confirm the audience size, send through the job queue. Only
// people who opted in get it; the server decides that, not this page.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable, ErrorNote, QueryState, useToast } from "./kit.tsx";
import { fmt, useTRPC } from "./trpc.ts";

export function NewsletterPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const audience = useQuery(trpc.newsletter.audience.queryOptions());
  const list = useQuery(trpc.newsletter.list.queryOptions());
  const [draft, setDraft] = useState({ subject: "", body: "" });
  const [confirming, setConfirming] = useState(false);
  const send = useMutation(
    trpc.newsletter.send.mutationOptions({
      onSuccess: () => {
        setDraft({ subject: "", body: "" });
        setConfirming(false);
        toast("Newsletter queued. It goes out in the next minutes.");
        void qc.invalidateQueries({ queryKey: trpc.newsletter.list.queryKey() });
      },
    }),
  );
  const optedIn = audience.data?.optedIn;
  return (
    <section className="c-stack" aria-labelledby="nl-title">
      <header className="c-pagehead">
        <h1 id="nl-title">Newsletter</h1>
        <p className="c-muted">
          Goes only to active accounts that turned the newsletter on (
          {optedIn === undefined ? "…" : `${optedIn} ${optedIn === 1 ? "person" : "people"}`} today), each with a
          one-click unsubscribe link. Sending is recorded in the audit log.
        </p>
      </header>
      {send.error ? <ErrorNote error={send.error} /> : null}
      <form
        className="c-card c-stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!confirming) setConfirming(true);
          else send.mutate(draft);
        }}
      >
        <div className="c-field">
          <label htmlFor="nl-subject">Subject</label>
          <input
            id="nl-subject"
            required
            maxLength={150}
            value={draft.subject}
            onChange={(e) => (setConfirming(false), setDraft({ ...draft, subject: e.target.value }))}
          />
        </div>
        <div className="c-field">
          <label htmlFor="nl-body">Message</label>
          <p className="c-hint c-muted" id="nl-body-hint">
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
          <p className="c-alert" role="status">
            Send “{draft.subject}” to {optedIn ?? "the"} opted-in {optedIn === 1 ? "person" : "people"}? This cannot be
            undone.
          </p>
        ) : null}
        <div className="c-actions c-start">
          <button className="c-button" type="submit" disabled={send.isPending}>
            {send.isPending ? "Sending…" : confirming ? "Yes, send the newsletter" : "Review and send"}
          </button>
          {confirming ? (
            <button className="c-button c-secondary" type="button" onClick={() => setConfirming(false)}>
              Keep editing
            </button>
          ) : null}
        </div>
      </form>
      <h2>Sent</h2>
      <QueryState query={list} empty="No newsletter sent yet.">
        {(rows) => (
          <DataTable
            rows={rows}
            rowKey={(n) => n.id}
            rowTestId="newsletter-row"
            columns={[
              { header: "Subject", cell: (n) => n.subject },
              { header: "Queued", cell: (n) => fmt(n.createdAt), className: "c-nowrap" },
              { header: "Recipients", cell: (n) => n.recipientCount ?? "being prepared" },
              { header: "Delivered", cell: (n) => n.delivered },
            ]}
          />
        )}
      </QueryState>
    </section>
  );
}
