// The express application: edges first (logging, headers, origin check, rate limit), then health, static
// assets, and the Remix handler. Built by a function so tests can start it against any database.
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type Express } from "express";
import { isDomainError } from "../core/errors/index.ts";
import type { Services } from "./context.ts";
import { requestLogger } from "./logging.ts";
import { errorReportEndpoint } from "./error-reports.ts";
import { recordServerError } from "../core/observability/errors.ts";
import { pageCache } from "./page-cache.ts";
import { cspNonce, originCheck, securityHeaders } from "./security.ts";

export interface HttpAppOptions {
  services: Services;
  build: ServerBuild | (() => Promise<ServerBuild>);
  publicDir?: string;
}

export function createHttpApp({ services, build, publicDir = path.resolve("public") }: HttpAppOptions): Express {
  const { config, db, rateLimiter, logger } = services;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY);

  app.use(requestLogger(logger));
  app.use(cspNonce());
  app.use(securityHeaders({ isProduction: config.isProduction }));
  app.use(compression());

  app.get("/healthz", async (_req, res) => {
    try {
      await db.ping(2_000);
      res.set("Cache-Control", "no-store").json({ status: "ok", database: "ok" });
    } catch {
      res.status(503).set("Cache-Control", "no-store").json({ status: "error", database: "unavailable" });
    }
  });

  // Built assets have content hashes in their names: cache them for a year.
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(publicDir, { maxAge: "1h", index: false }));

  app.use(originCheck({ appUrl: config.appUrl }));

  // Browser error reports (P7): before the generic per-IP limit (no raw IP anywhere, not even in a rate-limit counter).
  app.use(errorReportEndpoint(services));

  // Public pages for visitors without a session: rendered once per URL every 15 s at most.
  app.use(
    pageCache({
      ttlMs: 15_000,
      maxEntries: 500,
      sessionCookies: ["mn_session", "__Host-mn_session"],
      paths: /^\/(experts(\/[a-z0-9-]+)?|privacy)?$/,
    }),
  );

  // A coarse per-IP ceiling on every state-changing request; routes add finer per-account limits.
  app.use(async (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    try {
      await rateLimiter.consume("http:ip", req.ip ?? "unknown");
      next();
    } catch (error) {
      if (isDomainError(error) && error.code === "RATE_LIMITED") {
        res.status(429).set("Retry-After", String(error.details?.retryAfterSeconds ?? 60)).type("text/plain").send(error.message);
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
      getLoadContext: (req, res): AppLoadContext => ({
        services,
        requestId: String(res.locals.requestId),
        cspNonce: String(res.locals.cspNonce),
        clientIp: req.ip ?? "unknown",
      }),
    }),
  );

  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    logger.error({ msg: "unhandled error", requestId: res.locals.requestId, err: error instanceof Error ? error.message : String(error) });
    void recordServerError(db.prisma, error, _req.path);
    if (!res.headersSent) res.status(500).type("text/plain").send("Something went wrong on our side. Please try again.");
  });

  return app;
}
