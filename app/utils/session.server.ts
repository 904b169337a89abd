// The session cookie and the guards every loader and action calls itself (a parent route's check protects
// nothing: loaders run in parallel). Cookie: HttpOnly, SameSite=Lax, Path=/; in production `__Host-` + Secure.
import { redirect, type AppLoadContext } from "@remix-run/node";
import {
  deps,
  describeDevice,
  ownerDeviceToken,
  readOwnerDevice,
  randomToken,
  isFreshlyAuthenticated,
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

const cookieFlags = (context: AppLoadContext, maxAgeSeconds: number) =>
  `Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; SameSite=Lax${context.services.config.isProduction ? "; Secure" : ""}`;
const prefixed = (context: AppLoadContext, name: string) =>
  context.services.config.isProduction ? `__Host-${name}` : name;

/**
 * The sign-up's browser binding: a random secret in this browser only (its hash is stored with the code). Only a
 * confirmation from this browser keeps the password and name given at sign-up (pre-hijacking, docs/security.md).
 */
export function newSignupBinding(context: AppLoadContext): { secret: string; cookie: string } {
  const secret = randomToken(32);
  return { secret, cookie: `${prefixed(context, "mn_signup")}=${secret}; ${cookieFlags(context, 60 * 60)}` };
}

export function readSignupBinding(request: Request, context: AppLoadContext): string | undefined {
  return readCookie(request, prefixed(context, "mn_signup")) ?? undefined;
}

/** Set on every sign-in: this browser is the owner's own (the owner's door, core/identity/owner-device.ts). */
export function ownerDeviceCookie(context: AppLoadContext, userId: string): string {
  const token = ownerDeviceToken(context.services.secrets.codePepper, userId);
  return `${prefixed(context, "mn_device")}=${token}; ${cookieFlags(context, 365 * 24 * 60 * 60)}`;
}

/** The cookies a successful sign-in sets: the session and the owner-device mark. */
export function signedInHeaders(
  context: AppLoadContext,
  session: { token: string; absoluteExpiresAt: Date; user: { id: string } },
): Headers {
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookie(context, session.token, session.absoluteExpiresAt));
  headers.append("Set-Cookie", ownerDeviceCookie(context, session.user.id));
  return headers;
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
    return validateSessionToken(deps(context).db, token);
  }
  let lookup = lookups.get(context);
  if (!lookup) {
    lookup = validateSessionToken(deps(context).db, token);
    lookups.set(context, lookup);
  }
  return lookup;
}

/**
 * Only a path on our own site: never an open redirect, never a 500. The value is resolved the way a browser
 * resolves a Location header (`new URL(next, base)`), so dot segments and percent-encoding cannot hide another
 * host; the result must keep our origin and is returned serialised (non-ASCII percent-encoded: a Location header
 * must be Latin-1). Backslashes (browsers read them as "/") and control characters are refused outright.
 */
export function safeNext(
  value: FormDataEntryValue | string | null | undefined,
  fallback = "/account",
  base = "http://localhost",
): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 512) return fallback;
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point of this check
  if (!value.startsWith("/") || /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) return fallback;
  let url: URL;
  let origin: string;
  try {
    origin = new URL(base).origin;
    url = new URL(value, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  const path = url.pathname + url.search + url.hash;
  // After normalisation "/.//x" is "//x": a scheme-relative URL to another host.
  if (!path.startsWith("/") || path.startsWith("//") || path.includes("\\")) return fallback;
  return path;
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
  return { ...deps(context), answered: context.answered };
}

export function requester(request: Request, context: AppLoadContext): Requester {
  const mark = readOwnerDevice(
    context.services.secrets.codePepper,
    readCookie(request, prefixed(context, "mn_device")),
  );
  return {
    ip: context.clientIp,
    device: describeDevice(request.headers.get("user-agent"), context.clientIp),
    ownerDeviceUserId: mark?.userId ?? null,
    ownerDeviceIssuedAt: mark?.issuedAt ?? null,
  };
}
