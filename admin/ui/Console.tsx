// The back-office console: a client-side React app that talks only tRPC, in its own app shell (sidebar with live
// counts, the person and role, sign out; none of the consumer site's header or footer). Navigation shows what the
// role's permissions allow (the server enforces them regardless). Staff without a second factor in this session
// see only the TOTP step. Keyboard first: "/" search, j/k move, "g" + letter jumps, "?" lists the shortcuts.
import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocation, useNavigate } from "@remix-run/react";
import { Link } from "~/components/Link";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { Permission } from "../shared/permissions.ts";
import { ROLE_LABEL, labelOf } from "../shared/labels.ts";
import { errorInfo, makeClient, setDisplayZone, TRPCProvider, useTRPC } from "./trpc.ts";
import { ConfirmDialog, Dialog, ErrorNote, FieldError, Loading, ToastProvider, useToast } from "./kit.tsx";
import { AuditPage, CategoriesPage, ExpertsPage, StaffPage } from "./AdminPages.tsx";
import { CannedRepliesPage, TicketPage, TicketQueue } from "./TicketPages.tsx";
import { NewsletterPage } from "./NewsletterPage.tsx";
import { PrivacyQueue, PrivacyRequestPage } from "./PrivacyPages.tsx";
import { IncidentPage, IncidentsPage } from "./IncidentPages.tsx";
import { AnalyticsPage, ReviewsPage } from "./FeedbackPages.tsx";
import { ErrorsPage, SecurityPage } from "./SecurityPages.tsx";
import { Dashboard } from "./Dashboard.tsx";

export { ErrorNote, Loading };

