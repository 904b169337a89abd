// The visitor's analytics choice, kept in this browser's localStorage (no cookie: privacy promise P8) under
// `mn.consent.v1` as {"analytics": boolean, "at": ISO string, "source": "banner" | "settings"}. The usage beacon
// reads exactly this key: keep the contract. Every choice is also posted to /consent, which records it with its
// time and source (and the user id only when signed in). Browser-only code; safe to import from any component.
export const CONSENT_KEY = "mn.consent.v1";
export const CONSENT_EVENT = "mn:consent";
export const CONSENT_OPEN_EVENT = "mn:consent-open";

export interface ConsentChoice {
  analytics: boolean;
  at: string;
  source: "banner" | "settings";
}

export function readConsent(): ConsentChoice | null {
  try {
    const raw = window.localStorage.getItem(CONSENT_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<ConsentChoice>;
    if (
      typeof value.analytics !== "boolean" ||
      typeof value.at !== "string" ||
      (value.source !== "banner" && value.source !== "settings")
    )
      return null;
    return { analytics: value.analytics, at: value.at, source: value.source };
  } catch {
    return null; // storage blocked or a damaged value: ask again
  }
}

/** Keeps the choice in this browser, tells the page (the beacon listens), and records it on the server. */
export function saveConsent(analytics: boolean, source: ConsentChoice["source"]): ConsentChoice {
  const choice: ConsentChoice = { analytics, at: new Date().toISOString(), source };
  try {
    window.localStorage.setItem(CONSENT_KEY, JSON.stringify(choice));
  } catch {
    // Storage blocked: the choice holds for this page only; analytics stay off on the next one.
  }
  window.dispatchEvent(new CustomEvent(CONSENT_EVENT, { detail: choice }));
  void fetch("/consent", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ analytics, source }),
    credentials: "same-origin",
    keepalive: true,
  }).catch(() => undefined);
  return choice;
}

/** Opens the banner again (the footer's "Cookies and analytics" link). */
export function openConsentBanner() {
  window.dispatchEvent(new Event(CONSENT_OPEN_EVENT));
}
