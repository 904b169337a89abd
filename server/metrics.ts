// POST /metrics: the anonymous usage beacon's endpoint (privacy promises P6, P16). The browser sends a batch only
// with the visitor's analytics consent (app/components/UsageBeacon.tsx). Anonymous like /errors
// (server/anonymous-endpoint.ts: no cookie, no session, no user; the IP only as a keyed hash for the per-IP limit).
// Always 204 for a well-formed request (a bad batch is dropped silently: the beacon has nobody to tell), 413 for a
// body over 16 KB, 429 over the limit.
import type { Router } from "express";
import { parseUsageBatch, recordUsage } from "../core/analytics/usage.ts";
import { anonymousPostEndpoint } from "./anonymous-endpoint.ts";
import type { Services } from "../core/platform/services.ts";

export function metricsEndpoint(services: Services): Router {
  return anonymousPostEndpoint(services, {
    path: "/metrics",
    policy: "metrics:ip",
    keyLabel: "metrics-rate-limit",
    handle: async (text) => {
      const batch = parseUsageBatch(text);
      if (batch) await recordUsage(services.db.prisma, batch);
      return 204;
    },
  });
}