export function Console() {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 5_000 } } }),
  );
  const [trpcClient] = useState(makeClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ToastProvider>
          <Gate />
        </ToastProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

function Gate() {
  const trpc = useTRPC();
  const me = useQuery(trpc.me.get.queryOptions());
  if (me.isPending)
    return (
      <Centered>
        <Loading label="Opening the console…" />
      </Centered>
    );
  if (me.isError)
    return (
      <Centered>
        <ErrorNote error={me.error} />
      </Centered>
    );
  setDisplayZone(me.data.timezone);
  if (!me.data.isStaff)
    return (
      <Centered>
        <p className="c-alert">The back-office is for staff accounts only.</p>
      </Centered>
    );
  if (!me.data.mfa?.verified)
    return (
      <Centered>
        <TotpStep enrolled={Boolean(me.data.mfa?.enrolled)} />
      </Centered>
    );
  return (
    <Shell
      name={me.data.name}
      role={me.data.role}
      permissions={me.data.permissions}
      recoveryCodesLeft={me.data.mfa.recoveryCodesLeft}
    />
  );
}

function Centered({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="c-centered" tabIndex={-1}>
      <div className="c-card c-narrow">
        <p className="c-brand">Mind Namo · Console</p>
        {children}
      </div>
    </main>
  );
}

function QrCode({ size, path }: { size: number; path: string }) {
  // A quiet zone of 4 modules around the code, as the QR standard asks, so phone cameras find it.
  return (
    <svg
      className="c-qr"
      viewBox={`-4 -4 ${size + 8} ${size + 8}`}
      role="img"
      aria-label="QR code for your authenticator app"
      shapeRendering="crispEdges"
    >
      <rect x={-4} y={-4} width={size + 8} height={size + 8} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div className="c-stack">
      <p>
        Keep these ten recovery codes somewhere safe, apart from your phone (a password manager or on paper). Each opens
        the console once if you lose your authenticator app. <strong>They are shown only now.</strong>
      </p>
      <ol className="c-codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
    </div>
  );
}

function TotpStep({ enrolled }: { enrolled: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [code, setCode] = useState("");
  const [useRecovery, setUseRecovery] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const done = () => qc.invalidateQueries({ queryKey: trpc.me.get.queryKey() });
  const begin = useMutation(trpc.mfa.beginEnrolment.mutationOptions());
  const confirm = useMutation(
    trpc.mfa.confirmEnrolment.mutationOptions({ onSuccess: (r) => setCodes(r.recoveryCodes) }),
  );
  const verify = useMutation(trpc.mfa.verify.mutationOptions({ onSuccess: done }));
  const recovery = useMutation(trpc.mfa.useRecoveryCode.mutationOptions({ onSuccess: done }));
  const submitting = confirm.isPending || verify.isPending || recovery.isPending;
  const error = confirm.error ?? verify.error ?? recovery.error ?? begin.error;
  const info = error ? errorInfo(error) : null;
  if (codes)
    return (
      <section className="c-stack" aria-labelledby="totp-title">
        <h1 id="totp-title">Two-factor sign-in is set up</h1>
        <RecoveryCodes codes={codes} />
        <button className="c-button" type="button" onClick={() => void done()}>
          I have saved my recovery codes
        </button>
      </section>
    );
  return (
    <section className="c-stack" aria-labelledby="totp-title">
      <h1 id="totp-title">Two-factor sign-in</h1>
      {!enrolled && !begin.data ? (
        <>
          <p>Staff accounts need a code from an authenticator app before the back-office opens.</p>
          <button className="c-button" type="button" onClick={() => begin.mutate()} disabled={begin.isPending}>
            Set up an authenticator app
          </button>
        </>
      ) : null}
      {!enrolled && begin.data ? (
        <div className="c-enrol">
          <QrCode size={begin.data.qr.size} path={begin.data.qr.path} />
          <div className="c-stack">
            <p>Scan the code with your authenticator app, or type this key into it, then enter the code it shows.</p>
            <p>
              Key:{" "}
              <code className="c-key" data-testid="totp-secret">
                {begin.data.secret}
              </code>
            </p>
            <p className="c-muted">The key stays the same until you finish, so you can reload this page safely.</p>
            <p>
              <a href={begin.data.uri}>Open in an authenticator app on this device</a>
            </p>
          </div>
        </div>
      ) : null}
      {enrolled || begin.data ? (
        <form
          className="c-stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (useRecovery) recovery.mutate({ code });
            else if (enrolled) verify.mutate({ code });
            else confirm.mutate({ code });
          }}
        >
          <div className="c-field">
            <label htmlFor="totp-code">{useRecovery ? "Recovery code" : "Code from your app"}</label>
            <input
              id="totp-code"
              inputMode={useRecovery ? "text" : "numeric"}
              autoComplete="one-time-code"
              value={code}
              aria-describedby={info?.fields.code ? "totp-code-err" : undefined}
              aria-invalid={info?.fields.code ? true : undefined}
              onChange={(e) => setCode(e.target.value)}
            />
            <FieldError id="totp-code-err" message={info?.fields.code} />
          </div>
          <div className="c-actions c-start">
            <button className="c-button" type="submit" disabled={submitting}>
              {submitting ? "Checking…" : "Verify"}
            </button>
            {enrolled ? (
              <button
                type="button"
                className="c-link-button"
                onClick={() => {
                  setUseRecovery(!useRecovery);
                  setCode("");
                }}
              >
                {useRecovery ? "Use a code from the app instead" : "Lost your phone? Use a recovery code"}
              </button>
            ) : null}
          </div>
        </form>
      ) : null}
      {info && !info.fields.code ? <ErrorNote error={error} /> : null}
    </section>
  );
}

// ------------------------------------------------------------------------------------------------ the shell

type CountKey = "mineOpen" | "unassigned" | "overdue" | "privacyDueSoon";

/** One sidebar entry. Other sections join by adding a row (and a case in pageFor). */
export interface NavItem {
  to: string;
  label: string;
  permission: Permission | null;
  /** "g" + this key jumps here. */
  key?: string;
  group: "Work" | "Oversight" | "Settings";
}

