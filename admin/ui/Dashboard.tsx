// The console's home: one aggregate dashboard per role (never a person's data). A staff member sees the panels
// their permissions allow; each panel has its own loading and error state.
import { useQuery } from "@tanstack/react-query";
import type { Permission } from "../shared/permissions.ts";
import { PRIVACY_STATUS_LABEL } from "../shared/labels.ts";
import { QueryState } from "./kit.tsx";
import { fmtDateKey, useTRPC } from "./trpc.ts";

const hours = (h: number | null) => (h === null ? "—" : h < 1 ? `${Math.round(h * 60)} min` : `${h} h`);

function Stat({
  label,
  value,
  testId,
  urgent,
}: {
  label: string;
  value: string | number;
  testId: string;
  urgent?: boolean;
}) {
  return (
    <div className={urgent ? "c-stat c-stat-urgent" : "c-stat"}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

function SupportPanel() {
  const trpc = useTRPC();
  const q = useQuery(trpc.dashboard.support.queryOptions());
  return (
    <section className="c-card c-stack" aria-labelledby="dash-support">
      <h2 id="dash-support">Support</h2>
      <QueryState query={q}>
        {(d) => (
          <>
            <dl className="c-stats">
              <Stat label="New" value={d.new} testId="dash-new" />
              <Stat label="Open" value={d.open} testId="dash-open" />
              <Stat label="Overdue" value={d.overdue} testId="dash-overdue" urgent={d.overdue > 0} />
              <Stat
                label="Satisfaction (30 days)"
                value={
                  d.satisfaction.average === null ? "—" : `${d.satisfaction.average} / 5 (${d.satisfaction.count})`
                }
                testId="dash-satisfaction"
              />
            </dl>
            <table className="c-table">
              <caption>First response time</caption>
              <thead>
                <tr>
                  <th scope="col">Tickets opened in</th>
                  <th scope="col">Answered</th>
                  <th scope="col">Median</th>
                  <th scope="col">90th percentile</th>
                </tr>
              </thead>
              <tbody>
                {(
                  [
                    ["the last 7 days", d.firstResponse.last7Days, "7"],
                    ["the last 30 days", d.firstResponse.last30Days, "30"],
                  ] as const
                ).map(([label, r, key]) => (
                  <tr key={key}>
                    <th scope="row">{label}</th>
                    <td data-testid={`dash-frt-count-${key}`}>{r.count}</td>
                    <td data-testid={`dash-frt-p50-${key}`}>{hours(r.p50)}</td>
                    <td data-testid={`dash-frt-p90-${key}`}>{hours(r.p90)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </QueryState>
    </section>
  );
}

function PrivacyPanel() {
  const trpc = useTRPC();
  const q = useQuery(trpc.dashboard.privacy.queryOptions());
  return (
    <section className="c-card c-stack" aria-labelledby="dash-privacy">
      <h2 id="dash-privacy">Privacy requests</h2>
      <QueryState query={q}>
        {(d) => (
          <>
            <dl className="c-stats">
              <Stat label="Open" value={d.open} testId="dash-privacy-open" />
              <Stat label="Overdue" value={d.overdue} testId="dash-privacy-overdue" urgent={d.overdue > 0} />
              <Stat label="Due within 7 days" value={d.dueIn.within7Days} testId="dash-privacy-due7" />
              <Stat label="Extended" value={d.extended} testId="dash-privacy-extended" />
              <Stat
                label="Fewest days left"
                value={d.soonestDaysLeft === null ? "—" : d.soonestDaysLeft}
                testId="dash-privacy-soonest"
              />
            </dl>
            <table className="c-table">
              <caption>All requests by state</caption>
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">Requests</th>
                </tr>
              </thead>
              <tbody>
                {(Object.keys(d.byStatus) as (keyof typeof d.byStatus)[]).map((s) => (
                  <tr key={s}>
                    <th scope="row">{PRIVACY_STATUS_LABEL[s]}</th>
                    <td data-testid={`dash-privacy-state-${s}`}>{d.byStatus[s]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </QueryState>
    </section>
  );
}

function OperationsPanel() {
  const trpc = useTRPC();
  const q = useQuery(trpc.dashboard.operations.queryOptions());
  return (
    <section className="c-card c-stack" aria-labelledby="dash-ops">
      <h2 id="dash-ops">Operations</h2>
      <QueryState query={q}>
        {(d) => (
          <>
            <dl className="c-stats">
              <Stat label="Published experts" value={d.activeExperts} testId="dash-experts" />
              <Stat label="Error reports (7 days)" value={d.errorReportsLast7Days} testId="dash-errors" />
              <Stat label="Security events (7 days)" value={d.securityEventsLast7Days} testId="dash-security" />
            </dl>
            <table className="c-table">
              <caption>Sessions per week (weeks from Monday, UTC; by start time)</caption>
              <thead>
                <tr>
                  <th scope="col">Week of</th>
                  <th scope="col">Bookings</th>
                  <th scope="col">Cancelled</th>
                  <th scope="col">No-shows</th>
                </tr>
              </thead>
              <tbody>
                {d.perWeek.map((w) => (
                  <tr key={w.weekStart} data-testid="dash-week" data-week={w.weekStart}>
                    <th scope="row">{fmtDateKey(w.weekStart)}</th>
                    <td>{w.bookings}</td>
                    <td>{w.cancellations}</td>
                    <td>{w.noShows}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </QueryState>
    </section>
  );
}

export function Dashboard({ name, has }: { name: string; has: (p: Permission) => boolean }) {
  const first = name.split(" ")[0] ?? name;
  const panels = [
    has("tickets:read") ? <SupportPanel key="s" /> : null,
    has("privacy:read") ? <PrivacyPanel key="p" /> : null,
    has("analytics:read") ? <OperationsPanel key="o" /> : null,
  ].filter(Boolean);
  return (
    <section className="c-stack" aria-labelledby="dash-title">
      <header className="c-pagehead">
        <h1 id="dash-title">Dashboard</h1>
        <p className="c-muted">Welcome, {first}. Figures only: no one&apos;s personal data is shown here.</p>
      </header>
      {panels.length ? (
        <div className="c-grid">{panels}</div>
      ) : (
        <p className="c-empty">No dashboard for this role yet.</p>
      )}
    </section>
  );
}
