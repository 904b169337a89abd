// Reviews moderation (support) and aggregate analytics (admins). Neither shows who wrote a review or answered a
// survey: the API does not return it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNote, Loading } from "./Console.tsx";
import { fmt, useTRPC } from "./trpc.ts";
import { ConfirmDialog } from "./kit.tsx";

export function ReviewsPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [status, setStatus] = useState<"visible" | "hidden" | "all">("visible");
  const [hiding, setHiding] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState<string | null>(null);
  const list = useQuery(trpc.reviews.list.queryOptions({ status, limit: 100 }));
  const hide = useMutation(
    trpc.reviews.hide.mutationOptions({
      onSuccess: async () => {
        setHiding(null);
        setReason("");
        await qc.invalidateQueries({ queryKey: trpc.reviews.list.queryKey() });
      },
    }),
  );
  return (
    <section className="stack" aria-labelledby="reviews-title">
      <h1 id="reviews-title">Reviews</h1>
      <ConfirmDialog
        open={confirming !== null}
        title="Hide this review?"
        consequence={
          <p>
            It disappears from the expert&apos;s public profile and rating at once, and the author is emailed your
            reason.
          </p>
        }
        confirmLabel="Hide review"
        busy={hide.isPending}
        onConfirm={() => {
          if (confirming) hide.mutate({ reviewId: confirming, reason });
          setConfirming(null);
        }}
        onCancel={() => setConfirming(null)}
      />
      <p className="hint">
        Hide a review only when it is abusive. The author is told by email, with your reason. Authors are never shown
        here.
      </p>
      <div className="field">
        <label htmlFor="review-status">Show</label>
        <select id="review-status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="visible">Visible reviews</option>
          <option value="hidden">Hidden reviews</option>
          <option value="all">All reviews</option>
        </select>
      </div>
      {list.isPending ? <Loading /> : list.isError ? <ErrorNote error={list.error} /> : null}
      {list.data && list.data.length === 0 ? <p className="empty">No reviews here.</p> : null}
      <ul className="stack">
        {list.data?.map((r) => (
          <li key={r.id} className="card stack" data-testid="review-row">
            <p>
              <strong>{r.rating} out of 5</strong> for {r.expert.user.name} · {fmt(r.createdAt)}
            </p>
            <p style={{ whiteSpace: "pre-wrap" }}>{r.comment ?? "(no comment)"}</p>
            {r.hiddenAt ? (
              <p className="hint">
                Hidden {fmt(r.hiddenAt)}: {r.hiddenReason}
              </p>
            ) : hiding === r.id ? (
              <form
                className="stack"
                onSubmit={(e) => {
                  e.preventDefault();
                  setConfirming(r.id);
                }}
              >
                <div className="field">
                  <label htmlFor={`reason-${r.id}`}>Reason (sent to the author)</label>
                  <textarea
                    id={`reason-${r.id}`}
                    value={reason}
                    onChange={(e) => setReason(e.target.value)}
                    minLength={5}
                    maxLength={500}
                    required
                    rows={2}
                  />
                </div>
                <div className="row">
                  <button className="button danger" type="submit" disabled={hide.isPending}>
                    {hide.isPending ? "Hiding…" : "Hide this review"}
                  </button>
                  <button className="link-button" type="button" onClick={() => setHiding(null)}>
                    Cancel
                  </button>
                </div>
                {hide.error ? <ErrorNote error={hide.error} /> : null}
              </form>
            ) : (
              <p>
                <button className="button secondary" type="button" onClick={() => setHiding(r.id)}>
                  Hide…
                </button>
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function AnalyticsPage() {
  const trpc = useTRPC();
  const [days, setDays] = useState(30);
  const usage = useQuery(trpc.analytics.usage.queryOptions({ days, limit: 20 }));
  const surveys = useQuery(trpc.analytics.surveys.queryOptions({ days: 90 }));
  return (
    <section className="stack" aria-labelledby="analytics-title">
      <h1 id="analytics-title">Analytics</h1>
      <p className="hint">
        Anonymous usage from visitors who consented (no user ids, no IP addresses), kept 90 days; survey answers without
        names.
      </p>
      <div className="field">
        <label htmlFor="usage-days">Period</label>
        <select id="usage-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          <option value={1}>Last day</option>
          <option value={7}>Last 7 days</option>
          <option value={30}>Last 30 days</option>
          <option value={90}>Last 90 days</option>
        </select>
      </div>
      {usage.isPending ? <Loading /> : usage.isError ? <ErrorNote error={usage.error} /> : null}
      {usage.data ? (
        <>
          <p>
            Visits: <strong data-testid="usage-visits">{usage.data.visits}</strong>
          </p>
          <Table
            title="Top pages"
            head={["Page", "Views"]}
            rows={usage.data.topPages.map((p) => [p.path, String(p.views)])}
          />
          <Table
            title="Time on page"
            head={["Page", "Average (s)", "Measured"]}
            rows={usage.data.timeOnPage.map((p) => [p.path, String(p.averageSeconds), String(p.measured)])}
          />
          <Table
            title="Top flows"
            head={["From", "To", "Count"]}
            rows={usage.data.topFlows.map((f) => [f.from, f.to, String(f.count)])}
          />
          <Table
            title="Tracked clicks"
            head={["Element", "Clicks"]}
            rows={usage.data.topClicks.map((c) => [c.target, String(c.count)])}
          />
        </>
      ) : null}
      <h2>Surveys (last 90 days)</h2>
      {surveys.isPending ? <Loading /> : surveys.isError ? <ErrorNote error={surveys.error} /> : null}
      {surveys.data?.map((s) => (
        <section key={s.kind} className="card stack" aria-label={s.title}>
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
      ))}
    </section>
  );
}

function Table({ title, head, rows }: { title: string; head: string[]; rows: string[][] }) {
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="empty">Nothing recorded in this period.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {head.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  {r.map((c, j) => (
                    <td key={j}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
