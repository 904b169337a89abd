import { useEffect } from "react";
import { useRevalidator } from "@remix-run/react";

/**
 * The first page of a visit is rendered before the server knows the visitor's zone, so it shows placeholders
 * instead of times. The inline script in the document head has set the `mn_tz` cookie by now: load the data
 * again once, and the times appear in the visitor's own zone (never UTC first).
 */
export function TimeZoneSync({ known }: { known: boolean }) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (known || state !== "idle") return;
    if (/(^|;\s*)mn_tz=/.test(document.cookie)) revalidate();
    // Once per page load: the cookie does not change under us.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [known]);
  return null;
}
