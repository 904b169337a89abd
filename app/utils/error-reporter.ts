// The browser's error reporter (privacy promise P7), kept tiny: crashes (window errors, unhandled rejections,
// error boundaries), failed API calls (network failures and 5xx answers to our own fetches, e.g. a fetcher's
// submission) and loading failures (scripts, styles, route chunks) are sent to POST /errors on our own origin.
// It sends what went wrong and where (the path, never the query string): no cookie is read and nothing about the
// person is added; the server scrubs every text again before storing it. At most 10 reports per page load.
type Kind = "CLIENT_CRASH" | "API_FAILURE" | "LOAD_FAILURE";

const LOAD = /dynamically imported module|importing a module script failed|failed to load module script|loading chunk/i;
let sent = 0;
let send: typeof fetch | undefined;

const pathOf = (url: string) => {
  try {
    return new URL(url, location.href).pathname;
  } catch {
    return "";
  }
};

export function reportError(
  kind: Kind,
  message: string,
  extra: { stack?: string; status?: number; location?: string } = {},
) {
  if (typeof window === "undefined" || sent >= 10) return;
  sent++;
  const body = JSON.stringify({
    kind: LOAD.test(message) ? "LOAD_FAILURE" : kind,
    message: (message || "Unknown error").slice(0, 2000),
    location: (extra.location ?? location.pathname).slice(0, 2000),
    stack: extra.stack?.slice(0, 8000),
    status: extra.status,
  });
  (send ?? fetch)("/errors", {
    method: "POST",
    body,
    keepalive: true,
    headers: { "Content-Type": "application/json" },
  }).catch(() => undefined);
}

export function installErrorReporter() {
  addEventListener(
    "error",
    (event) => {
      const target = event.target as (HTMLScriptElement & HTMLLinkElement) | null;
      if (target && target !== (window as unknown) && (target.tagName === "SCRIPT" || target.tagName === "LINK")) {
        reportError("LOAD_FAILURE", `Could not load a ${target.tagName.toLowerCase()}`, {
          location: pathOf(target.src || target.href),
        });
      } else {
        reportError("CLIENT_CRASH", event.message, { stack: (event.error as Error | undefined)?.stack });
      }
    },
    true,
  );
  addEventListener("unhandledrejection", (event) => {
    const reason = event.reason as Error | undefined;
    reportError("CLIENT_CRASH", reason?.message ?? String(reason), { stack: reason?.stack });
  });
  const original = window.fetch.bind(window);
  send = original;
  window.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const where = pathOf(url);
    try {
      const response = await original(input, init);
      if (response.status >= 500)
        reportError("API_FAILURE", `${method} ${where} answered ${response.status}`, {
          status: response.status,
          location: where,
        });
      return response;
    } catch (error) {
      if ((error as Error)?.name !== "AbortError")
        reportError("API_FAILURE", `${method} ${where} failed: ${(error as Error)?.message}`, { location: where });
      throw error;
    }
  };
}

/**
 * For error boundaries: reports a crash caught while rendering in the browser. Errors the server already recorded
 * (route error responses, and "Unexpected Server Error", which is how a server failure reaches the browser) are
 * not reported twice.
 */
export function reportBoundaryError(error: unknown) {
  if (!(error instanceof Error) || error.message === "Unexpected Server Error") return;
  reportError("CLIENT_CRASH", `${error.name}: ${error.message}`, { stack: error.stack });
}
