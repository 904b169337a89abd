// The DPO's desk in the console: the queue of privacy requests (days left to the legal deadline, overdue first
// highlighted), one request with identity check, extension, decision and legal holds, and privacy tickets.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "@remix-run/react";
import { Link } from "~/components/Link";
import { useState } from "react";
import { errorInfo, fmt, useTRPC } from "./trpc.ts";
import { ConfirmDialog, DataTable, ErrorNote, FieldError, QueryState, useToast } from "./kit.tsx";
import {
  PRIVACY_SOURCE_LABEL,
  PRIVACY_STATUS_LABEL,
  PRIVACY_TYPE_LABEL,
  ROLE_LABEL,
  TICKET_CATEGORY_LABEL,
  TICKET_CHANNEL_LABEL,
  TICKET_STATUS_LABEL,
  USER_STATUS_LABEL,
  labelOf,
} from "../shared/labels.ts";

const STATUS_FILTERS = ["OPEN", "DUE_SOON", "PENDING", "APPROVED", "REJECTED", "CANCELLED", "COMPLETED"] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];

export function PrivacyQueue() {
  const trpc = useTRPC();
  // The filter lives in the URL, so the sidebar's "Due soon or overdue" count links straight to those requests.
  const [params, setParams] = useSearchParams();
  const asked = params.get("status");
  const status: StatusFilter | "" = asked === "" ? "" : (STATUS_FILTERS.find((s) => s === asked) ?? "OPEN");
  const setStatus = (s: StatusFilter | "") => setParams({ status: s }, { replace: true });
  const queue = useQuery(trpc.privacy.queue.queryOptions(status ? { status } : {}));
  const tickets = useQuery(trpc.privacy.tickets.queryOptions());
  return (
    <section className="c-stack" aria-labelledby="privacy-queue-title">
      <header className="c-pagehead">
        <h1 id="privacy-queue-title">Privacy requests</h1>
        <p className="c-muted">
          Every request must be answered within one month of receipt (extendable once, by up to two months, with a
          reason the user is told).
        </p>
      </header>
      <div className="c-filters">
        <div className="c-field">
          <label htmlFor="privacy-show">Show</label>
          <select id="privacy-show" value={status} onChange={(e) => setStatus(e.target.value as StatusFilter | "")}>
            <option value="">All (including those awaiting the identity check)</option>
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {s === "OPEN"
                  ? "Open (pending or approved)"
                  : s === "DUE_SOON"
                    ? "Due within 7 days or overdue"
                    : labelOf(PRIVACY_STATUS_LABEL, s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <QueryState query={queue} empty="No requests match.">
        {(rows) => (
          <DataTable
            rows={rows}
            rowKey={(r) => r.id}
            rowTestId="privacy-row"
            rowClass={(r) => (r.overdue || r.escalated ? "c-overdue" : undefined)}
            rowData={(r) => ({ overdue: r.overdue, escalated: r.escalated })}
            columns={[
              {
                header: "Request",
                cell: (r) => (
                  <>
                    <Link to={`/admin/privacy/${r.id}`}>{labelOf(PRIVACY_TYPE_LABEL, r.type)}</Link>
                    {r.mine ? <em> (your own — another DPO decides)</em> : null}
                    <br />
                    <span className="c-muted c-small">{labelOf(PRIVACY_SOURCE_LABEL, r.source)}</span>
                  </>
                ),
              },
              {
                header: "Requester",
                cell: (r) => r.requester?.name ?? (r.source === "ACCOUNT" ? "Erased account" : "Visitor"),
              },
              { header: "Received", cell: (r) => fmt(r.receivedAt), className: "c-nowrap" },
              {
                header: "Deadline",
                cell: (r) => (
                  <>
                    {fmt(r.dueAt)}
                    {r.extended ? " (extended)" : ""}
                  </>
                ),
              },
              {
                header: "Days left",
                cell: (r) =>
                  r.daysLeft === null ? (
                    "—"
                  ) : r.overdue ? (
                    <strong>Overdue</strong>
                  ) : (
                    `${r.daysLeft} ${r.daysLeft === 1 ? "day" : "days"}`
                  ),
                className: "c-nowrap",
              },
              {
                header: "Status",
                cell: (r) => (
                  <>
                    {labelOf(PRIVACY_STATUS_LABEL, r.status)}
                    {r.escalated && (r.status === "PENDING" || r.status === "APPROVED") ? (
                      <>
                        {" "}
                        <strong data-testid="privacy-escalated">
                          · Escalated: no decision 7 days before the deadline
                        </strong>
                      </>
                    ) : null}
                  </>
                ),
              },
            ]}
          />
        )}
      </QueryState>
      <section className="c-stack" aria-labelledby="privacy-tickets-title">
        <h2 id="privacy-tickets-title">Support tickets about privacy</h2>
        <QueryState query={tickets} empty="No privacy tickets.">
          {(list) => (
            <ul className="c-plain c-stack">
              {list.map((t) => (
                <li key={t.id}>
                  {t.subject} · {t.requester} · {labelOf(TICKET_CHANNEL_LABEL, t.channel)} ·{" "}
                  {labelOf(TICKET_STATUS_LABEL, t.status)} · {fmt(t.createdAt)}
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      </section>
    </section>
  );
}

export function PrivacyRequestPage({ requestId }: { requestId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const request = useQuery(trpc.privacy.get.queryOptions({ requestId }));
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.privacy.get.queryKey({ requestId }) });
  const [note, setNote] = useState("");
  const [until, setUntil] = useState("");
  const [extReason, setExtReason] = useState("");
  const [reason, setReason] = useState("");
  const [hold, setHold] = useState({ recordId: "", basis: "", until: "" });
  const identity = useMutation(
    trpc.privacy.identityCheck.mutationOptions({ onSuccess: () => (setNote(""), refresh()) }),
  );
  const extend = useMutation(trpc.privacy.extend.mutationOptions({ onSuccess: () => (setExtReason(""), refresh()) }));
  const decide = useMutation(
    trpc.privacy.decide.mutationOptions({
      onSuccess: (_r, v) => {
        setAsk(null);
        setReason("");
        toast(
          v.decision === "APPROVED"
            ? "Request approved. The person was emailed."
            : "Request rejected. The person was emailed.",
        );
        return refresh();
      },
    }),
  );
  const placeHold = useMutation(
    trpc.privacy.placeHold.mutationOptions({
      onSuccess: () => {
        setAsk(null);
        setHold({ recordId: "", basis: "", until: "" });
        toast("Legal hold placed.");
        return refresh();
      },
    }),
  );
  const releaseHold = useMutation(
    trpc.privacy.releaseHold.mutationOptions({
      onSuccess: () => {
        setAsk(null);
        toast("Legal hold released.");
        return refresh();
      },
    }),
  );
  const [fix, setFix] = useState({ firstName: "", lastName: "", reason: "" });
  const correct = useMutation(trpc.privacy.correctName.mutationOptions({ onSuccess: refresh }));
  const [ask, setAsk] = useState<
    | { kind: "decide"; decision: "APPROVED" | "REJECTED" }
    | { kind: "release"; holdId: string }
    | { kind: "hold" }
    | null
  >(null);
  if (!request.data) return <QueryState query={request}>{() => null}</QueryState>;
  const r = request.data;
  const open = r.status === "PENDING" || r.status === "APPROVED";
  // What the dialog confirms reports its own failure inside the dialog, which stays open until it succeeds.
  const error = identity.error ?? extend.error;
  const asked = ask?.kind === "decide" ? decide : ask?.kind === "release" ? releaseHold : placeHold;
  const decideWith = (decision: "APPROVED" | "REJECTED") => setAsk({ kind: "decide", decision });
  const consequence =
    ask?.kind === "decide"
      ? ask.decision === "APPROVED"
        ? r.type === "DELETION"
          ? "The account and its data are erased once the grace period ends. This cannot be undone afterwards."
          : "The request is marked as done."
        : "The request is closed as rejected."
      : ask?.kind === "release"
        ? "The record is no longer kept for the legal basis: it is erased with the account."
        : "The chosen record is kept past an erasure until the date given, for the legal basis you wrote.";
  return (
    <section className="c-stack" aria-labelledby="privacy-request-title">
      <ConfirmDialog
        open={ask !== null}
        title={
          ask?.kind === "decide"
            ? ask.decision === "APPROVED"
              ? r.type === "DELETION"
                ? "Approve this deletion?"
                : "Mark this request done?"
              : "Reject this request?"
            : ask?.kind === "release"
              ? "Release this legal hold?"
              : "Place this legal hold?"
        }
        consequence={
          <p>
            {consequence}
            {ask?.kind === "decide" ? " The person is emailed your reason." : ""}
          </p>
        }
        confirmLabel={
          ask?.kind === "decide"
            ? ask.decision === "APPROVED"
              ? "Yes, approve"
              : "Yes, reject"
            : ask?.kind === "release"
              ? "Release hold"
              : "Place hold"
        }
        danger={!(ask?.kind === "hold")}
        busy={asked.isPending}
        error={asked.error}
        onConfirm={() => {
          if (ask?.kind === "decide") decide.mutate({ requestId, decision: ask.decision, reason });
          else if (ask?.kind === "release") releaseHold.mutate({ holdId: ask.holdId });
          else if (ask?.kind === "hold") placeHold.mutate({ requestId, recordType: "SUPPORT_TICKET", ...hold });
        }}
        onCancel={() => {
          setAsk(null);
          asked.reset();
        }}
      />
      <p className="c-crumbs">
        <Link to="/admin/privacy">← Privacy requests</Link>
      </p>
      <h1 id="privacy-request-title">
        {labelOf(PRIVACY_TYPE_LABEL, r.type)} request ·{" "}
        <span data-testid="privacy-status">{labelOf(PRIVACY_STATUS_LABEL, r.status)}</span>
      </h1>
      {error ? <ErrorNote error={error} /> : null}
      {r.mine ? <p className="c-alert">This is your own request: another DPO must handle it.</p> : null}
      {r.status === "AWAITING_IDENTITY" ? (
        <p className="c-alert" data-testid="privacy-awaiting">
          Awaiting identity check: the requester has not yet confirmed the code we emailed them. It is not a tracked
          request yet and its one-month deadline has not started; nothing can be decided until it is confirmed.
        </p>
      ) : null}
      {r.escalated && open ? (
        <p className="c-alert" data-testid="privacy-escalated">
          Escalated: nobody acted on this request 7 days before its deadline.{" "}
          {r.extendedUntil
            ? "Its deadline was already extended once: decide it."
            : "Decide it, or extend the deadline once, with a reason."}
        </p>
      ) : null}
      <dl className="c-card c-facts">
        <dt>Requester</dt>
        <dd data-testid="privacy-requester">
          {r.user
            ? `${r.user.name} · ${r.user.email} · account ${labelOf(USER_STATUS_LABEL, r.user.status).toLowerCase()} · ${labelOf(ROLE_LABEL, r.user.role)}`
            : r.requesterEmail
              ? `No account linked · ${r.requesterEmail}`
              : "Account erased"}
        </dd>
        <dt>Made through</dt>
        <dd data-testid="privacy-source">{labelOf(PRIVACY_SOURCE_LABEL, r.source)}</dd>
        <dt>Received · deadline</dt>
        <dd>
          {fmt(r.receivedAt)} · {fmt(r.effectiveDueAt)}
          {r.extendedUntil ? ` (extended from ${fmt(r.dueAt)}: ${r.extensionReason ?? ""})` : ""}
          {r.overdue ? (
            <strong> — overdue</strong>
          ) : r.daysLeft !== null ? (
            ` — ${r.daysLeft} ${r.daysLeft === 1 ? "day" : "days"} left`
          ) : (
            ""
          )}
        </dd>
        {r.graceEndsAt ? (
          <>
            <dt>Grace period (user may cancel) ends</dt>
            <dd>{fmt(r.graceEndsAt)}</dd>
          </>
        ) : null}
        {r.details ? (
          <>
            <dt>What the user asks</dt>
            <dd className="c-prewrap">{r.details}</dd>
          </>
        ) : null}
        <dt>Identity check</dt>
        <dd className="c-prewrap">{r.identityCheck ?? "—"}</dd>
        <dt>Decision</dt>
        <dd>
          {r.decision
            ? `${labelOf(PRIVACY_STATUS_LABEL, r.decision)} by ${r.reviewer?.name ?? "—"} on ${fmt(r.decidedAt)}: ${r.decisionReason ?? ""}`
            : "—"}
        </dd>
        {r.completedAt ? (
          <>
            <dt>Completed</dt>
            <dd>{fmt(r.completedAt)}</dd>
          </>
        ) : null}
      </dl>

      {open && !r.mine ? (
        <>
          <form
            className="c-stack c-card"
            onSubmit={(e) => {
              e.preventDefault();
              identity.mutate({ requestId, note });
            }}
          >
            <h2>Record an identity check</h2>
            <div className="c-field">
              <label htmlFor="pr-note">How you confirmed who is asking</label>
              <textarea id="pr-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            <button className="c-button c-secondary" type="submit" disabled={identity.isPending}>
              Record identity check
            </button>
          </form>

          {r.type === "CORRECTION" && r.status === "PENDING" && r.user ? (
            <CorrectionForm
              currentName={r.user.name}
              value={fix}
              onChange={setFix}
              busy={correct.isPending}
              error={correct.error}
              onSubmit={() => correct.mutate({ requestId, ...fix })}
            />
          ) : null}

          {r.status === "PENDING" ? (
            <div className="c-stack c-card">
              <h2>{r.type === "CORRECTION" ? "Decide without changing the name" : "Decide"}</h2>
              <div className="c-field">
                <label htmlFor="pr-reason">Reason (the user reads it)</label>
                <textarea id="pr-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
              </div>
              <div className="c-actions c-start">
                <button
                  className="c-button"
                  type="button"
                  disabled={decide.isPending}
                  onClick={() => decideWith("APPROVED")}
                >
                  {r.type === "DELETION" ? "Approve deletion" : "Mark done"}
                </button>
                <button
                  className="c-button c-danger"
                  type="button"
                  disabled={decide.isPending}
                  onClick={() => decideWith("REJECTED")}
                >
                  Reject
                </button>
              </div>
            </div>
          ) : null}

          {!r.extendedUntil ? (
            <form
              className="c-stack c-card"
              onSubmit={(e) => {
                e.preventDefault();
                extend.mutate({ requestId, until, reason: extReason });
              }}
            >
              <h2>Extend the deadline (GDPR Art. 12(3))</h2>
              <p>
                Once, within the first month, by up to two more months (latest {fmt(r.latestExtension)}). The user is
                emailed the reason.
              </p>
              <div className="c-field">
                <label htmlFor="pr-until">New deadline</label>
                <input id="pr-until" type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
              </div>
              <div className="c-field">
                <label htmlFor="pr-ext-reason">Reason for the extension</label>
                <textarea
                  id="pr-ext-reason"
                  rows={2}
                  value={extReason}
                  onChange={(e) => setExtReason(e.target.value)}
                />
              </div>
              <button className="c-button c-secondary" type="submit" disabled={extend.isPending}>
                Extend and notify the user
              </button>
            </form>
          ) : null}
        </>
      ) : null}

      {correct.data ? (
        <section className="c-stack c-card" aria-labelledby="corrected-title" data-testid="correction-applied">
          <h2 id="corrected-title">Name corrected to {correct.data.name}</h2>
          <p>The person was emailed. Experts with sessions see the corrected first name from now on. Processors:</p>
          <ul>
            {correct.data.processors.map((p) => (
              <li key={p.processor}>
                <strong>{p.processor}:</strong> {p.effect}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {r.linkedTicket ? (
        <section className="c-stack c-card" aria-labelledby="linked-ticket-title">
          <h2 id="linked-ticket-title">The request's messages</h2>
          <p>
            Ticket “{r.linkedTicket.subject}” · {labelOf(TICKET_CHANNEL_LABEL, r.linkedTicket.channel)} ·{" "}
            {labelOf(TICKET_STATUS_LABEL, r.linkedTicket.status)} · {fmt(r.linkedTicket.createdAt)}
          </p>
          <ol className="c-stack">
            {r.linkedTicket.messages.map((m) => (
              <li key={m.id} data-testid="linked-ticket-message">
                <p>
                  <strong>{m.fromStaff ? (m.internal ? "Staff note" : "Staff reply") : "Requester"}</strong> ·{" "}
                  {fmt(m.createdAt)}
                </p>
                <p className="c-prewrap">{m.body}</p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <section className="c-stack" aria-labelledby="holds-title">
        <h2 id="holds-title">Legal holds</h2>
        {r.holds.length === 0 ? (
          <p>No legal holds on this person's records.</p>
        ) : (
          <ul>
            {r.holds.map((h) => (
              <li key={h.id}>
                Support ticket {h.recordId} · until {fmt(h.until)} · {h.basis}
                {h.releasedAt ? ` · released ${fmt(h.releasedAt)}` : null}
                {!h.releasedAt && !r.mine ? (
                  <button
                    className="c-button c-secondary"
                    type="button"
                    onClick={() => setAsk({ kind: "release", holdId: h.id })}
                  >
                    Release
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {open && !r.mine && r.tickets.length > 0 ? (
          <form
            className="c-stack c-card"
            onSubmit={(e) => {
              e.preventDefault();
              setAsk({ kind: "hold" });
            }}
          >
            <h3>Place a legal hold on a support ticket</h3>
            <div className="c-field">
              <label htmlFor="hold-ticket">Ticket</label>
              <select
                id="hold-ticket"
                value={hold.recordId}
                onChange={(e) => setHold({ ...hold, recordId: e.target.value })}
              >
                <option value="">Choose a ticket</option>
                {r.tickets.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.subject} ({labelOf(TICKET_CATEGORY_LABEL, t.category)}, {labelOf(TICKET_STATUS_LABEL, t.status)})
                  </option>
                ))}
              </select>
            </div>
            <div className="c-field">
              <label htmlFor="hold-basis">Legal basis</label>
              <textarea
                id="hold-basis"
                rows={2}
                value={hold.basis}
                onChange={(e) => setHold({ ...hold, basis: e.target.value })}
              />
            </div>
            <div className="c-field">
              <label htmlFor="hold-until">Hold until</label>
              <input
                id="hold-until"
                type="date"
                value={hold.until}
                onChange={(e) => setHold({ ...hold, until: e.target.value })}
              />
            </div>
            <button className="c-button c-secondary" type="submit" disabled={placeHold.isPending}>
              Place legal hold
            </button>
          </form>
        ) : null}
      </section>
    </section>
  );
}

/** The corrected name, typed by the DPO from what the person asked; the server validates it and names the field. */
function CorrectionForm({
  currentName,
  value,
  onChange,
  busy,
  error,
  onSubmit,
}: {
  currentName: string;
  value: { firstName: string; lastName: string; reason: string };
  onChange: (v: { firstName: string; lastName: string; reason: string }) => void;
  busy: boolean;
  error: unknown;
  onSubmit: () => void;
}) {
  const info = error ? errorInfo(error) : null;
  const field = (key: "firstName" | "lastName" | "reason") => ({
    value: value[key],
    "aria-invalid": info?.fields[key] ? true : undefined,
    "aria-describedby": info?.fields[key] ? `fix-${key}-err` : undefined,
  });
  return (
    <form
      className="c-stack c-card"
      aria-labelledby="fix-title"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h2 id="fix-title">Apply the correction</h2>
      <p>
        The name on the account is now <strong>{currentName}</strong>. Type the name as the person asks for it; the
        request is completed, the person is emailed your note, and experts see the corrected first name.
      </p>
      {info && Object.keys(info.fields).length === 0 ? (
        <p className="c-alert" role="alert">
          {info.message}
        </p>
      ) : null}
      <div className="c-field">
        <label htmlFor="fix-firstName">First name</label>
        <input
          id="fix-firstName"
          autoComplete="off"
          {...field("firstName")}
          onChange={(e) => onChange({ ...value, firstName: e.target.value })}
        />
        <FieldError id="fix-firstName-err" message={info?.fields.firstName} />
      </div>
      <div className="c-field">
        <label htmlFor="fix-lastName">Last name (leave empty for a single name)</label>
        <input
          id="fix-lastName"
          autoComplete="off"
          {...field("lastName")}
          onChange={(e) => onChange({ ...value, lastName: e.target.value })}
        />
        <FieldError id="fix-lastName-err" message={info?.fields.lastName} />
      </div>
      <div className="c-field">
        <label htmlFor="fix-reason">Note to the person (what you corrected)</label>
        <textarea
          id="fix-reason"
          rows={2}
          {...field("reason")}
          onChange={(e) => onChange({ ...value, reason: e.target.value })}
        />
        <FieldError id="fix-reason-err" message={info?.fields.reason} />
      </div>
      <button className="c-button" type="submit" disabled={busy}>
        Correct the name and complete the request
      </button>
    </form>
  );
}
