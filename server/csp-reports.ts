// POST /csp-reports: where browsers report Content-Security-Policy violations (the policy names only this path of
// our own origin: server/security.ts). Anonymous like /errors (server/anonymous-endpoint.ts: no cookie, session or
// user; the IP only as a keyed hash for the per-IP limit; 16 KB). Both report formats are read: the older
// `application/csp-report` ({"csp-report": {...}}) and the Reporting API's `application/reports+json` (an array).
// Each violation is stored as an error report of kind CSP_VIOLATION (scrubbed, the page's path only), so the
// console's error view counts and groups them.
import type { Router } from "express";
import { z } from "zod";
import { recordError } from "../core/observability/errors.ts";
import type { Services } from "../core/platform/services.ts";
import { anonymousPostEndpoint } from "./anonymous-endpoint.ts";
import { CSP_REPORT_PATH } from "./security.ts";

const text = z.string().max(4000).optional();
const legacySchema = z.object({
  "csp-report": z.object({
    "document-uri": text,
    "violated-directive": text,
    "effective-directive": text,
    "blocked-uri": text,
  }),
});
const reportingSchema = z
  .array(
    z.object({
      type: z.string().max(100),
      url: text,
      body: z.object({ documentURL: text, effectiveDirective: text, blockedURL: text }).partial().optional(),
    }),
  )
  .max(20);

interface Violation {
  page?: string;
  directive?: string;
  blocked?: string;
}

/** The blocked resource as an origin or a keyword ("inline", "eval", "data"): never a full URL with its query. */
function blockedOf(value: string | undefined): string {
  if (!value) return "unknown";
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:" || u.protocol === "wss:" ? u.origin : u.protocol;
  } catch {
    return value.slice(0, 40);
  }
}

/** The path of the page, without query or fragment (which could hold an email or a token). */
function pathOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).pathname.slice(0, 300);
  } catch {
    return null;
  }
}

export function parseCspReports(body: string): Violation[] | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const legacy = legacySchema.safeParse(json);
  if (legacy.success) {
    const r = legacy.data["csp-report"];
    return [
      {
        page: r["document-uri"],
        directive: r["effective-directive"] ?? r["violated-directive"],
        blocked: r["blocked-uri"],
      },
    ];
  }
  const modern = reportingSchema.safeParse(json);
  if (!modern.success) return null;
  return modern.data
    .filter((r) => r.type === "csp-violation")
    .map((r) => ({
      page: r.body?.documentURL ?? r.url,
      directive: r.body?.effectiveDirective,
      blocked: r.body?.blockedURL,
    }));
}

export function cspReportEndpoint(services: Services): Router {
  return anonymousPostEndpoint(services, {
    path: CSP_REPORT_PATH,
    policy: "csp:ip",
    keyLabel: "csp-report-rate-limit",
    types: ["application/csp-report", "application/reports+json", "application/json"],
    handle: async (body) => {
      const violations = parseCspReports(body);
      if (!violations) return 400;
      for (const v of violations.slice(0, 5)) {
        const directive = (v.directive ?? "unknown").replace(/[^a-z-]/gi, "").slice(0, 40) || "unknown";
        await recordError(services.db.prisma, {
          kind: "CSP_VIOLATION",
          message: `Content-Security-Policy ${directive} blocked ${blockedOf(v.blocked)}`,
          location: pathOf(v.page),
        });
      }
      return 204;
    },
  });
}