export const NAV: NavItem[] = [
  { to: "/admin", label: "Dashboard", permission: null, key: "d", group: "Work" },
  { to: "/admin/tickets", label: "Tickets", permission: "tickets:read", key: "t", group: "Work" },
  { to: "/admin/reviews", label: "Reviews", permission: "reviews:moderate", key: "r", group: "Work" },
  { to: "/admin/privacy", label: "Privacy requests", permission: "privacy:read", key: "p", group: "Work" },
  { to: "/admin/incidents", label: "Breach incidents", permission: "incidents:manage", key: "i", group: "Work" },
  { to: "/admin/audit", label: "Audit log", permission: "audit:read", key: "a", group: "Oversight" },
  { to: "/admin/analytics", label: "Analytics", permission: "analytics:read", key: "n", group: "Oversight" },
  { to: "/admin/errors", label: "Errors", permission: "errors:read", key: "e", group: "Oversight" },
  { to: "/admin/security", label: "Security", permission: "security:read", key: "y", group: "Oversight" },
  { to: "/admin/canned-replies", label: "Canned replies", permission: "tickets:write", key: "w", group: "Settings" },
  { to: "/admin/staff", label: "Staff", permission: "staff:manage", key: "s", group: "Settings" },
  { to: "/admin/categories", label: "Categories", permission: "categories:manage", key: "c", group: "Settings" },
  { to: "/admin/experts", label: "Experts", permission: "experts:manage", key: "x", group: "Settings" },
  { to: "/admin/newsletter", label: "Newsletter", permission: "newsletter:send", key: "l", group: "Settings" },
  { to: "/admin/account", label: "Your sign-in", permission: null, key: "m", group: "Settings" },
];

/** Live counts shown under a section (each only when the role may see it; the server computes no others). */
const SUBCOUNTS: { under: string; key: CountKey; label: string; to: string; urgent?: boolean }[] = [
  { under: "/admin/tickets", key: "mineOpen", label: "Mine, open", to: "/admin/tickets?view=mine" },
  { under: "/admin/tickets", key: "unassigned", label: "Unassigned", to: "/admin/tickets?view=unassigned" },
  { under: "/admin/tickets", key: "overdue", label: "Overdue", to: "/admin/tickets?view=overdue", urgent: true },
  {
    under: "/admin/privacy",
    key: "privacyDueSoon",
    // It counts the overdue ones too (they are the most urgent), unlike the dashboard's "Due within 7 days".
    label: "Due soon or overdue",
    to: "/admin/privacy?status=DUE_SOON",
    urgent: true,
  },
];

function pageFor(path: string, has: (p: Permission) => boolean, name: string, recoveryCodesLeft: number): ReactNode {
  const parts = path.replace(/^\/admin\/?/, "").split("/");
  if (parts[0] === "tickets" && parts[1] && has("tickets:read")) return <TicketPage ticketId={parts[1]} />;
  if (parts[0] === "tickets" && has("tickets:read")) return <TicketQueue />;
  if (parts[0] === "canned-replies" && has("tickets:write")) return <CannedRepliesPage />;
  if (parts[0] === "privacy" && parts[1] && has("privacy:read")) return <PrivacyRequestPage requestId={parts[1]} />;
  if (parts[0] === "privacy" && has("privacy:read")) return <PrivacyQueue />;
  if (parts[0] === "incidents" && parts[1] && has("incidents:manage")) return <IncidentPage incidentId={parts[1]} />;
  if (parts[0] === "incidents" && has("incidents:manage")) return <IncidentsPage />;
  if (parts[0] === "audit" && has("audit:read")) return <AuditPage />;
  if (parts[0] === "staff" && has("staff:manage")) return <StaffPage />;
  if (parts[0] === "categories" && has("categories:manage")) return <CategoriesPage />;
  if (parts[0] === "experts" && has("experts:manage")) return <ExpertsPage />;
  if (parts[0] === "newsletter" && has("newsletter:send")) return <NewsletterPage />;
  if (parts[0] === "errors" && has("errors:read")) return <ErrorsPage />;
  if (parts[0] === "security" && has("security:read")) return <SecurityPage />;
  if (parts[0] === "reviews" && has("reviews:moderate")) return <ReviewsPage />;
  if (parts[0] === "analytics" && has("analytics:read")) return <AnalyticsPage />;
  if (parts[0] === "account") return <SignInSettings recoveryCodesLeft={recoveryCodesLeft} />;
  if (parts[0] === "") return <Dashboard name={name} has={has} />;
  return (
    <section className="c-stack" aria-labelledby="nf-title">
      <h1 id="nf-title">Not here</h1>
      <p>This section does not exist or is not part of your role.</p>
    </section>
  );
}

