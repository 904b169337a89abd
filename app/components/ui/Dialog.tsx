import { Link } from "~/components/Link";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";

/**
 * A modal dialog on the native <dialog> element: the browser traps focus, closes on Escape and returns focus to
 * the opener. Server-rendered open, it is an ordinary panel in the page (it works before and without JavaScript);
 * once the page is live it becomes modal. `closeTo` is where "close" leads without JavaScript (the page without
 * the dialog's address part); the first focus goes to that safe way out, never to a destructive button.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  closeLabel = "Close",
  closeTo,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  closeLabel?: string;
  closeTo?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [live, setLive] = useState(false);
  // Closing because `open` turned false is not the person closing it: only report closes they made (Escape).
  const wanted = useRef(open);
  wanted.current = open;
  useEffect(() => setLive(true), []);
  useEffect(() => {
    const d = ref.current;
    if (!d || !live) return;
    if (open && !d.open) {
      d.showModal();
      d.querySelector<HTMLElement>("[data-dialog-close]")?.focus();
    }
    if (!open && d.open) d.close();
  }, [open, live]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      open={open && !live ? true : undefined}
      onClose={() => {
        if (wanted.current) onClose();
      }}
    >
      {/* Closed, it holds nothing: its words are not part of the page until it asks its question. */}
      {open ? (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
          {closeTo ? (
            <p className="dialog-close">
              <Link to={closeTo} replace preventScrollReset data-dialog-close>
                {closeLabel}
              </Link>
            </p>
          ) : (
            <form method="dialog" className="row">
              <button type="submit" className="button secondary" data-dialog-close>
                {closeLabel}
              </button>
            </form>
          )}
        </>
      ) : null}
    </dialog>
  );
}
