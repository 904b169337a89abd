// Admin pages for error reports (P7) and the security feed (P14).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNote, Loading } from "./Console.tsx";
import { fmt, useTRPC } from "./trpc.ts";

const KIND_LABEL: Record<string, string> = {
  CLIENT_CRASH: "Crash in the browser",
  API_FAILURE: "Failed API call",
  LOAD_FAILURE: "Loading failure",
  SERVER_ERROR: "Server error",
  CSP_VIOLATION: "Blocked by the content security policy",
  FAILURE_BURST: "Burst of failed sign-ins",
  MANY_ACCOUNTS_FROM_IP: "Many accounts from one IP",
  CODES_IN_BULK: "Codes requested in bulk",
  ACCOUNT_LOCKED: "Account locked",
  NEW_DEVICE: "New-device alert sent",
  NOT_ME_REPORTED: "\u201cThis wasn't me\u201d",
};

export function ErrorsPage() {
  const trpc = useTRPC();
  const groups = useQuery(trpc.errors.groups.queryOptions({ limit: 100 }));
  return (
    <section className="stack" aria-labelledby="errors-title">
      <h1 id="errors-title">Error reports</h1>
      <p>
        The last 30 days, grouped. Texts are scrubbed of emails, tokens, codes and query strings before they are stored.
      </p>
      {groups.isPending ? <Loading /> : groups.isError ? <ErrorNote error={groups.error} /> : null}
      {groups.data && groups.data.length === 0 ? <p>No errors reported in the last 30 days.</p> : null}
      {groups.data && groups.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Message</th>
                <th scope="col">Where</th>
                <th scope="col">Count</th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {groups.data.map((g) => (
                <tr key={g.fingerprint} data-testid="error-group">
                  <td>{KIND_LABEL[g.kind] ?? g.kind}</td>
                  <td>
                    {g.message}
                    {g.stack ? (
                      <details>
                        <summary>Stack</summary>
                        <pre style={{ whiteSpace: "pre-wrap" }}>{g.stack}</pre>
                      </details>
                    ) : null}
                  </td>
                  <td>{g.location ?? "—"}</td>
                  <td>{g.count}</td>
                  <td>{fmt(g.firstSeen)}</td>
                  <td>{fmt(g.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export function SecurityPage() {
  const trpc = useTRPC();
  const [ip, setIp] = useState("");
  const [query, setQuery] = useState("");
  const feed = useQuery(trpc.security.feed.queryOptions({ limit: 100, ...(query ? { ip: query } : {}) }));
  return (
    <section className="stack" aria-labelledby="security-title">
      <h1 id="security-title">Security events</h1>
      <p>
        Viewing this feed is recorded in the audit log. IPs are kept for security only; events are deleted after 90
        days.
      </p>
      <form
        style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap", alignItems: "end" }}
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(ip.trim());
        }}
      >
        <label>
          IP address <input value={ip} onChange={(e) => setIp(e.target.value)} />
        </label>
        <button className="button" type="submit">
          Filter
        </button>
      </form>
      {feed.isPending ? <Loading /> : feed.isError ? <ErrorNote error={feed.error} /> : null}
      {feed.data && feed.data.events.length === 0 ? <p>No security events.</p> : null}
      {feed.data && feed.data.events.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Details</th>
                <th scope="col">IP</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {feed.data.events.map((e) => (
                <tr key={e.id} data-testid="security-event">
                  <td>{fmt(e.createdAt)}</td>
                  <td>{KIND_LABEL[e.kind] ?? e.kind}</td>
                  <td>{e.detail ?? "—"}</td>
                  <td>{e.ip ?? "—"}</td>
                  <td>{e.userId ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
