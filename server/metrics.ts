// POST /metrics: the anonymous usage beacon's endpoint (privacy promises P6, P16). The browser sends a batch only
// with the visitor's analytics consent (app/components/UsageBeacon.tsx). This handler reads the body and nothing
// else: no cookie, no session, no user; the client IP is used only for the per-IP rate limit, and only as a keyed
// hash (so not even the rate-limit table holds it). Mounted before the generic per-IP limit, which would store the
// raw IP. Always 204 for a well-formed request (a bad batch is dropped silently: the beacon has nobody to tell),
// 413 for a body over 16 KB, 429 over the limit.
import { createHmac } from "node:crypto";
import express, { type Router } from "express";
import { parseUsageBatch, recordUsage } from "../core/analytics/usage.ts";
import { isDomainError } from "../core/errors/index.ts";
import type { Services } from "./context.ts";

export function metricsEndpoint(services: Services): Router {
  const router = express.Router();
  const key = createHmac("sha256", services.secrets.codePepper).update("metrics-rate-limit").digest();
  const ipKey = (ip: string) => createHmac("sha256", key).update(ip).digest("base64url").slice(0, 22);
  router.post(
    "/metrics",
    // sendBeacon sends text/plain (no preflight); fetch may send application/json. Both are read as text.
    express.text({ type: ["text/plain", "application/json"], limit: "16kb" }),
    async (req, res, next) => {
      try {
        await services.rateLimiter.consume("metrics:ip", ipKey(req.ip ?? "unknown"));
        const batch = parseUsageBatch(typeof req.body === "string" ? req.body : "");
        if (batch) await recordUsage(services.db.prisma, batch);
        res.set("Cache-Control", "no-store").status(204).end();
      } catch (error) {
        if (isDomainError(error) && error.code === "RATE_LIMITED") {
          res.status(429).set("Retry-After", String(error.details?.retryAfterSeconds ?? 60)).end();
          return;
        }
        next(error);
      }
    },
  );
  // A body that is too large or unreadable: answered here, without the generic error log.
  router.use((error: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(error.status === 413 ? 413 : 400).end();
  });
  return router;
}
