import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@remix-run/react";
import { useState } from "react";
import { ErrorNote, Loading } from "./Console.tsx";
import { fmt, useTRPC } from "./trpc.ts";
import {
  TICKET_CATEGORY_LABEL,
  TICKET_CHANNEL_LABEL,
  TICKET_PRIORITY_LABEL,
  TICKET_STATUS_LABEL,
  PRIVACY_TYPE_LABEL,
  labelOf,
} from "../shared/labels.ts";

const STATUSES = ["NEW", "OPEN", "PENDING_USER", "ON_HOLD", "RESOLVED", "CLOSED"] as const;
const PRIORITIES = ["LOW", "NORMAL", "HIGH", "URGENT"] as const;
type Status = (typeof STATUSES)[number];
type Priority = (typeof PRIORITIES)[number];

export function TicketQueue() {
  const trpc = useTRPC();
  const [status, setStatus] = useState<Status | "">("");
  const [priority, setPriority] = useState<Priority | "">("");
  const [assignee, setAssignee] = useState("");
  const [overdue, setOverdue] = useState(false);
  const queue = useQuery(
    trpc.tickets.queue.queryOptions({
      ...(status ? { status } : {}),
      ...(priority ? { priority } : {}),
      ...(assignee ? { assignee } : {}),
      ...(overdue ? { overdue } : {}),
    }),
  );
  return (
    <section className="stack" aria-labelledby="queue-title">
      <h1 id="queue-title">Ticket queue</h1>
      <div className="filters" style={{ display: "flex", gap: "1rem", flexWrap: "wrap" }}>
        <label>
          Status{" "}
          <select value={status} onChange={(e) => setStatus(e.target.value as Status | "")}>
            <option value="">Not closed</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {labelOf(TICKET_STATUS_LABEL, s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Priority{" "}
          <select value={priority} onChange={(e) => setPriority(e.target.value as Priority | "")}>
            <option value="">Any</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {labelOf(TICKET_PRIORITY_LABEL, p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Assignee{" "}
          <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="none">Unassigned</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} /> Overdue only
        </label>
      </div>
      {queue.isPending ? <Loading /> : queue.isError ? <ErrorNote error={queue.error} /> : null}
      {queue.data ? (
        queue.data.length === 0 ? (
          <p>No tickets match.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Subject</th>
                  <th scope="col">Status</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Assignee</th>
                  <th scope="col">First response due</th>
                </tr>
              </thead>
              <tbody>
                {queue.data.map((t) => (
                  <tr key={t.id} data-testid="queue-row" style={t.overdue ? { background: "#fef3f2" } : undefined}>
                    <td>
                      <Link to={`/admin/tickets/${t.id}`}>{t.subject}</Link>
                      {t.overdue ? <strong> (overdue)</strong> : null}
                    </td>
                    <td>{labelOf(TICKET_STATUS_LABEL, t.status)}</td>
                    <td>{labelOf(TICKET_PRIORITY_LABEL, t.priority)}</td>
                    <td>{labelOf(TICKET_CHANNEL_LABEL, t.channel)}</td>
                    <td>{t.assignee?.name ?? "—"}</td>
                    <td>{t.firstRespondedAt ? "answered" : fmt(t.firstResponseDueAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <LogContact />
    </section>
  );
}

const LOG_CATEGORIES = ["ACCOUNT", "BOOKING", "PRIVACY", "TECHNICAL", "OTHER"] as const;
const PRIVACY_TYPES = ["ACCESS", "CORRECTION", "DELETION", "OPT_OUT", "OTHER"] as const;
type PrivacyType = (typeof PRIVACY_TYPES)[number];

/**
 * An email or a phone call, logged as a ticket on the person's behalf. Under "Privacy" it is also a privacy request:
 * the server emails the person a code, and the request goes to the DPO once they confirm it.
 */
function LogContact() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const empty = {
    channel: "PHONE" as "PHONE" | "EMAIL",
    email: "",
    subject: "",
    category: "OTHER",
    message: "",
    privacyType: "OTHER" as PrivacyType,
  };
  const [form, setForm] = useState(empty);
  const log = useMutation(
    trpc.tickets.logOnBehalf.mutationOptions({
      onSuccess: () => {
        setForm(empty);
        void qc.invalidateQueries({ queryKey: trpc.tickets.queue.queryKey() });
      },
    }),
  );
  return (
    <details className="card stack">
      <summary>Log a phone call or an email</summary>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          log.mutate({ ...form, category: form.category as (typeof LOG_CATEGORIES)[number] });
        }}
      >
        {log.error ? <ErrorNote error={log.error} /> : null}
        {log.data ? (
          <p role="status" data-testid="logged">
            Logged as <Link to={`/admin/tickets/${log.data.id}`}>a new ticket</Link>.
            {log.data.privacyRequest
              ? " It is a privacy request: we emailed the person a code to confirm it, and it goes to the Data Protection Officer once they do."
              : null}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="log-channel">How they reached us</label>
          <select
            id="log-channel"
            value={form.channel}
            onChange={(e) => setForm({ ...form, channel: e.target.value as "PHONE" | "EMAIL" })}
          >
            <option value="PHONE">{TICKET_CHANNEL_LABEL.PHONE}</option>
            <option value="EMAIL">{TICKET_CHANNEL_LABEL.EMAIL}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-email">Their email</label>
          <input
            id="log-email"
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="log-subject">Subject</label>
          <input
            id="log-subject"
            value={form.subject}
            onChange={(e) => setForm({ ...form, subject: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="log-category">What is it about?</label>
          <select
            id="log-category"
            value={form.category}
            onChange={(e) => setForm({ ...form, category: e.target.value })}
          >
            {LOG_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {labelOf(TICKET_CATEGORY_LABEL, c)}
              </option>
            ))}
          </select>
        </div>
        {form.category === "PRIVACY" ? (
          <div className="field">
            <label htmlFor="log-privacy-type">What they ask for</label>
            <select
              id="log-privacy-type"
              value={form.privacyType}
              onChange={(e) => setForm({ ...form, privacyType: e.target.value as PrivacyType })}
            >
              {PRIVACY_TYPES.map((t) => (
                <option key={t} value={t}>
                  {labelOf(PRIVACY_TYPE_LABEL, t)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="log-message">What they said</label>
          <textarea
            id="log-message"
            rows={4}
            value={form.message}
            onChange={(e) => setForm({ ...form, message: e.target.value })}
          />
        </div>
        <button className="button" type="submit" disabled={log.isPending}>
          Log it
        </button>
      </form>
    </details>
  );
}

export function TicketPage({ ticketId }: { ticketId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const ticket = useQuery(trpc.tickets.get.queryOptions({ ticketId }));
  const canned = useQuery(trpc.tickets.cannedReplies.queryOptions());
  const me = useQuery(trpc.me.get.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.tickets.get.queryKey({ ticketId }) });
  const assign = useMutation(trpc.tickets.assign.mutationOptions({ onSuccess: refresh }));
  const setStatus = useMutation(trpc.tickets.setStatus.mutationOptions({ onSuccess: refresh }));
  const setPriority = useMutation(trpc.tickets.setPriority.mutationOptions({ onSuccess: refresh }));
  const [reply, setReply] = useState("");
  const [after, setAfter] = useState<Status>("PENDING_USER");
  const [note, setNote] = useState("");
  const sendReply = useMutation(trpc.tickets.reply.mutationOptions({ onSuccess: () => (setReply(""), refresh()) }));
  const addNote = useMutation(trpc.tickets.addNote.mutationOptions({ onSuccess: () => (setNote(""), refresh()) }));
  if (ticket.isPending) return <Loading />;
  if (ticket.isError) return <ErrorNote error={ticket.error} />;
  const t = ticket.data;
  const error = assign.error ?? setStatus.error ?? setPriority.error ?? sendReply.error ?? addNote.error;
  return (
    <section className="stack" aria-labelledby="ticket-title">
      <p>
        <Link to="/admin/tickets">← Queue</Link>
      </p>
      <h1 id="ticket-title">{t.subject}</h1>
      {error ? <ErrorNote error={error} /> : null}
      <dl className="card">
        <dt>Requester</dt>
        <dd data-testid="requester">
          {t.requester.name ?? "—"} · {t.requester.email ?? "—"} ·{" "}
          {t.requester.kind === "account" ? `account ${t.requester.accountStatus}` : "visitor (no account)"}
        </dd>
        <dt>Channel · category</dt>
        <dd>
          {labelOf(TICKET_CHANNEL_LABEL, t.channel)} · {labelOf(TICKET_CATEGORY_LABEL, t.category)}
        </dd>
        <dt>Due</dt>
        <dd>
          first response {t.firstRespondedAt ? `given ${fmt(t.firstRespondedAt)}` : fmt(t.firstResponseDueAt)} ·
          resolution {fmt(t.resolutionDueAt)}
          {t.overdue ? <strong> (overdue)</strong> : null}
        </dd>
        <dt>Assignee</dt>
        <dd>
          <span data-testid="assignee">{t.assignee?.name ?? "Unassigned"}</span>{" "}
          {me.data && t.assignee?.id !== me.data.id ? (
            <button
              type="button"
              className="button secondary"
              onClick={() => assign.mutate({ ticketId, assigneeId: me.data.id })}
            >
              Assign to me
            </button>
          ) : null}
        </dd>
        <dt>Satisfaction</dt>
        <dd>{t.satisfaction ? `${t.satisfaction}/5 ${t.satisfactionComment ?? ""}` : "—"}</dd>
      </dl>
      <div style={{ display: "flex", gap: "1rem" }}>
        <label>
          Status{" "}
          <select
            aria-label="Status"
            value={t.status}
            onChange={(e) => setStatus.mutate({ ticketId, status: e.target.value as Status })}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {labelOf(TICKET_STATUS_LABEL, s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Priority{" "}
          <select
            aria-label="Priority"
            value={t.priority}
            onChange={(e) => setPriority.mutate({ ticketId, priority: e.target.value as Priority })}
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {labelOf(TICKET_PRIORITY_LABEL, p)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {t.withDpo ? (
        <p className="alert" data-testid="ticket-with-dpo">
          This ticket is a privacy request: it is with the Data Protection Officer, who reads and answers it. Its
          messages are not shown to support.
        </p>
      ) : (
        <>
          <ol className="stack" aria-label="Thread">
            {t.messages.map((m) => (
              <li
                key={m.id}
                className="card"
                data-testid="staff-thread-message"
                style={m.internal ? { background: "#fff7e6" } : undefined}
              >
                <p>
                  <strong>{m.internal ? "Internal note" : m.fromStaff ? "Reply" : "Requester"}</strong> ·{" "}
                  {m.author?.name ?? t.requester.name ?? "Visitor"} · {fmt(m.createdAt)}
                </p>
                <p style={{ whiteSpace: "pre-wrap" }}>{m.body}</p>
              </li>
            ))}
          </ol>
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              sendReply.mutate({ ticketId, body: reply, status: after });
            }}
          >
            <div className="field">
              <label htmlFor="reply">Reply to the requester</label>
              <textarea id="reply" rows={5} value={reply} onChange={(e) => setReply(e.target.value)} />
            </div>
            {canned.data && canned.data.length > 0 ? (
              <label>
                Canned reply{" "}
                <select
                  value=""
                  onChange={(e) => setReply(canned.data.find((c) => c.id === e.target.value)?.body ?? reply)}
                >
                  <option value="">Insert…</option>
                  {canned.data.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.title}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label>
              Then set status{" "}
              <select
                aria-label="Status after reply"
                value={after}
                onChange={(e) => setAfter(e.target.value as Status)}
              >
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {labelOf(TICKET_STATUS_LABEL, s)}
                  </option>
                ))}
              </select>
            </label>
            <button className="button" type="submit" disabled={sendReply.isPending}>
              Send reply
            </button>
          </form>
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              addNote.mutate({ ticketId, body: note });
            }}
          >
            <div className="field">
              <label htmlFor="note">Internal note (staff only)</label>
              <textarea id="note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            <button className="button secondary" type="submit" disabled={addNote.isPending}>
              Add note
            </button>
          </form>
        </>
      )}
    </section>
  );
}
