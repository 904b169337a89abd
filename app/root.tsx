import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Form,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { Link, NavLink } from "~/components/Link";
import { useEffect, useRef, type ReactNode } from "react";
import stylesheet from "./styles/app.css";
import { ConsentBanner, ConsentFooterLink } from "./components/Consent";
import { reportBoundaryError } from "./utils/error-reporter";
import { UsageBeacon } from "./components/UsageBeacon";
import { useNonce } from "./utils/nonce";
import { getSession } from "./utils/session.server";
import { firstName } from "./core.server";
import { TimeZoneSync } from "./components/TimeZoneSync";
import { cookieZone } from "./utils/viewer.server";
import { ZONE_SCRIPT } from "./utils/zone-script";

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Only what the header needs: whether someone is signed in, their first name, and whether they are an expert.
  const session = await getSession(request, context);
  return {
    viewer: session ? { name: firstName(session.user.name), isExpert: session.user.role === "EXPERT" } : null,
    // Whether pages can write times yet: false on the first page of a visit, before the zone script has run.
    zoneKnown: cookieZone(request) !== null,
  };
}

export const links: LinksFunction = () => [
  // The text face is needed for the first paint: fetched in parallel with the stylesheet.
  {
    rel: "preload",
    href: "/vendor/fonts/inter-latin-wght-normal.woff2",
    as: "font",
    type: "font/woff2",
    crossOrigin: "anonymous",
  },
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Mind Namo — talk to someone who understands" },
  { name: "description", content: "Private, end-to-end encrypted 1:1 sessions with wellness experts." },
];

/** A route that draws its own chrome (the staff console) exports `handle = { chrome: "own" }`. */
export interface ChromeHandle {
  chrome?: "own";
}

/** The site's navigation, once: the desktop row and the phone menu render the same list. */
function NavItems({ viewer }: { viewer: { name: string; isExpert: boolean } | null }) {
  return (
    <ul className="nav-list">
      <li>
        <NavLink to="/experts">Find an expert</NavLink>
      </li>
      <li>
        <NavLink to="/privacy">Privacy</NavLink>
      </li>
      {viewer ? (
        <>
          {viewer.isExpert ? (
            <li>
              <NavLink to="/expert">Expert workspace</NavLink>
            </li>
          ) : null}
          <li>
            <NavLink to="/sessions">My sessions</NavLink>
          </li>
          <li>
            <NavLink to="/help">Support</NavLink>
          </li>
          <li>
            <NavLink to="/account">
              <span className="visually-hidden">Account of </span>
              {viewer.name}
            </NavLink>
          </li>
          <li>
            <Form method="post" action="/logout" className="inline-form">
              <button type="submit" className="link-button">
                Sign out
              </button>
            </Form>
          </li>
        </>
      ) : (
        <>
          <li>
            <NavLink to="/login">Sign in</NavLink>
          </li>
          <li>
            <NavLink to="/signup">Create account</NavLink>
          </li>
        </>
      )}
    </ul>
  );
}

