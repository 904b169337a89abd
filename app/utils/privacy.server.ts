// The privacy center's edge: deps for core/privacy, and the fresh re-authentication guard that sends the person
// back to the privacy page (not to a POST-only URL) after confirming it's them.
import { redirect, type AppLoadContext } from "@remix-run/node";
import { isFreshlyAuthenticated, type IntakeDeps, type PrivacyDeps, type ValidSession, deps } from "~/core.server";
import { requireSession } from "~/utils/session.server";

export function privacyDeps(context: AppLoadContext): PrivacyDeps {
  return deps(context);
}

/** For privacy requests made outside the privacy center: the identity code's key and the mail limits. */
export function intakeDeps(context: AppLoadContext): IntakeDeps {
  const d = deps(context);
  return { ...d, codeKey: d.pepper };
}

/** Signed in, and a password or code given in the last 10 minutes; otherwise to /reauth, then back to `next`. */
export async function requireFreshFor(request: Request, context: AppLoadContext, next: string): Promise<ValidSession> {
  const session = await requireSession(request, context);
  if (!isFreshlyAuthenticated(session)) throw redirect(`/reauth?next=${encodeURIComponent(next)}`);
  return session;
}

/** The wait before the next data export, in whole hours as the privacy center says it (1 to 24). */
export const exportWaitHours = (seconds: number) => Math.min(24, Math.max(1, Math.ceil(seconds / 3600)));

export const isoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);
