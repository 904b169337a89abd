// Breach incidents for the DPO (docs/breach-runbook.md): the list with the 72-hour clock counting down from the
// moment we became aware, a form to open one, and one incident with the next step the law asks for. The server
// refuses steps out of order with a sentence; this page only offers the step that comes next.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "~/components/Link";
import { useEffect, useState, type ReactNode } from "react";
import { ErrorNote, FieldError, QueryState } from "./kit.tsx";
import { errorInfo, fmt, useTRPC } from "./trpc.ts";
import { INCIDENT_RISK_LABEL, INCIDENT_STATUS_LABEL, labelOf } from "../shared/labels.ts";

type Risk = keyof typeof INCIDENT_RISK_LABEL;

/** Re-renders every 30 s so the countdown stays true while the page is open. */
function useNow() {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** A datetime-local value (this computer's time) as an ISO instant, or "" when empty. */
const toInstant = (local: string) => {
  if (!local) return "";
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
};

/** The 72-hour clock in hours, never rounded to days: "70 h 12 min left", "8 h 5 min overdue". */
function countdown(deadline: string | Date, now: number): string {
  const ms = new Date(deadline).getTime() - now;
  const min = Math.floor(Math.abs(ms) / 60_000);
  const text = `${Math.floor(min / 60)} h ${min % 60} min`;
  return ms >= 0 ? `${text} left` : `${text} overdue`;
}

function Clock({
  i,
  now,
}: {
  i: { deadline: string | Date; awaitsAuthority: boolean; overdue: boolean; notifiedLate: boolean; risk: Risk | null };
  now: number;
}) {
  if (!i.awaitsAuthority) {
    if (i.risk === "UNLIKELY") return <span className="c-tag">No notification needed</span>;
    return i.notifiedLate ? (
      <span className="c-tag c-tag-danger">Notified late</span>
    ) : (
      <span className="c-tag c-tag-ok">Notified in time</span>
    );
  }
  return (
    <span className={i.overdue ? "c-tag c-tag-danger" : "c-tag"} data-testid="incident-clock">
      Authority by {fmt(i.deadline)} · {countdown(i.deadline, now)}
    </span>
  );
}

function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="c-field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="c-hint c-muted" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      <FieldError id={`${id}-err`} message={error} />
    </div>
  );
}

const described = (id: string, error?: string) => ({
  "aria-invalid": error ? true : undefined,
  "aria-describedby": error ? `${id}-err` : undefined,
});

