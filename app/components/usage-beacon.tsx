// The anonymous usage beacon (privacy promises P6, P16): our own code, no third party. Loaded (as its own small
// chunk) by UsageBeacon.tsx only once the visitor consented to analytics; it still sends NOTHING unless the visitor
// consented to analytics (localStorage "mn.consent.v1" = {"analytics": true, …}, set by
// the consent banner); consent is re-read before every send, so withdrawing it stops the beacon at once.
// What it sends to POST /metrics: page views with the previous path (navigation flows), time on page, and clicks on
// elements marked `data-track="name"`, keyed by a random id for this visit (sessionStorage, gone when the tab
// closes). No user id, no email, no cookie; the server stores no IP and strips query strings.
import { useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";

// The consent contract of app/utils/consent.ts, repeated (see UsageBeacon.tsx).
const CONSENT_EVENT = "mn:consent";
function consented(): boolean {
  try {
    return (
      (JSON.parse(localStorage.getItem("mn.consent.v1") ?? "null") as { analytics?: unknown } | null)?.analytics ===
      true
    );
  } catch {
    return false;
  }
}

type UsageEvent =
  | { kind: "view"; path: string; from: string | null }
  | { kind: "leave"; path: string; ms: number }
  | { kind: "click"; path: string; target: string };

function visitId(): string {
  let id = sessionStorage.getItem("mn.visit");
  if (!id) sessionStorage.setItem("mn.visit", (id = crypto.randomUUID()));
  return id;
}

function send(events: UsageEvent[]) {
  if (events.length === 0 || !consented()) return;
  const body = JSON.stringify({ visitId: visitId(), events });
  // A string body goes as text/plain: a "simple" request, no preflight; the server reads it as JSON.
  if (!navigator.sendBeacon?.("/metrics", body)) {
    void fetch("/metrics", {
      method: "POST",
      body,
      keepalive: true,
      credentials: "omit",
      headers: { "Content-Type": "text/plain" },
    }).catch(() => undefined);
  }
}

export function Beacon() {
  const { pathname } = useLocation();
  const page = useRef<{ path: string; since: number } | null>(null);

  // A view per page (with the page it came from); the time spent on the previous one.
  useEffect(() => {
    const prev = page.current;
    const now = Date.now();
    page.current = { path: pathname, since: now };
    if (prev?.path === pathname) return;
    send([
      ...(prev ? [{ kind: "leave" as const, path: prev.path, ms: now - prev.since }] : []),
      { kind: "view", path: pathname, from: prev?.path ?? null },
    ]);
  }, [pathname]);

  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      const el = (e.target as Element | null)?.closest?.("[data-track]");
      const name = el?.getAttribute("data-track");
      if (name && page.current) send([{ kind: "click", path: page.current.path, target: name }]);
    };
    // Leaving the tab or the site: time on the current page; counting restarts when the tab comes back.
    const onHide = () => {
      const p = page.current;
      if (document.visibilityState === "hidden" && p) {
        send([{ kind: "leave", path: p.path, ms: Date.now() - p.since }]);
        page.current = { path: p.path, since: Date.now() };
      }
    };
    const onShow = () => {
      if (document.visibilityState === "visible" && page.current) page.current.since = Date.now();
    };
    // A choice made on this page: "yes" counts this page from now; "no" forgets this visit's id at once.
    const onConsent = (e: Event) => {
      const p = page.current;
      if ((e as CustomEvent<{ analytics?: boolean }>).detail?.analytics === true) {
        if (p) {
          page.current = { path: p.path, since: Date.now() };
          send([{ kind: "view", path: p.path, from: null }]);
        }
      } else {
        try {
          sessionStorage.removeItem("mn.visit");
        } catch {
          // storage blocked: there is no id to forget
        }
      }
    };
    window.addEventListener(CONSENT_EVENT, onConsent);
    document.addEventListener("click", onClick, true);
    document.addEventListener("visibilitychange", onHide);
    document.addEventListener("visibilitychange", onShow);
    return () => {
      window.removeEventListener(CONSENT_EVENT, onConsent);
      document.removeEventListener("click", onClick, true);
      document.removeEventListener("visibilitychange", onHide);
      document.removeEventListener("visibilitychange", onShow);
    };
  }, []);
  return null;
}
