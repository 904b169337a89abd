import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import stylesheet from "./styles/app.css";
import { ConsentBanner, ConsentFooterLink } from "./components/Consent";
import { reportBoundaryError } from "./utils/error-reporter";
import { UsageBeacon } from "./components/UsageBeacon";
import { useNonce } from "./utils/nonce";
import { getSession } from "./utils/session.server";
import { TimeZoneSync } from "./components/TimeZoneSync";
import { cookieZone } from "./utils/viewer.server";
import { ZONE_SCRIPT } from "./utils/zone-script";

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Only what the header needs: whether someone is signed in, their first name, and whether they are an expert.
  const session = await getSession(request, context);
  return {
    viewer: session
      ? { name: session.user.name.split(" ")[0] ?? session.user.name, isExpert: session.user.role === "EXPERT" }
      : null,
    // Whether pages can write times yet: false on the first page of a visit, before the zone script has run.
    zoneKnown: cookieZone(request) !== null,
  };
}

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Mind Namo — talk to someone who understands" },
  { name: "description", content: "Private, end-to-end encrypted 1:1 sessions with wellness experts." },
];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const viewer = data?.viewer ?? null;
  // Marks the page interactive, error pages included (browser tests wait for it before clicking).
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
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
              Mind Namo
            </Link>
            <nav aria-label="Main">
              <ul className="nav-list">
                <li>
                  <NavLink to="/experts">Experts</NavLink>
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
                      <NavLink to="/account">Account ({viewer.name})</NavLink>
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
            </nav>
          </div>
        </header>
        <main id="main" className="container" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p>
              Mind Namo never sells your data and runs no third-party trackers.{" "}
              <Link to="/privacy">Read our privacy policy</Link>.
            </p>
            <p>
              <Link to="/feedback" data-track="footer-feedback">
                Help us improve: a short anonymous survey
              </Link>
            </p>
            <p>
              Need help?{" "}
              <Link to={viewer ? "/help" : "/contact"}>{viewer ? "Ask our support team" : "Contact us"}</Link>.
              Questions about your data: privacy@mindnamo.com.
            </p>
            <p>
              <ConsentFooterLink /> · <Link to="/account/communications">Email settings</Link>
            </p>
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
  if (isRouteErrorResponse(error)) {
    return (
      <section className="error-page" aria-labelledby="error-title">
        <h1 id="error-title">{error.status === 404 ? "Page not found" : `${error.status} ${error.statusText}`}</h1>
        <p>{typeof error.data === "string" && error.data ? error.data : "We could not show this page."}</p>
        <p>
          <Link to="/">Back to the home page</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">Something went wrong</h1>
      <p>Sorry — an unexpected error happened on our side. Please try again in a moment.</p>
      <p>
        <Link to="/">Back to the home page</Link>
      </p>
    </section>
  );
}
