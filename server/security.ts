// HTTP edge hardening: security headers (helmet, CSP with a per-request nonce and no third-party origins),
// Permissions-Policy, and the cross-origin check every non-GET request must pass.
import crypto from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import helmet from "helmet";

// 128-bit nonces from the CSPRNG, drawn in batches of 256 (one randomBytes call per 256 responses instead of one
// per response); each nonce is used once.
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;
export function newNonce(): string {
  if (nonceOffset + 16 > noncePool.length) {
    noncePool = crypto.randomBytes(16 * 256);
    nonceOffset = 0;
  }
  const nonce = noncePool.toString("base64", nonceOffset, nonceOffset + 16);
  nonceOffset += 16;
  return nonce;
}

export function cspNonce(): RequestHandler {
  return (_req, res, next) => {
    res.locals.cspNonce = newNonce();
    next();
  };
}

/**
 * The origins the live room's media client must reach: the configured LiveKit server, over WebSocket and HTTPS
 * (livekit-client validates the connection over HTTP). None without LiveKit settings. Media frames are end-to-end
 * encrypted; this is the media relay we chose (records of processing), not a tracker.
 */
export function liveKitOrigins(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    const secure = u.protocol === "wss:" || u.protocol === "https:";
    return [`${secure ? "wss" : "ws"}://${u.host}`, `${secure ? "https" : "http"}://${u.host}`];
  } catch {
    return [];
  }
}

/** Where browsers send CSP violation reports: our own origin only (server/csp-reports.ts). */
export const CSP_REPORT_PATH = "/csp-reports";

export function securityHeaders(opts: {
  isProduction: boolean;
  mediaOrigins?: string[];
  appUrl: string;
}): RequestHandler[] {
  const reportEndpoint = new URL(CSP_REPORT_PATH, opts.appUrl).href;
  const nonce = (_req: unknown, res: unknown) => `'nonce-${(res as Response).locals.cspNonce as string}'`;
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", nonce],
          "style-src": ["'self'"],
          "img-src": ["'self'", "data:", "blob:"],
          "font-src": ["'self'"],
          "connect-src": ["'self'", ...(opts.mediaOrigins ?? [])],
          "media-src": ["'self'", "blob:"],
          "worker-src": ["'self'", "blob:"],
          "object-src": ["'none'"],
          "base-uri": ["'none'"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "frame-src": ["'none'"],
          // Both: report-to (Reporting API, with the Reporting-Endpoints header below) and report-uri for the
          // browsers that only know the older directive.
          "report-uri": [CSP_REPORT_PATH],
          "report-to": ["csp"],
          ...(opts.isProduction ? { "upgrade-insecure-requests": [] } : {}),
        },
      },
      // HSTS only where TLS is in front of us; in development it would pin localhost to https.
      strictTransportSecurity: opts.isProduction
        ? { maxAge: 63072000, includeSubDomains: true, preload: false }
        : false,
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: { policy: "same-origin" },
      crossOriginResourcePolicy: { policy: "same-origin" },
      xFrameOptions: { action: "deny" },
    }),
    (_req, res, next) => {
      res.setHeader("Reporting-Endpoints", `csp="${reportEndpoint}"`);
      res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
      next();
    },
  ];
}

/**
 * Only features Chromium recognizes: an unknown name (e.g. `bluetooth`, `interest-cohort`) makes the browser log a
 * console error on every page, which hides real errors. Camera and microphone are for the live room only.
 */
export const PERMISSIONS_POLICY =
  "camera=(self), microphone=(self), display-capture=(), geolocation=(), payment=(), usb=(), serial=(), browsing-topics=()";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses cross-site non-GET requests. Browsers send Sec-Fetch-Site and Origin on every such request; a request
 * that is "same-origin" (or whose Origin is our own) passes. Requests with neither header do not come from a
 * browser page (webhooks, curl) and cannot carry a victim's cookies, so they pass to the route's own checks.
 * In production "our own" is APP_URL's origin only: the request's Host header is the client's to choose. In
 * development the request's own host is accepted too (tests and local tools reach us under other names).
 */
export function originCheck(opts: { appUrl: string; isProduction: boolean }): RequestHandler {
  const appOrigin = new URL(opts.appUrl).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = req.get("sec-fetch-site");
    const origin = req.get("origin");
    let allowed = true;
    if (site !== undefined && site !== "same-origin" && site !== "none") allowed = false;
    if (origin !== undefined) {
      const host = req.get("host");
      const ownOrigins = new Set(opts.isProduction ? [appOrigin] : [appOrigin, `${req.protocol}://${host}`]);
      if (origin === "null" || !ownOrigins.has(origin)) allowed = false;
    }
    if (!allowed) {
      res.status(403).type("text/plain").send("Cross-origin request refused.");
      return;
    }
    // This check is the authority on where a write may come from. Remix repeats a narrower one (Origin against
    // X-Forwarded-Host or Host) and answers a mismatch with an empty 500, which is what a person behind a proxy
    // that rewrites Host would get for every form. Once the origin is proven to be ours, say so in its terms.
    if (origin === appOrigin) req.headers["x-forwarded-host"] = new URL(appOrigin).host;
    next();
  };
}

/**
 * /.well-known/security.txt (RFC 9116): where to report a vulnerability. Expires is required and must be less
 * than a year away; it is computed at start (180 days), so a running deployment never serves an expired file.
 */
export function securityTxt(opts: { appUrl: string; contact: string; now?: Date }): RequestHandler {
  const expires = new Date((opts.now ?? new Date()).getTime() + 180 * 24 * 60 * 60_000);
  const body = [
    `Contact: ${opts.contact}`,
    `Expires: ${expires.toISOString().replace(/\.\d{3}Z$/, "Z")}`,
    `Preferred-Languages: en`,
    `Canonical: ${new URL("/.well-known/security.txt", opts.appUrl).href}`,
    `Policy: ${new URL("/privacy", opts.appUrl).href}`,
    "",
  ].join("\n");
  return (_req, res) => {
    res.set("Cache-Control", "public, max-age=86400").type("text/plain; charset=utf-8").send(body);
  };
}
