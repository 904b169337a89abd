// The shape shared by the endpoints browsers post to anonymously (/errors, /metrics): a text body of at most 16 KB
// (sendBeacon sends text/plain, fetch may send application/json; both are read as text), no cookie, session or
// user read, and a per-IP limit counted on a keyed hash of the address, so not even the rate-limit table holds it.
// Mounted before the generic per-IP limit, which would store the raw IP. 413 for a body too large, 400 for one
// unreadable, 429 over the limit; otherwise the status `handle` returns.
import { createHmac } from "node:crypto";
import express, { type Router } from "express";
import { isDomainError } from "../core/errors/index.ts";
import type { RatePolicyName } from "../core/platform/rate-limit.ts";
import type { Services } from "../core/platform/services.ts";

export function anonymousPostEndpoint(
  services: Services,
  opts: {
    path: string;
    policy: RatePolicyName;
    keyLabel: string;
    handle: (body: string) => Promise<204 | 400>;
    /** Content types read as text (default: text/plain and application/json). */
    types?: string[];
  },
): Router {
  const router = express.Router();
  const key = createHmac("sha256", services.secrets.codePepper).update(opts.keyLabel).digest();
  const ipKey = (ip: string) => createHmac("sha256", key).update(ip).digest("base64url").slice(0, 22);
  router.post(
    opts.path,
    express.text({ type: opts.types ?? ["text/plain", "application/json"], limit: "16kb" }),
    async (req, res, next) => {
      try {
        await services.rateLimiter.consume(opts.policy, ipKey(req.ip ?? "unknown"));
        const status = await opts.handle(typeof req.body === "string" ? req.body : "");
        res.status(status).set("Cache-Control", "no-store").end();
      } catch (error) {
        if (isDomainError(error) && error.code === "RATE_LIMITED") {
          res
            .status(429)
            .set("Retry-After", String(error.details?.retryAfterSeconds ?? 60))
            .end();
          return;
        }
        next(error);
      }
    },
  );
  // A body that is too large or unreadable: answered here, without the generic error log.
  router.use(
    (error: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(error.status === 413 ? 413 : 400).end();
    },
  );
  return router;
}
