import { useEffect } from "react";
import { useLocation, useNavigate } from "@remix-run/react";

/**
 * Shows times in the visitor's own zone: when the page was rendered without ?tz=, the browser's zone is added to
 * the URL once (replace, no extra history entry). Without JavaScript the account's zone (or UTC) is shown, named.
 */
export function TimeZoneSync({ current, fromBrowser }: { current: string; fromBrowser: boolean }) {
  const location = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    if (fromBrowser) return;
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!browser || browser === current) return;
    const params = new URLSearchParams(location.search);
    params.set("tz", browser);
    navigate(`${location.pathname}?${params}`, { replace: true, preventScrollReset: true });
  }, [current, fromBrowser, location.pathname, location.search, navigate]);
  return null;
}
