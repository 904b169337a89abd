// POST /errors: where browsers report crashes, failed API calls and loading failures (privacy promise P7;
// app/utils/error-reporter.ts sends them). Anonymous like /metrics (server/anonymous-endpoint.ts: no cookie, no
// session, no user; the IP only as a keyed hash for the per-IP limit). The report is validated (zod, 16 KB at most)
// and scrubbed by core/observability/errors.ts before it is stored. 204 stored, 400 malformed, 413 too large, 429.
import type { Router } from "express";
import { clientErrorSchema, recordError } from "../core/observability/errors.ts";
import { anonymousPostEndpoint } from "./anonymous-endpoint.ts";
import type { Services } from "../core/platform/services.ts";

export function errorReportEndpoint(services: Services): Router {
  return anonymousPostEndpoint(services, {
    path: "/errors",
    policy: "errors:ip",
    keyLabel: "error-report-rate-limit",
    handle: async (text) => {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const parsed = clientErrorSchema.safeParse(body);
      if (!parsed.success) return 400;
      await recordError(services.db.prisma, parsed.data);
      return 204;
    },
  });
}
