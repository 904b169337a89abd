// The expert workspace's frame: its navigation and the page shown when a loader refuses (403 for accounts that
// are not experts). It has no loader: each page's loader and action check the session and role themselves.
import { isRouteErrorResponse, Outlet, useRouteError } from "@remix-run/react";
import { Link } from "~/components/Link";
import { useEffect } from "react";
import { WorkspaceNav } from "~/components/workspace";
import { reportBoundaryError } from "~/utils/error-reporter";

export default function ExpertWorkspace() {
  return (
    <div className="workspace">
      <WorkspaceNav />
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  // A crash in the browser is reported (P7), scrubbed; nothing about the person is sent.
  useEffect(() => reportBoundaryError(error), [error]);
  if (isRouteErrorResponse(error) && error.status === 403) {
    return (
      <section className="error-page" aria-labelledby="error-title">
        <h1 id="error-title">This area is for experts</h1>
        <p>
          {typeof error.data === "string" && error.data ? error.data : "Your account cannot open the expert workspace."}
        </p>
        <p>
          <Link to="/account">Go to your account</Link> · <Link to="/">Back to the home page</Link>
        </p>
      </section>
    );
  }
  if (isRouteErrorResponse(error)) {
    return (
      <section className="error-page" aria-labelledby="error-title">
        <h1 id="error-title">{error.status === 404 ? "Page not found" : "We could not show this page"}</h1>
        <p>{typeof error.data === "string" && error.data ? error.data : "Please try again in a moment."}</p>
        <p>
          <Link to="/expert">Back to your sessions</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">Something went wrong</h1>
      <p>Sorry — an unexpected error happened on our side. Please try again in a moment.</p>
      <p>
        <Link to="/expert">Back to your sessions</Link>
      </p>
    </section>
  );
}
