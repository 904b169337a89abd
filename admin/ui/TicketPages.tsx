// The agents' ticket desk: the queue (search, filters kept in the URL so a view can be bookmarked, saved views with
// counts, bulk assign and close with undo), a ticket's page (thread, reply with canned replies, notes, the SLA clock,
// the requester panel) and the canned replies' own page. Every stored value is shown through admin/shared/labels.ts.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "@remix-run/react";
import { Link } from "~/components/Link";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  TICKET_CATEGORY_LABEL,
  TICKET_CHANNEL_LABEL,
  TICKET_PRIORITY_LABEL,
  TICKET_STATUS_LABEL,
  USER_STATUS_LABEL,
  PRIVACY_TYPE_LABEL,
  labelOf,
} from "../shared/labels.ts";
import {
  ConfirmDialog,
  Dialog,
  ErrorNote,
  FieldError,
  FilterBar,
  FilterSelect,
  QueryState,
  SearchField,
  useToast,
} from "./kit.tsx";
import { errorInfo, fmt, relative, useTRPC } from "./trpc.ts";

const STATUSES = ["NEW", "OPEN", "PENDING_USER", "ON_HOLD", "RESOLVED", "CLOSED"] as const;
const PRIORITIES = ["LOW", "NORMAL", "HIGH", "URGENT"] as const;
const CHANNELS = ["WEB", "CONTACT_FORM", "EMAIL", "PHONE"] as const;
const CATEGORIES = ["ACCOUNT", "BOOKING", "PAYMENT", "PRIVACY", "TECHNICAL", "OTHER"] as const;
type Status = (typeof STATUSES)[number];
type Priority = (typeof PRIORITIES)[number];
type Channel = (typeof CHANNELS)[number];
type Category = (typeof CATEGORIES)[number];

/** The queue's filters as the server takes them (and as a saved view stores them). */
interface Filters {
  q?: string;
  status?: Status;
  priority?: Priority;
  channel?: Channel;
  category?: Category;
  assignee?: string;
  overdue?: boolean;
  includeClosed?: boolean;
}

const pick = <T extends string>(list: readonly T[], v: string | null): T | undefined =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : undefined;

/** URL → filters. The sidebar's shortcuts (?view=mine|unassigned|overdue) are presets of the same filters. */
function filtersFromParams(p: URLSearchParams): Filters {
  const view = p.get("view");
  const f: Filters = {
    q: p.get("q")?.trim() || undefined,
    status: pick(STATUSES, p.get("status")),
    priority: pick(PRIORITIES, p.get("priority")),
    channel: pick(CHANNELS, p.get("channel")),
    category: pick(CATEGORIES, p.get("category")),
    assignee: p.get("assignee") || undefined,
    overdue: p.get("overdue") === "1" || undefined,
    includeClosed: p.get("closed") === "1" || undefined,
  };
  if (view === "mine") f.assignee ??= "me";
  if (view === "unassigned") f.assignee ??= "none";
  if (view === "overdue") f.overdue = true;
  return f;
}

function paramsFromFilters(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set("q", f.q);
  if (f.status) p.set("status", f.status);
  if (f.priority) p.set("priority", f.priority);
  if (f.channel) p.set("channel", f.channel);
  if (f.category) p.set("category", f.category);
  if (f.assignee) p.set("assignee", f.assignee);
  if (f.overdue) p.set("overdue", "1");
  if (f.includeClosed) p.set("closed", "1");
  return p;
}

const clean = (f: Filters): Filters =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== ""));
const sameFilters = (a: Filters, b: Filters) => paramsFromFilters(a).toString() === paramsFromFilters(b).toString();