export function IncidentsPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const now = useNow();
  const list = useQuery(trpc.incidents.list.queryOptions());
  const [form, setForm] = useState({ title: "", description: "", awareAt: "" });
  const open = useMutation(
    trpc.incidents.open.mutationOptions({
      onSuccess: () => {
        setForm({ title: "", description: "", awareAt: "" });
        void qc.invalidateQueries({ queryKey: trpc.incidents.list.queryKey() });
      },
    }),
  );
  const err = open.error ? errorInfo(open.error) : null;
  return (
    <section className="c-stack" aria-labelledby="incidents-title">
      <header className="c-pagehead">
        <h1 id="incidents-title">Breach incidents</h1>
        <p className="c-muted">
          The record of every personal-data breach (GDPR Art. 33(5)). The authority must be notified within 72 hours of
          becoming aware, unless the breach is unlikely to be a risk to people. Each step is in the audit log.
        </p>
      </header>
      <QueryState query={list} empty="No breach incidents recorded.">
        {(rows) => (
          <table className="c-table">
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Aware since</th>
                <th scope="col">Status</th>
                <th scope="col">72-hour clock</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((i) => (
                <tr key={i.id} data-row data-testid="incident-row">
                  <td>
                    <Link to={`/admin/incidents/${i.id}`}>{i.title}</Link>
                  </td>
                  <td>{fmt(i.awareAt)}</td>
                  <td>{labelOf(INCIDENT_STATUS_LABEL, i.status)}</td>
                  <td>{i.status === "CLOSED" && i.awaitsAuthority ? "—" : <Clock i={i} now={now} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <section className="c-card c-stack" aria-labelledby="incident-open-title">
        <h2 id="incident-open-title">Open an incident</h2>
        <p className="c-muted">
          Open it as soon as you are reasonably certain personal data was affected: the clock starts then, not when the
          investigation ends. Describe categories and numbers, never people by name.
        </p>
        <form
          className="c-stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            open.mutate({ ...form, awareAt: toInstant(form.awareAt) });
          }}
        >
          <Field id="inc-title" label="Title" error={err?.fields.title}>
            <input
              id="inc-title"
              value={form.title}
              {...described("inc-title", err?.fields.title)}
              onChange={(e) => setForm({ ...form, title: e.target.value })}
            />
          </Field>
          <Field id="inc-description" label="What happened, and how we learned of it" error={err?.fields.description}>
            <textarea
              id="inc-description"
              rows={3}
              value={form.description}
              {...described("inc-description", err?.fields.description)}
              onChange={(e) => setForm({ ...form, description: e.target.value })}
            />
          </Field>
          <Field
            id="inc-aware"
            label="When we became aware"
            hint="In this computer's time zone."
            error={err?.fields.awareAt}
          >
            <input
              id="inc-aware"
              type="datetime-local"
              value={form.awareAt}
              {...described("inc-aware", err?.fields.awareAt)}
              onChange={(e) => setForm({ ...form, awareAt: e.target.value })}
            />
          </Field>
          {err && Object.keys(err.fields).length === 0 ? <ErrorNote error={open.error} /> : null}
          <div>
            <button className="c-button" type="submit" disabled={open.isPending}>
              {open.isPending ? "Opening…" : "Open incident and start the clock"}
            </button>
          </div>
        </form>
      </section>
    </section>
  );
}

export function IncidentPage({ incidentId }: { incidentId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const now = useNow();
  const incident = useQuery(trpc.incidents.get.queryOptions({ incidentId }));
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: trpc.incidents.get.queryKey({ incidentId }) });
    void qc.invalidateQueries({ queryKey: trpc.incidents.list.queryKey() });
  };
  const [assessForm, setAssess] = useState<{ assessment: string; risk: Risk | "" }>({ assessment: "", risk: "" });
  const [authority, setAuthority] = useState({ reference: "", notifiedAt: "", lateReason: "" });
  const [people, setPeople] = useState({ notice: "", notifiedAt: "" });
  const [closing, setClosing] = useState("");
  const assess = useMutation(trpc.incidents.assess.mutationOptions({ onSuccess: refresh }));
  const notifyAuthority = useMutation(trpc.incidents.notifyAuthority.mutationOptions({ onSuccess: refresh }));
  const notifyPeople = useMutation(trpc.incidents.notifyPeople.mutationOptions({ onSuccess: refresh }));
  const close = useMutation(trpc.incidents.close.mutationOptions({ onSuccess: refresh }));
  if (!incident.data) return <QueryState query={incident}>{() => null}</QueryState>;
  const i = incident.data;
  const failed = assess.error ?? notifyAuthority.error ?? notifyPeople.error ?? close.error;
  const err = failed ? errorInfo(failed) : null;
  const late = i.awaitsAuthority && i.overdue;
  const canClose =
    (i.status === "ASSESSED" && i.risk === "UNLIKELY") ||
    (i.status === "AUTHORITY_NOTIFIED" && i.risk !== "HIGH") ||
    i.status === "PEOPLE_NOTIFIED";

  return (
    <section className="c-stack" aria-labelledby="incident-title">
      <p className="c-crumbs">
        <Link to="/admin/incidents">← Breach incidents</Link>
      </p>
      <header className="c-pagehead">
        <h1 id="incident-title">{i.title}</h1>
        <p>
          <span className="c-tag" data-testid="incident-status">
            {labelOf(INCIDENT_STATUS_LABEL, i.status)}
          </span>{" "}
          {i.status === "CLOSED" && i.awaitsAuthority ? null : <Clock i={i} now={now} />}
        </p>
      </header>
      {err && Object.keys(err.fields).length === 0 ? <ErrorNote error={failed} /> : null}
      <dl className="c-card c-facts">
        <dt>What happened</dt>
        <dd className="c-prewrap">{i.description}</dd>
        <dt>Aware since · deadline for the authority</dt>
        <dd>
          {fmt(i.awareAt)} · {fmt(i.deadline)}
        </dd>
        <dt>Opened</dt>
        <dd>{fmt(i.openedAt)}</dd>
        {i.assessedAt ? (
          <>
            <dt>Assessment ({fmt(i.assessedAt)})</dt>
            <dd className="c-prewrap">
              {i.risk ? <strong>{INCIDENT_RISK_LABEL[i.risk]}. </strong> : null}
              {i.assessment}
            </dd>
          </>
        ) : null}
        {i.authorityNotifiedAt ? (
          <>
            <dt>Authority notified</dt>
            <dd>
              {fmt(i.authorityNotifiedAt)} · {i.authorityReference}
              {i.lateReason ? ` · late because: ${i.lateReason}` : ""}
            </dd>
          </>
        ) : null}
        {i.peopleNotifiedAt ? (
          <>
            <dt>People told</dt>
            <dd>
              {fmt(i.peopleNotifiedAt)} · {i.peopleNotice}
            </dd>
          </>
        ) : null}
        {i.closedAt ? (
          <>
            <dt>Closed</dt>
            <dd className="c-prewrap">
              {fmt(i.closedAt)} · {i.closingNote}
            </dd>
          </>
        ) : null}
      </dl>

      {i.status === "OPEN" ? (
        <form
          className="c-card c-stack"
          aria-labelledby="assess-title"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            assess.mutate({ incidentId, ...assessForm });
          }}
        >
          <h2 id="assess-title">Assess</h2>
          <Field
            id="inc-assessment"
            label="Assessment"
            hint="What data and whose (categories, approximate numbers), likely consequences, measures taken and proposed."
            error={err?.fields.assessment}
          >
            <textarea
              id="inc-assessment"
              rows={4}
              value={assessForm.assessment}
              {...described("inc-assessment", err?.fields.assessment)}
              onChange={(e) => setAssess({ ...assessForm, assessment: e.target.value })}
            />
          </Field>
          <Field id="inc-risk" label="Risk to people" error={err?.fields.risk}>
            <select
              id="inc-risk"
              value={assessForm.risk}
              {...described("inc-risk", err?.fields.risk)}
              onChange={(e) => setAssess({ ...assessForm, risk: e.target.value as Risk | "" })}
            >
              <option value="">Choose…</option>
              {(Object.keys(INCIDENT_RISK_LABEL) as Risk[]).map((r) => (
                <option key={r} value={r}>
                  {INCIDENT_RISK_LABEL[r]}
                </option>
              ))}
            </select>
          </Field>
          <div>
            <button className="c-button" type="submit" disabled={assess.isPending}>
              Record the assessment
            </button>
          </div>
        </form>
      ) : null}

      {i.status === "ASSESSED" ? (
        <form
          className="c-card c-stack"
          aria-labelledby="authority-title"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            notifyAuthority.mutate({
              incidentId,
              reference: authority.reference,
              ...(authority.notifiedAt ? { notifiedAt: toInstant(authority.notifiedAt) } : {}),
              ...(authority.lateReason ? { lateReason: authority.lateReason } : {}),
            });
          }}
        >
          <h2 id="authority-title">Notify the supervisory authority</h2>
          <p className="c-muted">
            Use the template in the breach runbook; information may follow in phases (Art. 33(4)).
            {i.risk === "UNLIKELY" ? " The assessment says no notification is needed: you may close instead." : ""}
          </p>
          <Field id="inc-reference" label="The authority's reference, or how it was sent" error={err?.fields.reference}>
            <input
              id="inc-reference"
              value={authority.reference}
              {...described("inc-reference", err?.fields.reference)}
              onChange={(e) => setAuthority({ ...authority, reference: e.target.value })}
            />
          </Field>
          <Field
            id="inc-auth-at"
            label="When it was sent"
            hint="Leave empty for now. In this computer's time zone."
            error={err?.fields.notifiedAt}
          >
            <input
              id="inc-auth-at"
              type="datetime-local"
              value={authority.notifiedAt}
              {...described("inc-auth-at", err?.fields.notifiedAt)}
              onChange={(e) => setAuthority({ ...authority, notifiedAt: e.target.value })}
            />
          </Field>
          <Field
            id="inc-late"
            label={
              late ? "Why the notification is late (required after 72 hours)" : "Why it is late (only after 72 hours)"
            }
            error={err?.fields.lateReason}
          >
            <textarea
              id="inc-late"
              rows={2}
              value={authority.lateReason}
              {...described("inc-late", err?.fields.lateReason)}
              onChange={(e) => setAuthority({ ...authority, lateReason: e.target.value })}
            />
          </Field>
          <div>
            <button className="c-button" type="submit" disabled={notifyAuthority.isPending}>
              Record the notification
            </button>
          </div>
        </form>
      ) : null}

      {i.status === "AUTHORITY_NOTIFIED" ? (
        <form
          className="c-card c-stack"
          aria-labelledby="people-title"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            notifyPeople.mutate({
              incidentId,
              notice: people.notice,
              ...(people.notifiedAt ? { notifiedAt: toInstant(people.notifiedAt) } : {}),
            });
          }}
        >
          <h2 id="people-title">Tell the people affected</h2>
          <p className="c-muted">
            {i.risk === "HIGH"
              ? "The risk to them is high: tell them without undue delay, in plain words (Art. 34)."
              : "Not required for this risk, but you may still tell them."}
          </p>
          <Field id="inc-notice" label="How they were told, and how many" error={err?.fields.notice}>
            <textarea
              id="inc-notice"
              rows={2}
              value={people.notice}
              {...described("inc-notice", err?.fields.notice)}
              onChange={(e) => setPeople({ ...people, notice: e.target.value })}
            />
          </Field>
          <Field
            id="inc-people-at"
            label="When"
            hint="Leave empty for now. In this computer's time zone."
            error={err?.fields.notifiedAt}
          >
            <input
              id="inc-people-at"
              type="datetime-local"
              value={people.notifiedAt}
              {...described("inc-people-at", err?.fields.notifiedAt)}
              onChange={(e) => setPeople({ ...people, notifiedAt: e.target.value })}
            />
          </Field>
          <div>
            <button className="c-button" type="submit" disabled={notifyPeople.isPending}>
              Record that they were told
            </button>
          </div>
        </form>
      ) : null}

      {canClose ? (
        <form
          className="c-card c-stack"
          aria-labelledby="close-title"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            close.mutate({ incidentId, closingNote: closing });
          }}
        >
          <h2 id="close-title">Close the incident</h2>
          <Field id="inc-closing" label="Lessons learned and the fix" error={err?.fields.closingNote}>
            <textarea
              id="inc-closing"
              rows={3}
              value={closing}
              {...described("inc-closing", err?.fields.closingNote)}
              onChange={(e) => setClosing(e.target.value)}
            />
          </Field>
          <div>
            <button className="c-button c-secondary" type="submit" disabled={close.isPending}>
              Close the incident
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
