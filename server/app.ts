// The express application: edges first (logging, headers, origin check, rate limit), then health, static
// assets, and the Remix handler. Built by a function so tests can start it against any database.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import expressStaticGzip from "express-static-gzip";
import express, { type Express, type Request, type Response } from "express";
import Negotiator from "negotiator";
import { isDomainError } from "../core/errors/index.ts";
import type { Services } from "../core/platform/services.ts";
import { requestLogger, startRequestLog } from "./logging.ts";
import { metricsEndpoint } from "./metrics.ts";
import { errorReportEndpoint } from "./error-reports.ts";
import { recordServerError } from "../core/observability/errors.ts";
import { pageCache } from "./page-cache.ts";
import { bodyLimit } from "./body-limit.ts";
import { cspReportEndpoint } from "./csp-reports.ts";
import { cspNonce, liveKitOrigins, originCheck, securityHeaders, securityTxt } from "./security.ts";
import { isKnownTimeZone, localeFrom } from "../core/time/format.ts";

export interface HttpAppOptions {
  services: Services;
  build: ServerBuild | (() => Promise<ServerBuild>);
  publicDir?: string;
}

/**
 * Pages rendered per request are compressed per request, so the level is a CPU budget: brotli at quality 11 took
 * 43 ms for a 7 KB signed-in page here (q4: 0.7 ms, gzip 6: 0.3 ms; docs/performance.md). Quality 4 is what
 * `compression` 1.8.2 happens to default to; it is stated here so no upgrade or default change can raise it.
 */
export const dynamicCompression = {
  brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  level: zlib.constants.Z_DEFAULT_COMPRESSION,
} as const;
// Public pages write times in the visitor's zone (the mn_tz cookie) and locale: both are part of the cache key.
// Only real zone names and supported locales become variants, so a forged header cannot grow the cache.
function zoneVariant(headers: IncomingHttpHeaders): string {
  const cookie = headers.cookie ?? "";
  const m = cookie.length <= 8192 ? /(?:^|;\s*)mn_tz=([^;]{1,80})/.exec(cookie) : null;
  let tz = "";
  try {
    tz = m?.[1] ? decodeURIComponent(m[1]) : "";
  } catch {
    tz = "";
  }
  const al = headers["accept-language"];
  return `${isKnownTimeZone(tz) ? tz : ""}|${localeFrom(typeof al === "string" ? al : null)}`;
}

/**
 * The encoding a document rendered for this request is compressed with in one piece (app/entry.server.tsx): the
 * same choice the compression middleware would make (brotli preferred, then gzip). None for a page the page cache
 * is storing: it keeps the page uncompressed and compresses it once itself.
 */
function documentEncoding(req: Request, res: Response): "br" | "gzip" | undefined {
  if (req.method === "HEAD" || res.locals.pageCacheCapture === true) return undefined;
  const accepted = req.headers["accept-encoding"];
  if (!accepted) return undefined;
  // negotiator 0.6.4 takes the server's preference as a second argument (compression calls it so); its published
  // types only know the first.
  const negotiator = new Negotiator(req) as unknown as { encoding(available: string[], preferred: string[]): unknown };
  const chosen = negotiator.encoding(["br", "gzip", "identity"], ["br", "gzip"]);
  return chosen === "br" || chosen === "gzip" ? chosen : undefined;
}

/** Resolves when the response has been handed to the network, or the connection ended before that. */
function responseSent(res: Response): Promise<void> {
  if (res.writableFinished || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    res.once("finish", () => resolve());
    res.once("close", () => resolve());
  });
}

/** Answers a request before express when it can (a page-cache hit); false: hand it to express. */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

