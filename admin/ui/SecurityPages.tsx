// Admin pages for error reports (P7) and the security feed (P14).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ERROR_KIND_LABEL, SECURITY_KIND_LABEL, labelOf, shortRef } from "../shared/labels.ts";
import { DataTable, QueryState } from "./kit.tsx";
import { fmt, useTRPC } from "./trpc.ts";

export function ErrorsPage() {
  const trpc = useTRPC();
  const groups = useQuery(trpc.errors.groups.queryOptions({ limit: 100 }));
  return (
    <section className="c-stack" aria-labelledby="errors-title">
      <header className="c-pagehead">
        <h1 id="errors-title">Error reports</h1>
        <p className="c-muted">
          The last 30 days, grouped. Texts are scrubbed of emails, tokens, codes and query strings before they are
          stored.
        </p>
      </header>
      <QueryState query={groups} empty="No errors reported in the last 30 days.">
        {(rows) => (
          <DataTable
            rows={rows}
            rowKey={(g) => g.fingerprint}
            rowTestId="error-group"
            columns={[
              { header: "Kind", cell: (g) => labelOf(ERROR_KIND_LABEL, g.kind) },
              {
                header: "Message",
                cell: (g) => (
                  <>
                    {g.message}
                    {g.stack ? (
                      <details>
                        <summary>Stack</summary>
                        <pre className="c-pre">{g.stack}</pre>
                      </details>
                    ) : null}
                  </>
                ),
              },
              { header: "Where", cell: (g) => g.location ?? "—" },
              { header: "Count", cell: (g) => g.count },
              { header: "First seen", cell: (g) => fmt(g.firstSeen), className: "c-nowrap" },
              { header: "Last seen", cell: (g) => fmt(g.lastSeen), className: "c-nowrap" },
            ]}
          />
        )}
      </QueryState>
    </section>
  );
}

export function SecurityPage() {
  const trpc = useTRPC();
  const [ip, setIp] = useState("");
  const [query, setQuery] = useState("");
  const feed = useQuery(trpc.security.feed.queryOptions({ limit: 100, ...(query ? { ip: query } : {}) }));
  return (
    <section className="c-stack" aria-labelledby="security-title">
      <header className="c-pagehead">
        <h1 id="security-title">Security events</h1>
        <p className="c-muted">
          Viewing this feed is recorded in the audit log. IPs are kept for security only; events are deleted after 90
          days.
        </p>
      </header>
      <form
        className="c-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(ip.trim());
        }}
      >
        <div className="c-field">
          <label htmlFor="security-ip">IP address</label>
          <input id="security-ip" data-search value={ip} onChange={(e) => setIp(e.target.value)} />
        </div>
        <button className="c-button" type="submit">
          Filter
        </button>
      </form>
      <QueryState query={feed} empty="No security events." isEmpty={(d) => d.events.length === 0}>
        {(d) => (
          <DataTable
            rows={d.events}
            rowKey={(e) => e.id}
            rowTestId="security-event"
            columns={[
              { header: "When", cell: (e) => fmt(e.createdAt), className: "c-nowrap" },
              { header: "Event", cell: (e) => labelOf(SECURITY_KIND_LABEL, e.kind) },
              { header: "Details", cell: (e) => e.detail ?? "—" },
              { header: "IP", cell: (e) => e.ip ?? "—" },
              {
                header: "Account",
                // An erased account has no name left: a short reference still tells events of one account apart.
                cell: (e) => e.userName ?? (e.userId ? `Account ${shortRef(e.userId)}` : "—"),
              },
            ]}
          />
        )}
      </QueryState>
    </section>
  );
}
