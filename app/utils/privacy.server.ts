// The privacy center's edge: deps for core/privacy, and the fresh re-authentication guard that sends the person
// back to the privacy page (not to a POST-only URL) after confirming it's them.
import { redirect, type AppLoadContext } from "@remix-run/node";
import { isFreshlyAuthenticated, type PrivacyDeps, type ValidSession, deps } from "~/core.server";
import { requireSession } from "~/utils/session.server";

export function privacyDeps(context: AppLoadContext): PrivacyDeps {
  return deps(context);
}

/** Signed in, and a password or code given in the last 10 minutes; otherwise to /reauth, then back to `next`. */
export async function requireFreshFor(request: Request, context: AppLoadContext, next: string): Promise<ValidSession> {
  const session = await requireSession(request, context);
  if (!isFreshlyAuthenticated(session)) throw redirect(`/reauth?next=${encodeURIComponent(next)}`);
  return session;
}

export const isoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);
