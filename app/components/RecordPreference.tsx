import { useFetcher, useRouteLoaderData } from "@remix-run/react";
import { useEffect } from "react";

/** Tells the server a signed-in person looked at a topic or an expert (wellness preferences, P2). */
export function RecordPreference({ kind, slug }: { kind: "category" | "expert"; slug: string | undefined }) {
  const fetcher = useFetcher();
  const root = useRouteLoaderData<{ viewer: unknown }>("root");
  const signedIn = Boolean(root?.viewer);
  const { submit } = fetcher;
  useEffect(() => {
    if (!signedIn || !slug) return;
    submit({ kind, slug }, { method: "post", action: "/preferences" });
  }, [signedIn, kind, slug, submit]);
  return null;
}