function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 28 28" aria-hidden="true">
      <circle cx="14" cy="14" r="14" />
      <path d="M8 15.5c1.6 2.6 3.6 3.9 6 3.9s4.4-1.3 6-3.9M9.5 10.5h.01M18.5 10.5h.01" />
    </svg>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const viewer = data?.viewer ?? null;
  const ownChrome = useMatches().some((m) => (m.handle as ChromeHandle | undefined)?.chrome === "own");
  const location = useLocation();
  const menu = useRef<HTMLDetailsElement>(null);
  // Marks the page interactive, error pages included (browser tests wait for it before clicking).
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  // The phone menu closes once a link in it has taken the person somewhere.
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.pathname, location.search]);
  if (ownChrome)
    // The staff console: no consumer header, footer or consent banner (staff are not visitors of the site).
    return (
      <html lang="en">
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <Meta />
          <Links />
        </head>
        <body className="console-body">
          {children}
          <ScrollRestoration nonce={nonce} />
          <Scripts nonce={nonce} />
        </body>
      </html>
    );
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#faf8f5" media="(prefers-color-scheme: light)" />
        <meta name="theme-color" content="#111615" media="(prefers-color-scheme: dark)" />
        <Meta />
        {/* Tells the server the browser's time zone (the mn_tz cookie) before anything else loads. */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: ZONE_SCRIPT }} />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="container header-inner">
            <Link to="/" className="brand" aria-label="Mind Namo home">
              <BrandMark />
              <span className="brand-text">Mind Namo</span>
            </Link>
            <Link to="/help-now" className="help-now-link" data-track="header-help-now">
              Get help now
            </Link>
            <nav aria-label="Main" className="nav-desktop">
              <NavItems viewer={viewer} />
            </nav>
            {/* A disclosure that needs no JavaScript: <details> opens and closes by itself. */}
            <details className="nav-menu" ref={menu}>
              <summary aria-label="Menu">
                <svg className="menu-icon" viewBox="0 0 16 16" aria-hidden="true">
                  <path d="M2 4h12M2 8h12M2 12h12" />
                </svg>
                Menu
              </summary>
              <nav aria-label="Main menu" className="nav-panel">
                <div className="container">
                  <NavItems viewer={viewer} />
                </div>
              </nav>
            </details>
          </div>
        </header>
        <main id="main" className="container" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="container footer-grid">
            <section aria-labelledby="footer-trust">
              <h2 id="footer-trust">Private by design</h2>
              <p>
                Sessions are end-to-end encrypted and never recorded. We never sell your data and run no third-party
                trackers.
              </p>
            </section>
            <section aria-labelledby="footer-help">
              <h2 id="footer-help">Help</h2>
              <ul className="footer-links">
                <li>
                  <Link to="/help-now">Crisis lines: get help now</Link>
                </li>
                <li>
                  <Link to={viewer ? "/help" : "/contact"}>{viewer ? "Ask our support team" : "Contact us"}</Link>
                </li>
                <li>
                  <Link to="/feedback" data-track="footer-feedback">
                    A short anonymous survey
                  </Link>
                </li>
              </ul>
            </section>
            <section aria-labelledby="footer-privacy">
              <h2 id="footer-privacy">Your data</h2>
              <ul className="footer-links">
                <li>
                  <Link to="/privacy">Privacy policy</Link>
                </li>
                <li>
                  <ConsentFooterLink />
                </li>
                <li>
                  <Link to="/account/communications">Email settings</Link>
                </li>
                <li>
                  <a href="mailto:privacy@mindnamo.com">privacy@mindnamo.com</a>
                </li>
              </ul>
            </section>
          </div>
        </footer>
        <ConsentBanner />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <>
      <TimeZoneSync known={data?.zoneKnown ?? true} />
      <Outlet />
      {/* Sends nothing without analytics consent (P6, P16). */}
      <UsageBeacon />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  // A crash in the browser is reported (P7), scrubbed; nothing about the person is sent.
  useEffect(() => reportBoundaryError(error), [error]);
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  // Never the router's or the server's own text: a person sees what happened and where to go.
  return (
    <section className="error-page" aria-labelledby="error-title" data-status={notFound ? 404 : "error"}>
      <p className="error-code">{notFound ? "Page not found" : "Something went wrong"}</p>
      <h1 id="error-title">{notFound ? "We can’t find that page" : "Sorry, this page didn’t load"}</h1>
      <p className="lead">
        {notFound
          ? "The link may be old or mistyped. Nothing you did is lost."
          : "The problem is on our side, and we have been told about it. Please try again in a moment."}
      </p>
      <div className="row">
        <Link className="button" to="/">
          Back to the home page
        </Link>
        <Link className="button secondary" to="/experts">
          Find an expert
        </Link>
      </div>
      <p className="hint">
        Need someone right now? <Link to="/help-now">Get help now</Link>
      </p>
    </section>
  );
}
