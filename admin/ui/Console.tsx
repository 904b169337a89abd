// The back-office console: a client-side React app that talks only tRPC. Navigation shows what the role's
// permissions allow (the server enforces them regardless). Staff without a second factor in this session see
// only the TOTP step.
import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation } from "@remix-run/react";
import { useState, type ReactNode } from "react";
import type { Permission } from "../shared/permissions.ts";
import { errorInfo, makeClient, TRPCProvider, useTRPC } from "./trpc.ts";
import { AuditPage, CategoriesPage, ExpertsPage, StaffPage } from "./AdminPages.tsx";
import { TicketPage, TicketQueue } from "./TicketPages.tsx";
import { NewsletterPage } from "./NewsletterPage.tsx";
import { PrivacyQueue, PrivacyRequestPage } from "./PrivacyPages.tsx";
import { AnalyticsPage, ReviewsPage } from "./FeedbackPages.tsx";
import { ErrorsPage, SecurityPage } from "./SecurityPages.tsx";

export function Console() {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 5_000 } } }),
  );
  const [trpcClient] = useState(makeClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <Gate />
      </TRPCProvider>
    </QueryClientProvider>
  );
}

export function Loading() {
  return (
    <p role="status" aria-live="polite">
      Loading…
    </p>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  return (
    <p className="alert" role="alert">
      {errorInfo(error).message}
    </p>
  );
}

function Gate() {
  const trpc = useTRPC();
  const me = useQuery(trpc.me.get.queryOptions());
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorNote error={me.error} />;
  if (!me.data.isStaff) return <p className="alert">The back-office is for staff accounts only.</p>;
  if (!me.data.mfa?.verified) return <TotpStep enrolled={Boolean(me.data.mfa?.enrolled)} />;
  return <Shell name={me.data.name} role={me.data.role} permissions={me.data.permissions} />;
}

function TotpStep({ enrolled }: { enrolled: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [code, setCode] = useState("");
  const begin = useMutation(trpc.mfa.beginEnrolment.mutationOptions());
  const done = () => qc.invalidateQueries({ queryKey: trpc.me.get.queryKey() });
  const confirm = useMutation(trpc.mfa.confirmEnrolment.mutationOptions({ onSuccess: done }));
  const verify = useMutation(trpc.mfa.verify.mutationOptions({ onSuccess: done }));
  const submitting = confirm.isPending || verify.isPending;
  const error = confirm.error ?? verify.error ?? begin.error;
  return (
    <section className="stack" aria-labelledby="totp-title">
      <h1 id="totp-title">Two-factor sign-in</h1>
      {!enrolled && !begin.data ? (
        <>
          <p>Staff accounts need a code from an authenticator app before the back-office opens.</p>
          <button className="button" type="button" onClick={() => begin.mutate()} disabled={begin.isPending}>
            Set up an authenticator app
          </button>
        </>
      ) : null}
      {!enrolled && begin.data ? (
        <div className="stack">
          <p>Add this key to your authenticator app (or open the link on your phone), then enter the code it shows.</p>
          <p>
            Secret key: <code data-testid="totp-secret">{begin.data.secret}</code>
          </p>
          <p>
            <a href={begin.data.uri}>Open in authenticator app</a>
          </p>
        </div>
      ) : null}
      {enrolled || begin.data ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (enrolled) verify.mutate({ code });
            else confirm.mutate({ code });
          }}
        >
          <div className="field">
            <label htmlFor="totp-code">Code from your app</label>
            <input
              id="totp-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </div>
          <button className="button" type="submit" disabled={submitting}>
            {submitting ? "Checking…" : "Verify"}
          </button>
        </form>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}

const NAV: { to: string; label: string; permission: Permission }[] = [
  { to: "/admin/tickets", label: "Tickets", permission: "tickets:read" },
  { to: "/admin/privacy", label: "Privacy requests", permission: "privacy:read" },
  { to: "/admin/audit", label: "Audit log", permission: "audit:read" },
  { to: "/admin/staff", label: "Staff", permission: "staff:manage" },
  { to: "/admin/categories", label: "Categories", permission: "categories:manage" },
  { to: "/admin/experts", label: "Experts", permission: "experts:manage" },
  { to: "/admin/newsletter", label: "Newsletter", permission: "newsletter:send" },
  { to: "/admin/errors", label: "Errors", permission: "errors:read" },
  { to: "/admin/security", label: "Security", permission: "security:read" },
  { to: "/admin/reviews", label: "Reviews", permission: "reviews:moderate" },
  { to: "/admin/analytics", label: "Analytics", permission: "analytics:read" },
];

function Shell({ name, role, permissions }: { name: string; role: string; permissions: Permission[] }) {
  const { pathname } = useLocation();
  const items = NAV.filter((n) => permissions.includes(n.permission));
  const parts = pathname.replace(/^\/admin\/?/, "").split("/");
  let page: ReactNode;
  const has = (p: Permission) => permissions.includes(p);
  if (parts[0] === "tickets" && parts[1] && has("tickets:read")) page = <TicketPage ticketId={parts[1]} />;
  else if (parts[0] === "tickets" && has("tickets:read")) page = <TicketQueue />;
  else if (parts[0] === "privacy" && parts[1] && has("privacy:read"))
    page = <PrivacyRequestPage requestId={parts[1]} />;
  else if (parts[0] === "privacy" && has("privacy:read")) page = <PrivacyQueue />;
  else if (parts[0] === "audit" && has("audit:read")) page = <AuditPage />;
  else if (parts[0] === "staff" && has("staff:manage")) page = <StaffPage />;
  else if (parts[0] === "categories" && has("categories:manage")) page = <CategoriesPage />;
  else if (parts[0] === "experts" && has("experts:manage")) page = <ExpertsPage />;
  else if (parts[0] === "newsletter" && has("newsletter:send")) page = <NewsletterPage />;
  else if (parts[0] === "errors" && has("errors:read")) page = <ErrorsPage />;
  else if (parts[0] === "security" && has("security:read")) page = <SecurityPage />;
  else if (parts[0] === "reviews" && has("reviews:moderate")) page = <ReviewsPage />;
  else if (parts[0] === "analytics" && has("analytics:read")) page = <AnalyticsPage />;
  else if (parts[0] === "") page = <p>Welcome, {name}. Choose a section.</p>;
  else page = <p className="alert">This section does not exist or is not part of your role.</p>;
  return (
    <div className="stack">
      <nav aria-label="Back-office">
        <ul className="nav-list">
          <li>
            <strong>Back-office</strong> · {name} ({role})
          </li>
          {items.map((n) => (
            <li key={n.to}>
              <Link to={n.to} aria-current={pathname.startsWith(n.to) ? "page" : undefined}>
                {n.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {page}
    </div>
  );
}
