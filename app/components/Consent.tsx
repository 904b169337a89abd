// The analytics consent banner and the settings control (privacy promise P8/P16). The banner appears on the first
// visit, after the page is interactive, fixed at the bottom of the screen: it covers nothing that cannot be scrolled
// into view and shifts no content (the page gets matching bottom padding while it is open). Without JavaScript it
// never appears, and nothing is measured (the usage beacon needs JavaScript and a stored "yes").
import { Form } from "@remix-run/react";
import { Link } from "~/components/Link";
import { useEffect, useRef, useState } from "react";
import { CONSENT_OPEN_EVENT, openConsentBanner, readConsent, saveConsent, type ConsentChoice } from "~/utils/consent";
import { Button, buttonClass } from "./ui/Button";

// Runs only after hydration (the choice lives in this browser), so the browser's own zone and language are the
// viewer's. Intl directly rather than the formatting module: this component is on every page, and the module would
// add its weight to all of them for one sentence.
const browserTime = (iso: string) =>
  new Intl.DateTimeFormat(navigator.language, { dateStyle: "long", timeStyle: "short" }).format(new Date(iso));

export function ConsentBanner() {
  const [open, setOpen] = useState(false);
  const [focusOnOpen, setFocusOnOpen] = useState(false);
  const firstButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!readConsent()) setOpen(true);
    const reopen = () => {
      setFocusOnOpen(true);
      setOpen(true);
    };
    window.addEventListener(CONSENT_OPEN_EVENT, reopen);
    return () => window.removeEventListener(CONSENT_OPEN_EVENT, reopen);
  }, []);
  useEffect(() => {
    document.body.classList.toggle("has-consent-banner", open);
    if (open && focusOnOpen) firstButton.current?.focus();
  }, [open, focusOnOpen]);
  if (!open) return null;
  const choose = (analytics: boolean) => {
    saveConsent(analytics, "banner");
    setOpen(false);
  };
  return (
    <section className="consent-banner" aria-labelledby="consent-title" data-testid="consent-banner">
      <div className="container consent-inner">
        <div>
          <h2 id="consent-title" className="consent-title">
            Your privacy choice
          </h2>
          <p className="consent-text">
            May we count anonymous page visits to improve Mind Namo?
            <span className="consent-more"> No account, IP address or cookie is involved.</span>{" "}
            <Link to="/privacy#consent">Details</Link>
          </p>
        </div>
        <div className="consent-actions">
          <button ref={firstButton} type="button" className={buttonClass("secondary")} onClick={() => choose(false)}>
            Essential only
          </button>
          <Button type="button" onClick={() => choose(true)}>
            Allow anonymous analytics
          </Button>
        </div>
      </div>
    </section>
  );
}

/** The footer's link: opens the banner with JavaScript, or leads to the settings on /privacy without it. */
export function ConsentFooterLink() {
  return (
    <a
      href="/privacy#consent"
      onClick={(e) => {
        e.preventDefault();
        openConsentBanner();
      }}
    >
      Cookies and analytics choices
    </a>
  );
}

/** The settings control on /privacy and the account's email page: the current choice and a way to change it. */
export function ConsentSettings() {
  const [choice, setChoice] = useState<ConsentChoice | null | undefined>(undefined);
  useEffect(() => setChoice(readConsent()), []);
  const describe = (c: ConsentChoice | null | undefined) =>
    c === undefined
      ? "Your choice is kept in this browser."
      : c === null
        ? "You have not chosen yet in this browser: nothing is measured until you allow it."
        : `${c.analytics ? "Anonymous analytics allowed" : "Essential only"} — chosen ` +
          `${browserTime(c.at)}${c.source === "banner" ? " on the banner" : " in settings"}.`;
  return (
    <div className="stack" data-testid="consent-settings">
      <p role="status" data-testid="consent-current">
        {describe(choice)}
      </p>
      {/* Without JavaScript the form still records the choice on the server; with it, the browser keeps it too. */}
      <Form
        method="post"
        action="/consent"
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
          setChoice(saveConsent(submitter?.value === "true", "settings"));
        }}
      >
        <input type="hidden" name="source" value="settings" />
        <Button variant="secondary" type="submit" name="analytics" value="false">
          Essential only
        </Button>
        <Button type="submit" name="analytics" value="true">
          Allow anonymous analytics
        </Button>
      </Form>
    </div>
  );
}
