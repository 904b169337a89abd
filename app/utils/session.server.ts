// The session cookie and the guards every loader and action calls itself (a parent route's check protects
// nothing: loaders run in parallel). Cookie: HttpOnly, SameSite=Lax, Path=/; in production `__Host-` + Secure.
import { redirect, type AppLoadContext } from "@remix-run/node";
import {
  describeDevice,
  isFreshlyAuthenticated,
  isStaff,
  validateSessionToken,
  type AccountDeps,
  type Requester,
  type ValidSession,
} from "~/core.server";

export const cookieName = (context: AppLoadContext) =>
  context.services.config.isProduction ? "__Host-mn_session" : "mn_session";

function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header || header.length > 8192) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export function sessionCookie(context: AppLoadContext, token: string, expiresAt: Date): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  const secure = context.services.config.isProduction ? "; Secure" : "";
  return `${cookieName(context)}=${token}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Lax${secure}`;
}

export function clearSessionCookie(context: AppLoadContext): string {
  const secure = context.services.config.isProduction ? "; Secure" : "";
  return `${cookieName(context)}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax${secure}`;
}

/**
 * One lookup per page: the root loader and the route's loaders (which run in parallel, each with its own copy of
 * the request) share the session found for this HTTP request. Only loaders share it: an action always looks the
 * session up itself and drops the shared one, so the loaders that run after it see what it changed.
 */
const lookups = new WeakMap<AppLoadContext, Promise<ValidSession | null>>();

export async function getSession(request: Request, context: AppLoadContext): Promise<ValidSession | null> {
  const token = readCookie(request, cookieName(context));
  if (!token) return null;
  if (request.method !== "GET" && request.method !== "HEAD") {
    lookups.delete(context);
    return validateSessionToken(context.services.db.prisma, token);
  }
  let lookup = lookups.get(context);
  if (!lookup) {
    lookup = validateSessionToken(context.services.db.prisma, token);
    lookups.set(context, lookup);
  }
  return lookup;
}

/** Only a path on our own site: never an open redirect. */
/** Where a person lands after signing in without a `next`: staff in their console, everyone else on their account. */
export function homeFor(role: ValidSession["user"]["role"]): string {
  return isStaff(role) ? "/admin" : "/account";
}

export function safeNext(value: FormDataEntryValue | string | null | undefined, fallback = "/account"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\"))
    return fallback;
  // Browsers drop tabs and newlines from URLs: "/\t/evil.example" would become "//evil.example", another site.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point of this check
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  return value.slice(0, 512);
}

export async function requireSession(request: Request, context: AppLoadContext): Promise<ValidSession> {
  const session = await getSession(request, context);
  if (!session) {
    const url = new URL(request.url);
    throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return session;
}

/** For sensitive changes: signed in, and a password or code given in the last 10 minutes. */
export async function requireFreshSession(request: Request, context: AppLoadContext): Promise<ValidSession> {
  const session = await requireSession(request, context);
  if (!isFreshlyAuthenticated(session)) {
    const url = new URL(request.url);
    throw redirect(`/reauth?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return session;
}

export function accountDeps(context: AppLoadContext): AccountDeps {
  const s = context.services;
  return {
    db: s.db.prisma,
    mail: s.mailQueue,
    limiter: s.rateLimiter,
    pepper: s.secrets.codePepper,
    appUrl: s.config.appUrl,
  };
}

export function requester(request: Request, context: AppLoadContext): Requester {
  return { ip: context.clientIp, device: describeDevice(request.headers.get("user-agent"), context.clientIp) };
}
