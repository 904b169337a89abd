// POST /errors: where browsers report crashes, failed API calls and loading failures (privacy promise P7;
// app/utils/error-reporter.ts sends them). This handler reads the body and nothing else: no cookie, no session,
// no user. The client IP is used only for the per-IP rate limit, as a keyed hash (not even the rate-limit table
// holds it), so it is mounted before the generic per-IP limit. The report is validated (zod, 16 KB at most) and
// scrubbed by core/observability/errors.ts before it is stored. 204 stored, 400 malformed, 413 too large, 429.
import { createHmac } from "node:crypto";
import express, { type Router } from "express";
import { isDomainError } from "../core/errors/index.ts";
import { clientErrorSchema, recordError } from "../core/observability/errors.ts";
import type { Services } from "./context.ts";

export function errorReportEndpoint(services: Services): Router {
  const router = express.Router();
  const key = createHmac("sha256", services.secrets.codePepper).update("error-report-rate-limit").digest();
  const ipKey = (ip: string) => createHmac("sha256", key).update(ip).digest("base64url").slice(0, 22);
  router.post("/errors", express.text({ type: ["text/plain", "application/json"], limit: "16kb" }), async (req, res, next) => {
    try {
      await services.rateLimiter.consume("errors:ip", ipKey(req.ip ?? "unknown"));
      let body: unknown;
      try {
        body = JSON.parse(typeof req.body === "string" ? req.body : "");
      } catch {
        body = undefined;
      }
      const parsed = clientErrorSchema.safeParse(body);
      if (!parsed.success) {
        res.status(400).set("Cache-Control", "no-store").end();
        return;
      }
      await recordError(services.db.prisma, parsed.data);
      res.status(204).set("Cache-Control", "no-store").end();
    } catch (error) {
      if (isDomainError(error) && error.code === "RATE_LIMITED") {
        res.status(429).set("Retry-After", String(error.details?.retryAfterSeconds ?? 60)).end();
        return;
      }
      next(error);
    }
  });
  router.use((error: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(error.status === 413 ? 413 : 400).end();
  });
  return router;
}