export function createHttpApp({
  services,
  build,
  publicDir = path.resolve("public"),
}: HttpAppOptions): Express & { fastPath: FastPath; clearPageCache(): void } {
  const { config, db, rateLimiter, logger } = services;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY);

  // Public pages for visitors without a session: rendered once per URL every 15 s at most. A hit is answered
  // right after logging, replaying the stored page's security headers (server/page-cache.ts).
  const cache = pageCache({
    ttlMs: 15_000,
    maxEntries: 500,
    sessionCookies: ["mn_session", "__Host-mn_session"],
    paths: /^\/(experts(\/[a-z0-9-]+)?|privacy)?$/,
    variant: zoneVariant,
  });

  // Every instance drops its cached public pages when the database says a row they are made of changed, whoever
  // changed it (triggers, core/catalog/public-pages.ts; boot.ts listens). The notification comes a moment after the
  // commit, so routes and procedures that change public content also clear this instance's copy at once: the
  // person who made the change sees it on their next page.
  services.publicPages = { invalidate: () => cache.clear() };

  // The fast path (boot.ts puts it in front of express): a hit the cache would answer anyway is answered here,
  // with the same request log and the same stored headers, without express's own per-request work (ADR 0011).
  const fastPath: FastPath = (req, res) => {
    if (req.method !== "GET" || cache.size === 0) return false;
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    if (!cache.wouldServe("GET", pathname, url, req.headers)) return false;
    // `serve` writes the request id with the page's other headers, in one list (server/page-cache.ts).
    const requestId = startRequestLog(logger, req, res, { setHeader: false });
    // The three things `serve` reads that express would have added (serve is synchronous and ends the response).
    const shimReq = Object.assign(req, { path: pathname, originalUrl: url }) as unknown as Request;
    const shimRes = Object.assign(res, { locals: { requestId } }) as unknown as Response;
    cache.serve(shimReq, shimRes, () => {
      throw new Error("page cache: wouldServe and serve disagree");
    });
    return true;
  };

  app.use(requestLogger(logger));
  app.use(cache.serve);
  app.use(cspNonce());
  app.use(
    securityHeaders({
      isProduction: config.isProduction,
      mediaOrigins: liveKitOrigins(config.LIVEKIT_URL),
      appUrl: config.appUrl,
    }),
  );
  app.use(compression(dynamicCompression));

  app.get("/healthz", async (_req, res) => {
    try {
      await db.ping(2_000);
      res.set("Cache-Control", "no-store").json({ status: "ok", database: "ok" });
    } catch {
      res.status(503).set("Cache-Control", "no-store").json({ status: "error", database: "unavailable" });
    }
  });

  app.get("/.well-known/security.txt", securityTxt({ appUrl: config.appUrl, contact: "mailto:security@mindnamo.com" }));

  // Built assets have content hashes in their names: cache them for a year. The production build writes a brotli
  // and a gzip copy beside each (scripts/build.mjs), sent as they are; without them (`npm run dev`) the compression
  // middleware compresses per request.
  app.use(
    "/build",
    expressStaticGzip(path.join(publicDir, "build"), {
      enableBrotli: true,
      orderPreference: ["br", "gzip"],
      index: false,
      serveStatic: { immutable: true, maxAge: "1y", index: false },
    }),
  );
  // Other public files (favicon, robots.txt…): only paths whose first segment exists in public/ reach the static
  // handler, so a page request costs no file-system lookup.
  const publicEntries = new Set(
    fs.existsSync(publicDir) ? fs.readdirSync(publicDir).filter((name) => name !== "build") : [],
  );
  const staticFiles = express.static(publicDir, { maxAge: "1h", index: false });
  app.use((req, res, next) => {
    const first = req.path.split("/")[1] ?? "";
    if (publicEntries.has(first)) {
      staticFiles(req, res, next);
      return;
    }
    next();
  });

  app.use(originCheck({ appUrl: config.appUrl, isProduction: config.isProduction }));
  // Body limits before any handler reads a body (server/body-limit.ts).
  app.use(bodyLimit());

  // The anonymous usage beacon: before the generic per-IP limit (which would store the raw IP) and the page cache.
  app.use(metricsEndpoint(services));
  // Browser error reports (P7): same reasons (no raw IP anywhere, not even in a rate-limit counter).
  app.use(errorReportEndpoint(services));
  // CSP violation reports: same shape and reasons.
  app.use(cspReportEndpoint(services));

  app.use(cache.capture);

  // Everything rendered per request (signed-in pages, forms, data requests) is kept out of every cache unless the
  // route says otherwise (e.g. photos); cached public pages say `no-cache` with an ETag (above).
  app.use((_req, res, next) => {
    // Called below with the response as `this`, exactly as express would.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const writeHead = res.writeHead;
    res.writeHead = function (this: express.Response, ...args: Parameters<typeof writeHead>) {
      if (!res.hasHeader("cache-control")) res.setHeader("Cache-Control", "private, no-store");
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  });

  // A coarse per-IP ceiling on every state-changing request; routes add finer per-account limits.
  app.use(async (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    try {
      await rateLimiter.consume("http:ip", req.ip ?? "unknown");
      next();
    } catch (error) {
      if (isDomainError(error) && error.code === "RATE_LIMITED") {
        res
          .status(429)
          .set("Retry-After", String(error.details?.retryAfterSeconds ?? 60))
          .type("text/plain")
          .send(error.message);
        return;
      }
      next(error);
    }
  });

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: config.isProduction ? "production" : "development",
      getLoadContext: (req, res): AppLoadContext => {
        let sent: Promise<void> | undefined;
        return {
          services,
          requestId: String(res.locals.requestId),
          cspNonce: String(res.locals.cspNonce),
          clientIp: req.ip ?? "unknown",
          documentEncoding: documentEncoding(req, res),
          // Made on first use (only pages that defer account work ask): no listeners on every other response.
          get answered() {
            return (sent ??= responseSent(res));
          },
        };
      },
    }),
  );

  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    logger.error({
      msg: "unhandled error",
      requestId: res.locals.requestId,
      err: error instanceof Error ? error.message : String(error),
    });
    void recordServerError(db.prisma, error, _req.path);
    if (!res.headersSent)
      res.status(500).type("text/plain").send("Something went wrong on our side. Please try again.");
  });

  return Object.assign(app, { fastPath, clearPageCache: () => cache.clear() });
}
