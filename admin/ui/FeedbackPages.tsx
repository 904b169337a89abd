// Reviews moderation (support) and aggregate analytics (admins). Neither shows who wrote a review or answered a
// survey: the API does not return it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fmt, useTRPC } from "./trpc.ts";
import { ConfirmDialog, DataTable, QueryState, useToast, type Column } from "./kit.tsx";

export function ReviewsPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const [status, setStatus] = useState<"visible" | "hidden" | "all">("visible");
  const [confirming, setConfirming] = useState<string | null>(null);
  const list = useQuery(trpc.reviews.list.queryOptions({ status, limit: 100 }));
  // The dialog stays open, busy, until the server has hidden the review; a refusal (a reason too short) is shown
  // inside it, next to the reason, so nothing typed is lost.
  const hide = useMutation(
    trpc.reviews.hide.mutationOptions({
      onSuccess: async () => {
        setConfirming(null);
        toast("Review hidden. The author was emailed your reason.");
        await qc.invalidateQueries({ queryKey: trpc.reviews.list.queryKey() });
      },
    }),
  );
  return (
    <section className="c-stack" aria-labelledby="reviews-title">
      <header className="c-pagehead">
        <h1 id="reviews-title">Reviews</h1>
        <p className="c-muted">
          Hide a review only when it is abusive. The author is told by email, with your reason. Authors are never shown
          here.
        </p>
      </header>
      <ConfirmDialog
        open={confirming !== null}
        title="Hide this review?"
        consequence={
          <p>
            It disappears from the expert&apos;s public profile and rating at once, and the author is emailed your
            reason.
          </p>
        }
        reasonLabel="Reason (sent to the author)"
        confirmLabel="Hide review"
        busy={hide.isPending}
        error={hide.error}
        onConfirm={({ reason }) => {
          if (confirming) hide.mutate({ reviewId: confirming, reason });
        }}
        onCancel={() => {
          setConfirming(null);
          hide.reset();
        }}
      />
      <div className="c-filters">
        <div className="c-field">
          <label htmlFor="review-status">Show</label>
          <select id="review-status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="visible">Visible reviews</option>
            <option value="hidden">Hidden reviews</option>
            <option value="all">All reviews</option>
          </select>
        </div>
      </div>
      <QueryState query={list} empty="No reviews here.">
        {(rows) => (
          <DataTable
            rows={rows}
            rowKey={(r) => r.id}
            rowTestId="review-row"
            columns={[
              { header: "Rating", cell: (r) => `${r.rating} out of 5`, className: "c-nowrap" },
              { header: "Expert", cell: (r) => r.expert.user.name },
              { header: "Written", cell: (r) => fmt(r.createdAt), className: "c-nowrap" },
              { header: "Review", cell: (r) => <p className="c-prewrap">{r.comment ?? "(no comment)"}</p> },
              {
                header: <span className="c-visually-hidden">Moderation</span>,
                cell: (r) =>
                  r.hiddenAt ? (
                    <span className="c-muted">
                      Hidden {fmt(r.hiddenAt)}: {r.hiddenReason}
                    </span>
                  ) : (
                    <button
                      className="c-button c-secondary c-small-button"
                      type="button"
                      onClick={() => {
                        hide.reset();
                        setConfirming(r.id);
                      }}
                    >
                      Hide…
                    </button>
                  ),
              },
            ]}
          />
        )}
      </QueryState>
    </section>
  );
}

export function AnalyticsPage() {
  const trpc = useTRPC();
  const [days, setDays] = useState(30);
  const usage = useQuery(trpc.analytics.usage.queryOptions({ days, limit: 20 }));
  const surveys = useQuery(trpc.analytics.surveys.queryOptions({ days: 90 }));
  return (
    <section className="c-stack" aria-labelledby="analytics-title">
      <header className="c-pagehead">
        <h1 id="analytics-title">Analytics</h1>
        <p className="c-muted">
          Anonymous usage from visitors who consented (no user ids, no IP addresses), kept 90 days; survey answers
          without names.
        </p>
      </header>
      <div className="c-filters">
        <div className="c-field">
          <label htmlFor="usage-days">Period</label>
          <select id="usage-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={1}>Last day</option>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </div>
      </div>
      <QueryState query={usage}>
        {(u) => (
          <>
            <dl className="c-stats">
              <div className="c-stat">
                <dt>Visits</dt>
                <dd data-testid="usage-visits">{u.visits}</dd>
              </div>
            </dl>
            <div className="c-grid">
              <Figures
                title="Top pages"
                rows={u.topPages}
                columns={[
                  { header: "Page", cell: (p) => p.path },
                  { header: "Views", cell: (p) => p.views },
                ]}
                rowKey={(p) => p.path}
              />
              <Figures
                title="Time on page"
                rows={u.timeOnPage}
                columns={[
                  { header: "Page", cell: (p) => p.path },
                  { header: "Average (s)", cell: (p) => p.averageSeconds },
                  { header: "Measured", cell: (p) => p.measured },
                ]}
                rowKey={(p) => p.path}
              />
              <Figures
                title="Top flows"
                rows={u.topFlows}
                columns={[
                  { header: "From", cell: (f) => f.from },
                  { header: "To", cell: (f) => f.to },
                  { header: "Count", cell: (f) => f.count },
                ]}
                rowKey={(f) => `${f.from}→${f.to}`}
              />
              <Figures
                title="Tracked clicks"
                rows={u.topClicks}
                columns={[
                  { header: "Element", cell: (c) => c.target },
                  { header: "Clicks", cell: (c) => c.count },
                ]}
                rowKey={(c) => c.target}
              />
            </div>
          </>
        )}
      </QueryState>
      <section className="c-stack" aria-labelledby="surveys-title">
        <h2 id="surveys-title">Surveys (last 90 days)</h2>
        <QueryState query={surveys} empty="No survey answers in the last 90 days.">
          {(list) =>
            list.map((s) => (
              <section key={s.kind} className="c-card c-stack" aria-label={s.title}>
                <h3>
                  {s.title} — {s.responses} responses
                </h3>
                {s.questions.map((q) => (
                  <div key={q.id}>
                    <p>
                      <strong>{q.label}</strong> ({q.count} answers)
                      {q.type === "scale" ? ` · average ${q.average ?? "—"} · 1–5: ${q.distribution.join(" / ")}` : ""}
                    </p>
                    {q.type === "text" && q.texts.length > 0 ? (
                      <ul>
                        {q.texts.map((t, i) => (
                          <li key={i}>{t}</li>
                        ))}
                      </ul>
                    ) : null}
                  </div>
                ))}
              </section>
            ))
          }
        </QueryState>
      </section>
    </section>
  );
}

function Figures<T>({
  title,
  rows,
  columns,
  rowKey,
}: {
  title: string;
  rows: readonly T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
}) {
  return (
    <section className="c-card c-stack" aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="c-empty">Nothing recorded in this period.</p>
      ) : (
        <DataTable rows={rows} columns={columns} rowKey={rowKey} />
      )}
    </section>
  );
}
