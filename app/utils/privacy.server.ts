// The privacy center's edge: deps for core/privacy, and the fresh re-authentication guard that sends the person
// back to the privacy page (not to a POST-only URL) after confirming it's them.
import { redirect, type AppLoadContext } from "@remix-run/node";
import { isFreshlyAuthenticated, type IntakeDeps, type PrivacyDeps, type ValidSession } from "~/core.server";
import { requireSession } from "~/utils/session.server";

export function privacyDeps(context: AppLoadContext): PrivacyDeps {
  const s = context.services;
  return { db: s.db.prisma, mail: s.mailQueue, limiter: s.rateLimiter, appUrl: s.config.appUrl, jobs: s.jobs };
}

/** For privacy requests made outside the privacy center: the identity code's key and the mail limits. */
export function intakeDeps(context: AppLoadContext): IntakeDeps {
  const s = context.services;
  return { ...privacyDeps(context), limiter: s.rateLimiter, codeKey: s.secrets.codePepper };
}

/** Signed in, and a password or code given in the last 10 minutes; otherwise to /reauth, then back to `next`. */
export async function requireFreshFor(request: Request, context: AppLoadContext, next: string): Promise<ValidSession> {
  const session = await requireSession(request, context);
  if (!isFreshlyAuthenticated(session)) throw redirect(`/reauth?next=${encodeURIComponent(next)}`);
  return session;
}

export const isoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);
