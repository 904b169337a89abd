// The audit trail: one append-only AuditEvent for every staff read or write of a user's personal data, every staff
// action and every refused authorization. Rows are only ever inserted here; the database itself refuses UPDATE,
// DELETE and TRUNCATE on the table (a trigger in the back-office migration), whatever code or SQL tries. The only
// exceptions (migration audit_retention) are the retention job deleting rows past their 6 years, and removing an
// IP address, through withAuditMaintenance below.
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import type { AuditAction } from "./actions.ts";

export * from "./actions.ts";

export interface AuditActor {
  id: string | null;
  role: Role | null;
  ip: string | null;
}

export interface AuditEntry {
  /** One of the trail's vocabulary (core/audit/actions.ts). */
  action: AuditAction;
  target: string;
  subjectUserId?: string | null;
  /** Why: the ticket or privacy-request id the access served. */
  purpose?: string | null;
}

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * Runs `work` in a transaction in which the audit trigger lets through its two exceptions: DELETE of rows older
 * than 6 years (by the database's clock) and an UPDATE that only removes the IP. Nothing else becomes possible.
 */
export async function withAuditMaintenance<T>(db: PrismaClient, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction((tx) => auditMaintenanceIn(tx, work));
}

/** The same, inside a transaction the caller already holds (the erasure's). */
export async function auditMaintenanceIn<T>(tx: Tx, work: (tx: Tx) => Promise<T>): Promise<T> {
  await tx.$executeRaw`SELECT set_config('mindnamo.audit_maintenance', 'on', true)`;
  const result = await work(tx);
  // Off again at once (the setting is transaction-local; a failed statement aborts the transaction anyway).
  await tx.$executeRaw`SELECT set_config('mindnamo.audit_maintenance', 'off', true)`;
  return result;
}

export async function recordAudit(
  db: PrismaClient,
  actor: AuditActor,
  entry: AuditEntry,
  at = new Date(),
): Promise<void> {
  await db.auditEvent.create({
    data: {
      at,
      actorId: actor.id,
      actorRole: actor.role,
      action: entry.action.slice(0, 100),
      target: entry.target.slice(0, 200),
      subjectUserId: entry.subjectUserId ?? null,
      purpose: entry.purpose?.slice(0, 200) ?? null,
      ip: actor.ip?.slice(0, 100) ?? null,
    },
    select: { id: true },
  });
}

export const auditSearchSchema = z.object({
  actorId: z.string().max(64).optional(),
  subjectUserId: z.string().max(64).optional(),
  action: z.string().max(100).optional(),
  purpose: z.string().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type AuditSearch = z.infer<typeof auditSearchSchema>;

/** Newest first; `cursor` is the id of the last row of the previous page (ids are time-ordered uuid v7). */
export async function searchAudit(db: PrismaClient, q: AuditSearch) {
  const rows = await db.auditEvent.findMany({
    where: {
      ...(q.actorId ? { actorId: q.actorId } : {}),
      ...(q.subjectUserId ? { subjectUserId: q.subjectUserId } : {}),
      ...(q.action ? { action: { startsWith: q.action } } : {}),
      ...(q.purpose ? { purpose: q.purpose } : {}),
      ...(q.from || q.to ? { at: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) } } : {}),
      ...(q.cursor ? { id: { lt: q.cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: q.limit + 1,
    select: {
      id: true,
      at: true,
      actorId: true,
      actorRole: true,
      action: true,
      subjectUserId: true,
      target: true,
      purpose: true,
      ip: true,
    },
  });
  const page = rows.slice(0, q.limit);
  return { events: page, nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
}