/** A clock that moves every 30 s, for the SLA countdowns. */
function useNow(everyMs = 30_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

type Sla = { target: "firstResponse" | "resolution"; dueAt: string | Date; paused: boolean; msLeft: number } | null;

/**
 * "First response in 2 h 10 min" / "Resolution 3 h overdue", red when overdue; done tickets say so. While the
 * ticket waits for the requester the clock stands still and says what will be left when they answer.
 */
function SlaClock({ sla, now, status }: { sla: Sla; now: number; status: string }) {
  if (!sla) return <span className="c-muted">{labelOf(TICKET_STATUS_LABEL, status)}</span>;
  const what = sla.target === "firstResponse" ? "First response" : "Resolution";
  if (sla.paused) {
    const left = relative(new Date(now + sla.msLeft), now);
    return (
      <span className="c-sla c-muted" title="Paused while we wait for the person's answer" data-testid="sla-clock">
        {what} paused · {left.startsWith("in ") ? `${left.slice(3)} left` : left}
      </span>
    );
  }
  const late = new Date(sla.dueAt).getTime() <= now;
  return (
    <span
      className={late ? "c-tag c-tag-danger" : "c-sla"}
      title={`${what} due ${fmt(sla.dueAt)}`}
      data-testid="sla-clock"
    >
      {what} {relative(sla.dueAt, now)}
    </span>
  );
}

const ASSIGNEE_WORD = (value: string | undefined, agents: { id: string; name: string }[] | undefined) =>
  value === "me" ? "Me" : value === "none" ? "Unassigned" : (agents?.find((a) => a.id === value)?.name ?? "Anyone");

/** A short sentence for a filter set, for the saved views list and the "save view" dialog. */
function describe(f: Filters, agents?: { id: string; name: string }[]): string {
  const parts: string[] = [];
  if (f.q) parts.push(`“${f.q}”`);
  if (f.status) parts.push(labelOf(TICKET_STATUS_LABEL, f.status));
  if (f.priority) parts.push(`${labelOf(TICKET_PRIORITY_LABEL, f.priority)} priority`);
  if (f.channel) parts.push(labelOf(TICKET_CHANNEL_LABEL, f.channel));
  if (f.category) parts.push(labelOf(TICKET_CATEGORY_LABEL, f.category));
  if (f.assignee) parts.push(`Assignee: ${ASSIGNEE_WORD(f.assignee, agents)}`);
  if (f.overdue) parts.push("Overdue");
  if (f.includeClosed) parts.push("Closed included");
  return parts.length ? parts.join(" · ") : "All tickets not closed";
}

export function TicketQueue() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const now = useNow();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => clean(filtersFromParams(params)), [params]);
  const setFilters = (f: Filters) => setParams(paramsFromFilters(clean(f)), { replace: true });
  const set = <K extends keyof Filters>(key: K, value: Filters[K] | "") =>
    setFilters({ ...filters, [key]: value === "" ? undefined : value });

  // Typing searches after a pause, so the URL and the server are not hit on every key.
  const [text, setText] = useState(filters.q ?? "");
  useEffect(() => setText(filters.q ?? ""), [filters.q]);
  useEffect(() => {
    if ((text.trim() || undefined) === filters.q) return;
    const t = setTimeout(() => set("q", text.trim()), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the text drives the pause
  }, [text]);

  const input = { ...filters, limit: 200 };
  const queueKey = trpc.tickets.queue.queryKey(input);
  const queue = useQuery(trpc.tickets.queue.queryOptions(input));
  const agents = useQuery(trpc.tickets.agents.queryOptions());
  const me = useQuery(trpc.me.get.queryOptions());
  const views = useQuery(trpc.tickets.savedViews.queryOptions());
  const refreshAll = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: trpc.tickets.queue.pathKey() }),
      qc.invalidateQueries({ queryKey: trpc.tickets.savedViews.queryKey() }),
      qc.invalidateQueries({ queryKey: trpc.console.counts.queryKey() }),
    ]);

  // ------------------------------------------------------------------ selection and bulk changes
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const rows = queue.data ?? [];
  const shownIds = rows.map((r) => r.id);
  const chosen = shownIds.filter((id) => selected.has(id));
  useEffect(() => setSelected(new Set()), [params]);
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const [bulkAssignee, setBulkAssignee] = useState("");
  const [confirmClose, setConfirmClose] = useState(false);
  const restore = useMutation(
    trpc.tickets.restore.mutationOptions({
      onSuccess: () => toast("Undone: the tickets are as they were."),
      onError: (e) => toast(errorInfo(e).message),
      onSettled: () => void refreshAll(),
    }),
  );
  const bulk = useMutation(
    trpc.tickets.bulkUpdate.mutationOptions({
      // Optimistic: the rows change at once; the server's answer (or a failure) settles them.
      onMutate: async (vars) => {
        await qc.cancelQueries({ queryKey: queueKey });
        const previous = qc.getQueryData(queueKey);
        const agent = agents.data?.find((a) => a.id === vars.assigneeId) ?? null;
        qc.setQueryData(queueKey, (old) =>
          old
            ?.filter((r) => !(vars.status === "CLOSED" && !filters.includeClosed && vars.ticketIds.includes(r.id)))
            .map((r) =>
              vars.ticketIds.includes(r.id)
                ? {
                    ...r,
                    ...(vars.status ? { status: vars.status } : {}),
                    ...(vars.assigneeId !== undefined ? { assignee: agent } : {}),
                  }
                : r,
            ),
        );
        return { previous };
      },
      onError: (e, _vars, context) => {
        if (context?.previous) qc.setQueryData(queueKey, context.previous);
        toast(errorInfo(e).message);
      },
      onSuccess: (r, vars) => {
        setSelected(new Set());
        setConfirmClose(false);
        const n = vars.ticketIds.length;
        const what =
          vars.status === "CLOSED"
            ? `${n} ${n === 1 ? "ticket" : "tickets"} closed.`
            : vars.assigneeId === null
              ? `${n} ${n === 1 ? "ticket" : "tickets"} unassigned.`
              : `${n} ${n === 1 ? "ticket" : "tickets"} assigned to ${vars.assigneeId === me.data?.id ? "you" : ASSIGNEE_WORD(vars.assigneeId ?? undefined, agents.data)}.`;
        toast(what, () => restore.mutate({ states: r.before }));
      },
      onSettled: () => void refreshAll(),
    }),
  );
  const assignChosen = () => {
    if (!bulkAssignee || chosen.length === 0) return;
    const assigneeId = bulkAssignee === "none" ? null : bulkAssignee === "me" ? (me.data?.id ?? null) : bulkAssignee;
    bulk.mutate({ ticketIds: chosen, assigneeId });
  };

  // ------------------------------------------------------------------ saved views
  const [naming, setNaming] = useState(false);
  const [viewName, setViewName] = useState("");
  const saveView = useMutation(
    trpc.tickets.saveView.mutationOptions({
      onSuccess: (v) => {
        setNaming(false);
        setViewName("");
        toast(`View “${v.name}” saved.`);
        void qc.invalidateQueries({ queryKey: trpc.tickets.savedViews.queryKey() });
      },
    }),
  );
  const deleteView = useMutation(
    trpc.tickets.deleteView.mutationOptions({
      onSettled: () => void qc.invalidateQueries({ queryKey: trpc.tickets.savedViews.queryKey() }),
    }),
  );
  const viewError = saveView.error ? errorInfo(saveView.error) : null;
  const activeView = views.data?.find((v) => sameFilters(clean(v.filters), filters));
  const allChosen = shownIds.length > 0 && chosen.length === shownIds.length;

  return (
    <section className="c-stack" aria-labelledby="queue-title">
      <header className="c-pagehead">
        <h1 id="queue-title">Tickets</h1>
        <p className="c-muted">
          Soonest due first. Filters are part of the address: bookmark or share a view. Press <kbd>/</kbd> to search.
        </p>
      </header>

      <nav aria-label="Saved views" className="c-views">
        <Link
          to="/admin/tickets"
          className="c-view"
          aria-current={Object.keys(filters).length === 0 ? "page" : undefined}
        >
          All open
        </Link>
        {(views.data ?? []).map((v) => (
          <span key={v.id} className="c-view-item">
            <Link
              to={`/admin/tickets?${paramsFromFilters(v.filters as Filters).toString()}`}
              className="c-view"
              aria-current={activeView?.id === v.id ? "page" : undefined}
              title={describe(v.filters as Filters, agents.data)}
              data-testid="saved-view"
            >
              {v.name} <span className="c-count">{v.count}</span>
            </Link>
            <button
              type="button"
              className="c-icon-button c-view-delete"
              aria-label={`Delete view ${v.name}`}
              onClick={() =>
                deleteView.mutate(
                  { id: v.id },
                  {
                    onSuccess: () =>
                      toast(`View “${v.name}” deleted.`, () => saveView.mutate({ name: v.name, filters: v.filters })),
                  },
                )
              }
            >
              ×
            </button>
          </span>
        ))}
        <button
          type="button"
          className="c-button c-secondary"
          onClick={() => {
            saveView.reset();
            setNaming(true);
          }}
          disabled={Object.keys(filters).length === 0 || Boolean(activeView)}
        >
          Save view…
        </button>
      </nav>

      <FilterBar label="Ticket filters">
        <SearchField
          id="ticket-search"
          placeholder="Subject, message or requester name"
          value={text}
          onChange={setText}
        />
        <FilterSelect
          id="f-status"
          label="Status"
          value={filters.status ?? ""}
          any="Not closed"
          options={STATUSES.map((s) => [s, TICKET_STATUS_LABEL[s]])}
          onChange={(v) => set("status", v as Status | "")}
        />
        <FilterSelect
          id="f-priority"
          label="Priority"
          value={filters.priority ?? ""}
          any="Any"
          options={PRIORITIES.map((s) => [s, TICKET_PRIORITY_LABEL[s]])}
          onChange={(v) => set("priority", v as Priority | "")}
        />
        <FilterSelect
          id="f-channel"
          label="Channel"
          value={filters.channel ?? ""}
          any="Any"
          options={CHANNELS.map((s) => [s, TICKET_CHANNEL_LABEL[s]])}
          onChange={(v) => set("channel", v as Channel | "")}
        />
        <FilterSelect
          id="f-category"
          label="Category"
          value={filters.category ?? ""}
          any="Any"
          options={CATEGORIES.map((s) => [s, TICKET_CATEGORY_LABEL[s]])}
          onChange={(v) => set("category", v as Category | "")}
        />
        <FilterSelect
          id="f-assignee"
          label="Assignee"
          value={filters.assignee ?? ""}
          any="Anyone"
          options={[
            ["me", "Me"],
            ["none", "Unassigned"],
            ...(agents.data ?? []).filter((a) => a.id !== me.data?.id).map((a) => [a.id, a.name] as [string, string]),
          ]}
          onChange={(v) => set("assignee", v)}
        />
        <label className="c-check">
          <input
            type="checkbox"
            checked={Boolean(filters.overdue)}
            onChange={(e) => set("overdue", e.target.checked || "")}
          />{" "}
          Overdue only
        </label>
        <label className="c-check">
          <input
            type="checkbox"
            checked={Boolean(filters.includeClosed)}
            onChange={(e) => set("includeClosed", e.target.checked || "")}
          />{" "}
          Include closed
        </label>
        {Object.keys(filters).length > 0 ? (
          <Link to="/admin/tickets" className="c-link-button">
            Clear filters
          </Link>
        ) : null}
      </FilterBar>

      {chosen.length > 0 ? (
        <div className="c-bulk" role="region" aria-label="Bulk actions">
          <strong data-testid="bulk-count">
            {chosen.length} {chosen.length === 1 ? "ticket" : "tickets"} selected
          </strong>
          <label className="c-inline">
            <span>Assign to</span>
            <select value={bulkAssignee} onChange={(e) => setBulkAssignee(e.target.value)}>
              <option value="">Choose…</option>
              <option value="me">Me</option>
              {(agents.data ?? [])
                .filter((a) => a.id !== me.data?.id)
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              <option value="none">Nobody (unassign)</option>
            </select>
          </label>
          <button
            type="button"
            className="c-button c-secondary"
            disabled={!bulkAssignee || bulk.isPending}
            onClick={assignChosen}
          >
            Assign
          </button>
          <button type="button" className="c-button c-danger" onClick={() => setConfirmClose(true)}>
            Close…
          </button>
          <button type="button" className="c-link-button" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        </div>
      ) : null}

      <QueryState query={queue} empty="No tickets match these filters.">
        {(data) => (
          <div className="c-table-wrap">
            <table className="c-table c-queue">
              <caption className="c-visually-hidden">
                Tickets: {describe(filters, agents.data)} ({data.length})
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="c-check-cell">
                    <input
                      type="checkbox"
                      aria-label="Select all tickets shown"
                      checked={allChosen}
                      onChange={() => setSelected(allChosen ? new Set() : new Set(shownIds))}
                    />
                  </th>
                  <th scope="col">Subject</th>
                  <th scope="col">Status</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Due</th>
                  <th scope="col">Assignee</th>
                  <th scope="col" className="c-wide-only">
                    Channel
                  </th>
                  <th scope="col" className="c-wide-only">
                    Opened
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.map((t) => (
                  <tr
                    key={t.id}
                    data-testid="queue-row"
                    data-row
                    tabIndex={-1}
                    className={t.overdue ? "c-overdue" : undefined}
                    onKeyDown={(e) => {
                      // Enter opens the row (useShortcuts in Console.tsx, for every table); x selects it.
                      if (e.key === "x" && e.target === e.currentTarget) toggle(t.id);
                    }}
                  >
                    <td className="c-check-cell">
                      <input
                        type="checkbox"
                        aria-label={`Select “${t.subject}”`}
                        checked={selected.has(t.id)}
                        onChange={() => toggle(t.id)}
                      />
                    </td>
                    <td>
                      <Link to={`/admin/tickets/${t.id}`} className="c-subject">
                        {t.subject}
                      </Link>
                      <br />
                      <span className="c-muted c-small">{labelOf(TICKET_CATEGORY_LABEL, t.category)}</span>
                    </td>
                    <td>{labelOf(TICKET_STATUS_LABEL, t.status)}</td>
                    <td>
                      <span className={t.priority === "URGENT" || t.priority === "HIGH" ? "c-tag c-tag-warn" : "c-tag"}>
                        {labelOf(TICKET_PRIORITY_LABEL, t.priority)}
                      </span>
                    </td>
                    <td>
                      <SlaClock sla={t.sla} now={now} status={t.status} />
                    </td>
                    <td>{t.assignee?.name ?? <span className="c-muted">Unassigned</span>}</td>
                    <td className="c-wide-only">{labelOf(TICKET_CHANNEL_LABEL, t.channel)}</td>
                    <td className="c-wide-only">{fmt(t.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <LogContact />

      <ConfirmDialog
        open={confirmClose}
        title={`Close ${chosen.length} ${chosen.length === 1 ? "ticket" : "tickets"}?`}
        consequence={
          <p>
            {chosen.length === 1 ? "This ticket is" : `These ${chosen.length} tickets are`} closed: the requesters can
            no longer reply to {chosen.length === 1 ? "it" : "them"} and must open a new request. You can undo this for
            a short while.
          </p>
        }
        confirmLabel={`Close ${chosen.length} ${chosen.length === 1 ? "ticket" : "tickets"}`}
        busy={bulk.isPending}
        error={bulk.error}
        onConfirm={() => bulk.mutate({ ticketIds: chosen, status: "CLOSED" })}
        onCancel={() => setConfirmClose(false)}
      />
      <Dialog open={naming} title="Save this view" onClose={() => setNaming(false)}>
        <form
          className="c-stack"
          onSubmit={(e) => {
            e.preventDefault();
            saveView.mutate({ name: viewName, filters });
          }}
        >
          <p className="c-muted">{describe(filters, agents.data)}</p>
          <div className="c-field">
            <label htmlFor="view-name">Name</label>
            <input
              id="view-name"
              required
              maxLength={60}
              value={viewName}
              aria-invalid={viewError?.fields.name ? true : undefined}
              aria-describedby={viewError?.fields.name ? "view-name-err" : undefined}
              onChange={(e) => setViewName(e.target.value)}
            />
            <FieldError id="view-name-err" message={viewError?.fields.name} />
          </div>
          {viewError && !viewError.fields.name ? <ErrorNote error={saveView.error} /> : null}
          <div className="c-actions">
            <button type="button" className="c-button c-secondary" onClick={() => setNaming(false)}>
              Cancel
            </button>
            <button type="submit" className="c-button" disabled={saveView.isPending}>
              Save view
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}

// ------------------------------------------------------------------------------------------------ one ticket

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
    <details className="c-card c-stack">
      <summary>Log a phone call or an email</summary>
      <form
        className="c-stack"
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
        <div className="c-field">
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
        <div className="c-field">
          <label htmlFor="log-email">Their email</label>
          <input
            id="log-email"
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </div>
        <div className="c-field">
          <label htmlFor="log-subject">Subject</label>
          <input
            id="log-subject"
            value={form.subject}
            onChange={(e) => setForm({ ...form, subject: e.target.value })}
          />
        </div>
        <div className="c-field">
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
          <div className="c-field">
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
        <div className="c-field">
          <label htmlFor="log-message">What they said</label>
          <textarea
            id="log-message"
            rows={4}
            value={form.message}
            onChange={(e) => setForm({ ...form, message: e.target.value })}
          />
        </div>
        <button className="c-button" type="submit" disabled={log.isPending}>
          Log it
        </button>
      </form>
    </details>
  );
}

export function TicketPage({ ticketId }: { ticketId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const now = useNow();
  const ticket = useQuery(trpc.tickets.get.queryOptions({ ticketId }));
  const canned = useQuery(trpc.tickets.cannedReplies.queryOptions());
  const agents = useQuery(trpc.tickets.agents.queryOptions());
  const me = useQuery(trpc.me.get.queryOptions());
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: trpc.tickets.get.queryKey({ ticketId }) }),
      qc.invalidateQueries({ queryKey: trpc.tickets.queue.pathKey() }),
      qc.invalidateQueries({ queryKey: trpc.console.counts.queryKey() }),
    ]);
  // Status, priority and assignee change on screen at once; the server's answer confirms them (or puts the old
  // value back, with the error). Each says what changed in a toast whose Undo puts the previous state back.
  const ticketKey = trpc.tickets.get.queryKey({ ticketId });
  type Shown = NonNullable<typeof ticket.data>;
  type Before = { before?: Shown };
  // The calls an Undo made (their variables, by identity): they toast "Undone." and offer no Undo of their own. Kept
  // here rather than as a field of the variables, which would be sent to the server as part of the input.
  const undoCalls = useRef(new WeakSet<object>());
  function optimistic<V extends object>(
    apply: (t: Shown, v: V) => Shown,
    said: (v: V) => string,
    undo: (before: Shown) => void,
  ) {
    return {
      onMutate: async (v: V): Promise<Before> => {
        await qc.cancelQueries({ queryKey: ticketKey });
        const before = qc.getQueryData(ticketKey);
        if (before) qc.setQueryData(ticketKey, apply(before, v));
        return { before };
      },
      onError: (_e: unknown, _v: V, c: Before | undefined) => {
        if (c?.before) qc.setQueryData(ticketKey, c.before);
      },
      onSuccess: (_r: unknown, v: V, c: Before | undefined) => {
        const before = c?.before;
        if (undoCalls.current.has(v)) toast(`Undone. ${said(v)}`);
        else toast(said(v), before ? () => undo(before) : undefined);
      },
      onSettled: refresh,
    };
  }
  const undoCall = <V extends object>(v: V): V => (undoCalls.current.add(v), v);
  const agentName = (id: string | null) =>
    id === null ? null : (agents.data?.find((a) => a.id === id)?.name ?? (me.data?.id === id ? me.data.name : null));
  // Assigning a new ticket also opens it (core/support/tickets.ts), so its undo restores status and assignee.
  const assign = useMutation({
    ...trpc.tickets.assign.mutationOptions(),
    ...optimistic<{ ticketId: string; assigneeId: string | null }>(
      (t, v) => ({
        ...t,
        status: t.status === "NEW" && v.assigneeId ? "OPEN" : t.status,
        assignee: v.assigneeId ? { id: v.assigneeId, name: agentName(v.assigneeId) ?? "…" } : null,
      }),
      (v) =>
        v.assigneeId === null
          ? "Ticket unassigned."
          : v.assigneeId === me.data?.id
            ? "Assigned to you."
            : `Assigned to ${agentName(v.assigneeId) ?? "the agent"}.`,
      (before) => {
        restoring.current = before;
        restore.mutate({ states: [{ ticketId, status: before.status, assigneeId: before.assignee?.id ?? null }] });
      },
    ),
  });
  const restoring = useRef<Shown | null>(null);
  const restore = useMutation({
    ...trpc.tickets.restore.mutationOptions(),
    onMutate: async (): Promise<Before> => {
      await qc.cancelQueries({ queryKey: ticketKey });
      const current = qc.getQueryData(ticketKey);
      const back = restoring.current;
      if (current && back) qc.setQueryData(ticketKey, { ...current, status: back.status, assignee: back.assignee });
      return { before: current };
    },
    onError: (_e, _v, c) => {
      if (c?.before) qc.setQueryData(ticketKey, c.before);
    },
    onSuccess: () => {
      const back = restoring.current;
      if (back)
        toast(
          `Undone. ${back.assignee ? `Assigned to ${back.assignee.name}` : "Unassigned"}, ` +
            `status ${labelOf(TICKET_STATUS_LABEL, back.status)}.`,
        );
    },
    onSettled: refresh,
  });
  const setStatus = useMutation({
    ...trpc.tickets.setStatus.mutationOptions(),
    ...optimistic<{ ticketId: string; status: Status }>(
      (t, v) => ({ ...t, status: v.status }),
      (v) => `Status set to ${labelOf(TICKET_STATUS_LABEL, v.status)}.`,
      (before) => setStatus.mutate(undoCall({ ticketId, status: before.status })),
    ),
  });
  const setPriority = useMutation({
    ...trpc.tickets.setPriority.mutationOptions(),
    ...optimistic<{ ticketId: string; priority: Priority }>(
      (t, v) => ({ ...t, priority: v.priority }),
      (v) => `Priority set to ${labelOf(TICKET_PRIORITY_LABEL, v.priority)}.`,
      (before) => setPriority.mutate(undoCall({ ticketId, priority: before.priority })),
    ),
  });
  const [reply, setReply] = useState("");
  const [after, setAfter] = useState<Status>("PENDING_USER");
  const [note, setNote] = useState("");
  const [cannedPick, setCannedPick] = useState("");
  const sendReply = useMutation(
    trpc.tickets.reply.mutationOptions({ onSuccess: () => (setReply(""), toast("Reply sent."), refresh()) }),
  );
  const addNote = useMutation(trpc.tickets.addNote.mutationOptions({ onSuccess: () => (setNote(""), refresh()) }));
  if (!ticket.data) return <QueryState query={ticket}>{() => null}</QueryState>;
  const t = ticket.data;
  const error = assign.error ?? restore.error ?? setStatus.error ?? setPriority.error;
  const replyError = sendReply.error ? errorInfo(sendReply.error) : null;
  const noteError = addNote.error ? errorInfo(addNote.error) : null;
  return (
    <section className="c-stack" aria-labelledby="ticket-title">
      <p className="c-crumbs">
        <Link to="/admin/tickets">← Tickets</Link>
      </p>
      <header className="c-pagehead">
        <h1 id="ticket-title">{t.subject}</h1>
        <p className="c-muted">
          {labelOf(TICKET_CATEGORY_LABEL, t.category)} · {labelOf(TICKET_CHANNEL_LABEL, t.channel)} · opened{" "}
          {fmt(t.createdAt)}
        </p>
      </header>
      {error ? <ErrorNote error={error} /> : null}
      <div className="c-ticket">
        <div className="c-stack">
          {t.withDpo ? (
            <p className="c-alert" data-testid="ticket-with-dpo">
              This ticket is a privacy request: it is with the Data Protection Officer, who reads and answers it. Its
              messages are not shown to support.
            </p>
          ) : (
            <>
              <ol className="c-thread" aria-label="Thread">
                {t.messages.map((m) => (
                  <li
                    key={m.id}
                    className={m.internal ? "c-card c-note" : m.fromStaff ? "c-card c-staff" : "c-card"}
                    data-testid="staff-thread-message"
                  >
                    <p className="c-msghead">
                      <strong>{m.internal ? "Internal note" : m.fromStaff ? "Reply" : "Requester"}</strong>
                      <span>{m.author?.name ?? t.requester.name ?? "Visitor"}</span>
                      <span className="c-muted">{fmt(m.createdAt)}</span>
                    </p>
                    <p className="c-body">{m.body}</p>
                  </li>
                ))}
              </ol>
              <form
                className="c-card c-stack"
                aria-labelledby="reply-title"
                onSubmit={(e) => {
                  e.preventDefault();
                  sendReply.mutate({ ticketId, body: reply, status: after });
                }}
              >
                <h2 id="reply-title">Reply</h2>
                {canned.data && canned.data.length > 0 ? (
                  <div className="c-inline">
                    <label htmlFor="canned-pick">Canned reply</label>
                    <select id="canned-pick" value={cannedPick} onChange={(e) => setCannedPick(e.target.value)}>
                      <option value="">Choose…</option>
                      {canned.data.map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.title}
                        </option>
                      ))}
                    </select>
                    <button
                      type="button"
                      className="c-button c-secondary"
                      disabled={!cannedPick}
                      onClick={() => {
                        const body = canned.data.find((c) => c.id === cannedPick)?.body ?? "";
                        // Inserted after what is already written, so a started reply is never lost.
                        setReply((r) => (r.trim() ? `${r.trimEnd()}\n\n${body}` : body));
                        setCannedPick("");
                        document.getElementById("reply")?.focus();
                      }}
                    >
                      Insert
                    </button>
                    <Link to="/admin/canned-replies" className="c-small">
                      Manage canned replies
                    </Link>
                  </div>
                ) : (
                  <p className="c-muted c-hint">
                    No canned replies yet. <Link to="/admin/canned-replies">Write one</Link>.
                  </p>
                )}
                <div className="c-field">
                  <label htmlFor="reply">Reply to the requester</label>
                  <textarea
                    id="reply"
                    rows={6}
                    value={reply}
                    aria-invalid={replyError?.fields.body ? true : undefined}
                    aria-describedby={replyError?.fields.body ? "reply-err" : undefined}
                    onChange={(e) => setReply(e.target.value)}
                  />
                  <FieldError id="reply-err" message={replyError?.fields.body} />
                </div>
                {replyError && !replyError.fields.body ? <ErrorNote error={sendReply.error} /> : null}
                <div className="c-actions c-start">
                  <label className="c-inline">
                    <span>Then set status</span>
                    <select
                      aria-label="Status after reply"
                      value={after}
                      onChange={(e) => setAfter(e.target.value as Status)}
                    >
                      {STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {TICKET_STATUS_LABEL[s]}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button className="c-button" type="submit" disabled={sendReply.isPending}>
                    Send reply
                  </button>
                </div>
              </form>
              <form
                className="c-card c-stack c-note"
                onSubmit={(e) => {
                  e.preventDefault();
                  addNote.mutate({ ticketId, body: note });
                }}
              >
                <div className="c-field">
                  <label htmlFor="note">Internal note (staff only)</label>
                  <textarea
                    id="note"
                    rows={3}
                    value={note}
                    aria-invalid={noteError?.fields.body ? true : undefined}
                    aria-describedby={noteError?.fields.body ? "note-err" : undefined}
                    onChange={(e) => setNote(e.target.value)}
                  />
                  <FieldError id="note-err" message={noteError?.fields.body} />
                </div>
                <div className="c-actions c-start">
                  <button className="c-button c-secondary" type="submit" disabled={addNote.isPending}>
                    Add note
                  </button>
                </div>
              </form>
            </>
          )}
        </div>

        <aside className="c-stack" aria-label="Ticket details">
          <div className="c-card c-stack">
            <h2>Details</h2>
            <dl className="c-facts">
              <dt>Due</dt>
              <dd>
                <SlaClock sla={t.sla} now={now} status={t.status} />
                <br />
                <span className="c-muted c-small">
                  First response{" "}
                  {t.firstRespondedAt ? `given ${fmt(t.firstRespondedAt)}` : `due ${fmt(t.firstResponseDueAt)}`}
                  <br />
                  Resolution due {fmt(t.resolutionDueAt)}
                </span>
              </dd>
              <dt>Assignee</dt>
              <dd>
                <span data-testid="assignee">{t.assignee?.name ?? "Unassigned"}</span>
                {me.data && t.assignee?.id !== me.data.id ? (
                  <>
                    {" "}
                    <button
                      type="button"
                      className="c-button c-secondary c-small-button"
                      onClick={() => assign.mutate({ ticketId, assigneeId: me.data.id })}
                    >
                      Assign to me
                    </button>
                  </>
                ) : null}
              </dd>
            </dl>
            <div className="c-field">
              <label htmlFor="t-status">Status</label>
              <select
                id="t-status"
                value={t.status}
                onChange={(e) => setStatus.mutate({ ticketId, status: e.target.value as Status })}
              >
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {TICKET_STATUS_LABEL[s]}
                  </option>
                ))}
              </select>
            </div>
            <div className="c-field">
              <label htmlFor="t-priority">Priority</label>
              <select
                id="t-priority"
                value={t.priority}
                onChange={(e) => setPriority.mutate({ ticketId, priority: e.target.value as Priority })}
              >
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {TICKET_PRIORITY_LABEL[p]}
                  </option>
                ))}
              </select>
            </div>
            <div className="c-field">
              <label htmlFor="t-assignee">Reassign</label>
              <select
                id="t-assignee"
                value={t.assignee?.id ?? ""}
                onChange={(e) => assign.mutate({ ticketId, assigneeId: e.target.value || null })}
              >
                <option value="">Unassigned</option>
                {(agents.data ?? []).map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
            {t.satisfaction ? (
              <p>
                Rated {t.satisfaction} of 5{t.satisfactionComment ? `: “${t.satisfactionComment}”` : ""}
              </p>
            ) : null}
          </div>
          <RequesterPanel ticketId={ticketId} email={t.requester.email} />
        </aside>
      </div>
    </section>
  );
}

