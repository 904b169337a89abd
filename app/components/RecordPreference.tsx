import { useRouteLoaderData } from "@remix-run/react";
import { useEffect } from "react";

/**
 * Tells the server a signed-in person looked at a topic or an expert (wellness preferences, P2). A plain request,
 * not a Remix fetcher: after a fetcher's post Remix runs every loader on screen again, and this post changes
 * nothing any page shows (it made each signed-in profile view cost two loads of the page). Best effort: a failed
 * request records nothing and says nothing.
 */
export function RecordPreference({ kind, slug }: { kind: "category" | "expert"; slug: string | undefined }) {
  const root = useRouteLoaderData<{ viewer: unknown }>("root");
  const signedIn = Boolean(root?.viewer);
  useEffect(() => {
    if (!signedIn || !slug) return;
    fetch("/preferences", { method: "POST", body: new URLSearchParams({ kind, slug }) }).catch(() => undefined);
  }, [signedIn, kind, slug]);
  return null;
}
