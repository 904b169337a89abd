// Anonymous usage metrics (privacy promises P6 and P16), our own, no third party. The browser sends events only
// when the visitor gave analytics consent (app/components/UsageBeacon.tsx); each batch carries a random per-visit id
// from sessionStorage and nothing else about the person: this module has no parameter for a user id, an IP, an
// email or a cookie, and stores none. Paths lose their query string and fragment, and id-like segments (a booking
// or ticket id) become ":id". Kept 90 days (purgeUsage, run daily by the job queue).
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";

export const USAGE_RETENTION_DAYS = 90;
const DAY = 86_400_000;

/** The path part of a path or same-site URL, without query string or fragment; id-like segments become ":id". */
export function cleanPath(value: string): string | null {
  let p = value.trim();
  if (/^https?:\/\//i.test(p)) {
    try {
      p = new URL(p).pathname;
    } catch {
      return null;
    }
  }
  p = p.split(/[?#]/)[0] ?? "";
  if (!p.startsWith("/") || p.startsWith("//")) return null;
  const segments = p
    .split("/")
    .map((s) =>
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s) ||
      (s.length >= 16 && /\d/.test(s) && /^[A-Za-z0-9_-]+$/.test(s))
        ? ":id"
        : s,
    );
  const clean = segments.join("/").slice(0, 200);
  return /^[\x21-\x7e]*$/.test(clean) ? clean : null;
}

const path = z
  .string()
  .max(2000)
  .transform((v, ctx) => {
    const p = cleanPath(v);
    if (p === null) {
      ctx.addIssue({ code: "custom", message: "not a path" });
      return z.NEVER;
    }
    return p;
  });

export const usageBatchSchema = z.object({
  visitId: z.string().regex(/^[A-Za-z0-9-]{16,64}$/),
  events: z
    .array(
      z.discriminatedUnion("kind", [
        z.object({ kind: z.literal("view"), path, from: path.nullish() }),
        z.object({
          kind: z.literal("leave"),
          path,
          ms: z
            .number()
            .int()
            .min(0)
            .max(24 * 3_600_000),
        }),
        z.object({ kind: z.literal("click"), path, target: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i) }),
      ]),
    )
    .min(1)
    .max(50),
});
export type UsageBatch = z.infer<typeof usageBatchSchema>;

/** Parses an untrusted body (a JSON string or a parsed value); null when it is not a valid batch. */
export function parseUsageBatch(body: unknown): UsageBatch | null {
  let value = body;
  if (typeof body === "string") {
    try {
      value = JSON.parse(body);
    } catch {
      return null;
    }
  }
  const r = usageBatchSchema.safeParse(value);
  return r.success ? r.data : null;
}

/** Stores a batch. Only these fields exist: visit id, path, kind, target, ms, and the server's time. */
export async function recordUsage(db: PrismaClient, batch: UsageBatch, now = new Date()): Promise<number> {
  const rows = batch.events.map((e) => ({
    visitId: batch.visitId,
    path: e.path,
    kind: e.kind === "view" ? ("VIEW" as const) : e.kind === "leave" ? ("LEAVE" as const) : ("CLICK" as const),
    target: e.kind === "view" ? (e.from ?? null) : e.kind === "click" ? e.target : null,
    ms: e.kind === "leave" ? e.ms : null,
    at: now,
  }));
  const r = await db.usageEvent.createMany({ data: rows });
  return r.count;
}

/** Deletes events older than the retention period; returns how many. */
export async function purgeUsage(db: PrismaClient, now = new Date()): Promise<number> {
  const r = await db.usageEvent.deleteMany({
    where: { at: { lt: new Date(now.getTime() - USAGE_RETENTION_DAYS * DAY) } },
  });
  return r.count;
}

export const usageReportSchema = z.object({
  days: z.number().int().min(1).max(USAGE_RETENTION_DAYS).default(30),
  limit: z.number().int().min(1).max(100).default(20),
});

/** Top pages (views), time on page (average and count of measured leaves), top flows (previous path → path). */
export async function usageReport(db: PrismaClient, q: z.input<typeof usageReportSchema> = {}, now = new Date()) {
  const { days, limit } = usageReportSchema.parse(q);
  const since = new Date(now.getTime() - days * DAY);
  const [pages, times, flows, clicks, visits] = await Promise.all([
    db.usageEvent.groupBy({
      by: ["path"],
      where: { kind: "VIEW", at: { gte: since } },
      _count: { _all: true },
      orderBy: { _count: { path: "desc" } },
      take: limit,
    }),
    db.usageEvent.groupBy({
      by: ["path"],
      where: { kind: "LEAVE", at: { gte: since } },
      _count: { _all: true },
      _avg: { ms: true },
      orderBy: { _count: { path: "desc" } },
      take: limit,
    }),
    db.usageEvent.groupBy({
      by: ["target", "path"],
      where: { kind: "VIEW", at: { gte: since }, target: { not: null } },
      _count: { _all: true },
      orderBy: { _count: { path: "desc" } },
      take: limit,
    }),
    db.usageEvent.groupBy({
      by: ["target"],
      where: { kind: "CLICK", at: { gte: since } },
      _count: { _all: true },
      orderBy: { _count: { target: "desc" } },
      take: limit,
    }),
    db.usageEvent.findMany({
      where: { at: { gte: since } },
      distinct: ["visitId"],
      select: { visitId: true },
      take: 100_000,
    }),
  ]);
  return {
    days,
    visits: visits.length,
    topPages: pages.map((p) => ({ path: p.path, views: p._count._all })),
    timeOnPage: times.map((t) => ({
      path: t.path,
      measured: t._count._all,
      averageSeconds: Math.round((t._avg.ms ?? 0) / 100) / 10,
    })),
    topFlows: flows.map((f) => ({ from: f.target ?? "", to: f.path, count: f._count._all })),
    topClicks: clicks.map((c) => ({ target: c.target ?? "", count: c._count._all })),
  };
}