/** Who asked: fetched on its own (and audited on the server as a read of the requester's data). */
function RequesterPanel({ ticketId, email }: { ticketId: string; email: string | null }) {
  const trpc = useTRPC();
  // Read once per visit: every fetch is an audited read of the person's data, so no refetch on focus or timer.
  const panel = useQuery({
    ...trpc.tickets.requester.queryOptions({ ticketId }),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  return (
    <div className="c-card c-stack" aria-labelledby="requester-title">
      <h2 id="requester-title">Requester</h2>
      <QueryState query={panel}>
        {(p) =>
          p.kind === "privacy" ? (
            <p data-testid="requester">A privacy request: the data protection officer handles it and sees who asked.</p>
          ) : (
            <>
              <dl className="c-facts" data-testid="requester">
                <dt>Name</dt>
                <dd>{p.name ?? "Not given"}</dd>
                <dt>Email</dt>
                <dd className="c-break">{email ?? "—"}</dd>
                <dt>Account</dt>
                <dd>
                  {p.kind === "account" ? (
                    <>
                      <span className={p.accountStatus === "ACTIVE" ? "c-tag c-tag-ok" : "c-tag c-tag-danger"}>
                        {labelOf(USER_STATUS_LABEL, p.accountStatus)}
                      </span>{" "}
                      {p.emailVerified ? "email confirmed" : "email not confirmed"}
                      <br />
                      <span className="c-muted c-small">member since {fmt(p.memberSince)}</span>
                    </>
                  ) : (
                    "Visitor without an account (contact form or a logged call)"
                  )}
                </dd>
              </dl>
              <h3 className="c-subhead">Other tickets</h3>
              {p.otherTickets.length === 0 ? (
                <p className="c-muted">None.</p>
              ) : (
                <ul className="c-others" data-testid="requester-tickets">
                  {p.otherTickets.map((o, i) => (
                    <li key={o.id ?? `hidden-${i}`}>
                      {o.id ? (
                        <Link to={`/admin/tickets/${o.id}`}>{o.subject}</Link>
                      ) : (
                        <span className="c-muted">Privacy request (the data protection officer’s)</span>
                      )}
                      <br />
                      <span className="c-muted c-small">
                        {labelOf(TICKET_STATUS_LABEL, o.status)} · {fmt(o.createdAt)}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              <p className="c-muted c-hint">Opening this panel is recorded in the audit log for this ticket.</p>
            </>
          )
        }
      </QueryState>
    </div>
  );
}

// ------------------------------------------------------------------------------------------------ canned replies

type Canned = { id: string; title: string; body: string };

export function CannedRepliesPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const list = useQuery(trpc.tickets.cannedReplies.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.tickets.cannedReplies.queryKey() });
  const [editing, setEditing] = useState<Canned | "new" | null>(null);
  const [form, setForm] = useState({ title: "", body: "" });
  const [deleting, setDeleting] = useState<Canned | null>(null);
  const create = useMutation(trpc.tickets.saveCannedReply.mutationOptions());
  const update = useMutation(trpc.tickets.updateCannedReply.mutationOptions());
  const remove = useMutation(
    trpc.tickets.deleteCannedReply.mutationOptions({
      onSuccess: (_r, v) => {
        const gone = deleting;
        setDeleting(null);
        void refresh();
        if (gone && gone.id === v.id)
          toast(`“${gone.title}” deleted.`, () =>
            create.mutate({ title: gone.title, body: gone.body }, { onSuccess: () => void refresh() }),
          );
      },
    }),
  );
  const [clash, setClash] = useState(false);
  const saving = editing === "new" ? create : update;
  const info = clash
    ? {
        message: "",
        fields: { title: "A canned reply with this title exists. Edit that one or choose another title." } as Record<
          string,
          string
        >,
      }
    : saving.error
      ? errorInfo(saving.error)
      : null;
  const open = (c: Canned | "new") => {
    create.reset();
    update.reset();
    setForm(c === "new" ? { title: "", body: "" } : { title: c.title, body: c.body });
    setClash(false);
    setEditing(c);
  };
  const done = (title: string) => {
    setEditing(null);
    void refresh();
    toast(`“${title}” saved.`);
  };
  return (
    <section className="c-stack" aria-labelledby="canned-title">
      <header className="c-pagehead c-head-row">
        <div>
          <h1 id="canned-title">Canned replies</h1>
          <p className="c-muted">Prepared answers any agent can insert into a reply, then adjust.</p>
        </div>
        <button type="button" className="c-button" onClick={() => open("new")}>
          New canned reply
        </button>
      </header>
      <QueryState query={list} empty="No canned replies yet. Write the answers you give most often.">
        {(rows) => (
          <ul className="c-stack c-plain">
            {rows.map((c) => (
              <li key={c.id} className="c-card c-stack" data-testid="canned-row">
                <div className="c-head-row">
                  <h2>{c.title}</h2>
                  <div className="c-actions">
                    <button type="button" className="c-button c-secondary" onClick={() => open(c)}>
                      Edit<span className="c-visually-hidden"> {c.title}</span>
                    </button>
                    <button
                      type="button"
                      className="c-button c-secondary c-danger-text"
                      onClick={() => {
                        remove.reset();
                        setDeleting(c);
                      }}
                    >
                      Delete<span className="c-visually-hidden"> {c.title}</span>
                    </button>
                  </div>
                </div>
                <p className="c-body c-muted">{c.body}</p>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      <Dialog
        open={editing !== null}
        title={editing === "new" ? "New canned reply" : "Edit canned reply"}
        onClose={() => setEditing(null)}
      >
        <form
          className="c-stack"
          onSubmit={(e) => {
            e.preventDefault();
            // Saving under an existing title would replace that reply (titles are unique): ask for another one.
            if (editing === "new" && list.data?.some((c) => c.title.trim() === form.title.trim())) {
              setClash(true);
              return;
            }
            if (editing === "new") create.mutate(form, { onSuccess: () => done(form.title) });
            else if (editing) update.mutate({ id: editing.id, ...form }, { onSuccess: () => done(form.title) });
          }}
        >
          <div className="c-field">
            <label htmlFor="canned-title-input">Title</label>
            <input
              id="canned-title-input"
              required
              maxLength={100}
              value={form.title}
              aria-invalid={info?.fields.title ? true : undefined}
              aria-describedby={info?.fields.title ? "canned-title-err" : undefined}
              onChange={(e) => {
                setClash(false);
                setForm({ ...form, title: e.target.value });
              }}
            />
            <FieldError id="canned-title-err" message={info?.fields.title} />
          </div>
          <div className="c-field">
            <label htmlFor="canned-body-input">Text</label>
            <textarea
              id="canned-body-input"
              required
              rows={8}
              value={form.body}
              aria-invalid={info?.fields.body ? true : undefined}
              aria-describedby={info?.fields.body ? "canned-body-err" : undefined}
              onChange={(e) => setForm({ ...form, body: e.target.value })}
            />
            <FieldError id="canned-body-err" message={info?.fields.body} />
          </div>
          {info && !info.fields.title && !info.fields.body ? <ErrorNote error={saving.error} /> : null}
          <div className="c-actions">
            <button type="button" className="c-button c-secondary" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button type="submit" className="c-button" disabled={saving.isPending}>
              Save
            </button>
          </div>
        </form>
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.title ?? ""}”?`}
        consequence={<p>Agents can no longer insert it. Replies already sent keep their text.</p>}
        confirmLabel="Delete"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onCancel={() => setDeleting(null)}
      />
    </section>
  );
}