function Shell({
  name,
  role,
  permissions,
  recoveryCodesLeft,
}: {
  name: string;
  role: string;
  permissions: Permission[];
  recoveryCodesLeft: number;
}) {
  const trpc = useTRPC();
  const { pathname } = useLocation();
  const has = (p: Permission) => permissions.includes(p);
  const items = NAV.filter((n) => n.permission === null || has(n.permission));
  // Live: refreshed every minute and whenever the console regains focus.
  const counts = useQuery({ ...trpc.console.counts.queryOptions(), refetchInterval: 60_000 });
  const [help, setHelp] = useState(false);
  useShortcuts(items, () => setHelp(true));
  const countOf = (k: CountKey): number | null =>
    k === "privacyDueSoon" ? (counts.data?.privacyDueSoon ?? null) : (counts.data?.tickets?.[k] ?? null);
  const isCurrent = (to: string) =>
    to === "/admin" ? pathname === "/admin" || pathname === "/admin/" : pathname.startsWith(to);
  const mainRef = useRef<HTMLElement>(null);
  // On a narrow screen the navigation folds behind a Menu button (CSS shows the button only there).
  const [menuOpen, setMenuOpen] = useState(false);
  // A new page moves focus to its content, so screen reader users hear where they are, and folds the menu.
  useEffect(() => {
    mainRef.current?.focus({ preventScroll: true });
    setMenuOpen(false);
  }, [pathname]);
  const overdue = countOf("overdue") ?? 0;
  return (
    <div className="c-shell">
      <a className="c-skip" href="#main">
        Skip to content
      </a>
      <aside className={menuOpen ? "c-sidebar c-menu-open" : "c-sidebar"}>
        <div className="c-sidebar-top">
          <p className="c-brand">
            <Link to="/admin">Mind Namo</Link> <span>Console</span>
          </p>
          <button
            type="button"
            className="c-menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="c-menu"
            onClick={() => setMenuOpen((open) => !open)}
          >
            Menu
            {overdue > 0 ? (
              <span className="c-badge c-urgent">
                {overdue}
                <span className="c-visually-hidden"> overdue</span>
              </span>
            ) : null}
          </button>
        </div>
        <div id="c-menu" className="c-menu">
          <nav aria-label="Back-office">
            {(["Work", "Oversight", "Settings"] as const).map((group) => {
              const inGroup = items.filter((n) => n.group === group);
              if (inGroup.length === 0) return null;
              return (
                <div key={group} className="c-navgroup">
                  <p className="c-navhead" id={`nav-${group}`}>
                    {group}
                  </p>
                  <ul aria-labelledby={`nav-${group}`}>
                    {inGroup.map((n) => (
                      <li key={n.to}>
                        <Link to={n.to} aria-current={isCurrent(n.to) ? "page" : undefined} className="c-navlink">
                          {n.label}
                        </Link>
                        {SUBCOUNTS.some((s) => s.under === n.to && countOf(s.key) !== null) ? (
                          <ul className="c-subcounts">
                            {SUBCOUNTS.filter((s) => s.under === n.to && countOf(s.key) !== null).map((s) => (
                              <li key={s.key}>
                                <Link to={s.to} className="c-sublink" data-testid={`count-${s.key}`}>
                                  <span>{s.label}</span>
                                  <span
                                    className={s.urgent && (countOf(s.key) ?? 0) > 0 ? "c-badge c-urgent" : "c-badge"}
                                  >
                                    {countOf(s.key)}
                                  </span>
                                </Link>
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                </div>
              );
            })}
          </nav>
          <div className="c-me">
            <p>
              <strong data-testid="console-person">{name}</strong>
              <br />
              <span className="c-muted" data-testid="console-role">
                {labelOf(ROLE_LABEL, role)}
              </span>
            </p>
            <button type="button" className="c-link-button" onClick={() => setHelp(true)}>
              Keyboard shortcuts <kbd>?</kbd>
            </button>
            <form method="post" action="/logout">
              <button type="submit" className="c-button c-secondary c-full">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </aside>
      <main id="main" ref={mainRef} className="c-main" tabIndex={-1}>
        {pageFor(pathname, has, name, recoveryCodesLeft)}
      </main>
      <ShortcutHelp open={help} onClose={() => setHelp(false)} items={items} />
    </div>
  );
}

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

/** "/" focuses the page's search, j/k move between rows ([data-row]), "g" then a letter jumps, "?" shows help. */
function useShortcuts(items: NavItem[], openHelp: () => void) {
  const navigate = useNavigate();
  useEffect(() => {
    let pendingG = 0;
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (document.querySelector("dialog[open]")) return;
      if (e.key === "?") {
        e.preventDefault();
        openHelp();
        return;
      }
      if (pendingG && Date.now() - pendingG < 1500) {
        pendingG = 0;
        const target = items.find((n) => n.key === e.key);
        if (target) {
          e.preventDefault();
          navigate(target.to);
        }
        return;
      }
      if (e.key === "g") {
        pendingG = Date.now();
        return;
      }
      if (e.key === "/") {
        const search = document.querySelector<HTMLElement>("[data-search]");
        if (search) {
          e.preventDefault();
          search.focus();
        }
        return;
      }
      // Enter on a row j/k reached opens it: the row's first link.
      if (e.key === "Enter" && e.target instanceof HTMLElement && e.target.hasAttribute("data-row")) {
        const link = e.target.querySelector<HTMLAnchorElement>("a[href]");
        if (link) {
          e.preventDefault();
          link.click();
        }
        return;
      }
      if (e.key === "j" || e.key === "k") {
        const rows = [...document.querySelectorAll<HTMLElement>("[data-row]")];
        if (rows.length === 0) return;
        e.preventDefault();
        const at = rows.findIndex((r) => r === document.activeElement);
        const next = at === -1 ? 0 : Math.min(rows.length - 1, Math.max(0, at + (e.key === "j" ? 1 : -1)));
        rows[next]!.focus();
        rows[next]!.scrollIntoView({ block: "nearest" });
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [items, navigate, openHelp]);
}

function ShortcutHelp({ open, onClose, items }: { open: boolean; onClose: () => void; items: NavItem[] }) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose}>
      <dl className="c-shortcuts">
        <dt>
          <kbd>/</kbd>
        </dt>
        <dd>Search on this page</dd>
        <dt>
          <kbd>j</kbd> <kbd>k</kbd>
        </dt>
        <dd>Next / previous row; Enter opens it</dd>
        <dt>
          <kbd>x</kbd>
        </dt>
        <dd>Select the row (tickets), for bulk actions</dd>
        <dt>
          <kbd>?</kbd>
        </dt>
        <dd>This list</dd>
        {items
          .filter((n) => n.key)
          .map((n) => (
            <div key={n.to} className="c-shortcut-row">
              <dt>
                <kbd>g</kbd> <kbd>{n.key}</kbd>
              </dt>
              <dd>Go to {n.label.toLowerCase()}</dd>
            </div>
          ))}
      </dl>
      <div className="c-actions">
        <button type="button" className="c-button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

// ------------------------------------------------------------------------------------------------ own sign-in

function SignInSettings({ recoveryCodesLeft }: { recoveryCodesLeft: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const [asking, setAsking] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const regenerate = useMutation(
    trpc.mfa.regenerateRecoveryCodes.mutationOptions({
      onSuccess: (r) => {
        setAsking(false);
        setCodes(r.recoveryCodes);
        toast("New recovery codes made. The old ones no longer work.");
        void qc.invalidateQueries({ queryKey: trpc.me.get.queryKey() });
      },
    }),
  );
  return (
    <section className="c-stack" aria-labelledby="signin-title">
      <h1 id="signin-title">Your sign-in</h1>
      <div className="c-card c-stack">
        <h2>Recovery codes</h2>
        <p>
          <strong data-testid="recovery-left">{recoveryCodesLeft}</strong> of 10 recovery codes left. Each opens the
          console once without your authenticator app.
        </p>
        {codes ? <RecoveryCodes codes={codes} /> : null}
        <div>
          <button type="button" className="c-button c-secondary" onClick={() => setAsking(true)}>
            Make new recovery codes
          </button>
        </div>
      </div>
      <ConfirmDialog
        open={asking}
        title="Make new recovery codes?"
        consequence={<p>Your current recovery codes stop working at once. The new ones are shown only once.</p>}
        confirmLabel="Make new codes"
        danger={false}
        needsCode
        busy={regenerate.isPending}
        error={regenerate.error}
        onConfirm={({ code }) => regenerate.mutate({ code })}
        onCancel={() => {
          setAsking(false);
          regenerate.reset();
        }}
      />
    </section>
  );
}
