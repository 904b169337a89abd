// Security events (privacy promise P14): raw signals (failed sign-ins, code requests) and the events admins act on
// (bursts of failures, many accounts tried from one IP, codes requested in bulk, lockouts, new-device alerts,
// "this wasn't me" reports). The IP is kept for this security purpose only (P5). The email someone typed is never
// stored: `accountKey` is a keyed hash of it, enough to count distinct accounts. Raw signals are deleted after
// 7 days, events after 90.
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { SecurityEventKind } from "../generated/prisma/enums.ts";
import { hmacHex } from "../identity/crypto.ts";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const SIGNAL_KINDS: readonly SecurityEventKind[] = ["SIGN_IN_FAILED", "CODE_REQUESTED"];
export const SIGNAL_RETENTION_DAYS = 7;
export const EVENT_RETENTION_DAYS = 90;

/** When raw signals become an event: N in a window, per IP; one event per IP per window. */
export const detection = {
  failureBurst: { count: 20, windowMs: 10 * MINUTE },
  manyAccounts: { distinctAccounts: 5, windowMs: 60 * MINUTE },
  codesInBulk: { count: 10, windowMs: 60 * MINUTE },
} as const;

/** A keyed hash of an email address: counts distinct accounts without storing the address. */
export function accountKeyOf(pepper: Uint8Array, email: string): string {
  return hmacHex(pepper, `security-account\n${email.trim().toLowerCase()}`).slice(0, 40);
}

export interface EventInput {
  kind: SecurityEventKind;
  userId?: string | null;
  accountKey?: string | null;
  ip?: string | null;
  detail?: string | null;
}

export async function recordSecurityEvent(db: PrismaClient, input: EventInput, now = new Date()): Promise<void> {
  await db.securityEvent.create({
    data: {
      kind: input.kind,
      userId: input.userId ?? null,
      accountKey: input.accountKey ?? null,
      ip: input.ip?.slice(0, 64) ?? null,
      detail: input.detail?.slice(0, 200) ?? null,
      createdAt: now,
    },
    select: { id: true },
  });
}

/** Records `kind` for this IP unless one was recorded in the window already. */
async function onceInWindow(
  db: PrismaClient,
  kind: SecurityEventKind,
  ip: string,
  windowMs: number,
  detail: string,
  now: Date,
) {
  const since = new Date(now.getTime() - windowMs);
  const already = await db.securityEvent.count({ where: { kind, ip, createdAt: { gte: since } } });
  if (already === 0) await recordSecurityEvent(db, { kind, ip, detail }, now);
}

/** A failed sign-in (password or code). Turns into FAILURE_BURST / MANY_ACCOUNTS_FROM_IP when the IP crosses a line. */
export async function recordSignInFailure(
  db: PrismaClient,
  input: { ip: string; accountKey: string; userId: string | null; method: "password" | "code" },
  now = new Date(),
): Promise<void> {
  await recordSecurityEvent(
    db,
    { kind: "SIGN_IN_FAILED", ip: input.ip, accountKey: input.accountKey, userId: input.userId, detail: input.method },
    now,
  );
  const burst = detection.failureBurst;
  const failures = await db.securityEvent.count({
    where: { kind: "SIGN_IN_FAILED", ip: input.ip, createdAt: { gte: new Date(now.getTime() - burst.windowMs) } },
  });
  if (failures >= burst.count) {
    await onceInWindow(
      db,
      "FAILURE_BURST",
      input.ip,
      burst.windowMs,
      `${failures} failed sign-ins in ${burst.windowMs / MINUTE} minutes`,
      now,
    );
  }
  const many = detection.manyAccounts;
  const accounts = await db.securityEvent.findMany({
    where: { kind: "SIGN_IN_FAILED", ip: input.ip, createdAt: { gte: new Date(now.getTime() - many.windowMs) } },
    distinct: ["accountKey"],
    select: { accountKey: true },
    take: 1000,
  });
  if (accounts.length >= many.distinctAccounts) {
    await onceInWindow(
      db,
      "MANY_ACCOUNTS_FROM_IP",
      input.ip,
      many.windowMs,
      `failed sign-ins for ${accounts.length} accounts in ${many.windowMs / MINUTE} minutes`,
      now,
    );
  }
}

/** An emailed code (sign-in, verification, reset) was requested. Turns into CODES_IN_BULK past the line. */
export async function recordCodeRequest(
  db: PrismaClient,
  input: { ip: string; accountKey: string; purpose: string },
  now = new Date(),
): Promise<void> {
  await recordSecurityEvent(
    db,
    { kind: "CODE_REQUESTED", ip: input.ip, accountKey: input.accountKey, detail: input.purpose },
    now,
  );
  const bulk = detection.codesInBulk;
  const count = await db.securityEvent.count({
    where: { kind: "CODE_REQUESTED", ip: input.ip, createdAt: { gte: new Date(now.getTime() - bulk.windowMs) } },
  });
  if (count >= bulk.count) {
    await onceInWindow(
      db,
      "CODES_IN_BULK",
      input.ip,
      bulk.windowMs,
      `${count} codes requested in ${bulk.windowMs / MINUTE} minutes`,
      now,
    );
  }
}

const FEED_KINDS = [
  "FAILURE_BURST",
  "MANY_ACCOUNTS_FROM_IP",
  "CODES_IN_BULK",
  "ACCOUNT_LOCKED",
  "NEW_DEVICE",
  "NOT_ME_REPORTED",
  "SIGN_IN_FAILED",
  "CODE_REQUESTED",
] as const satisfies readonly SecurityEventKind[];

export const securityFeedSchema = z.object({
  /** Default: the events, without the raw signals. */
  kinds: z.array(z.enum(FEED_KINDS)).max(FEED_KINDS.length).optional(),
  ip: z.string().trim().max(64).optional(),
  /** The id of the last row of the previous page (ids are time-ordered uuid v7). */
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** Newest first. Shows the account id (not the name or email) and the IP. */
export async function listSecurityFeed(db: PrismaClient, q: z.input<typeof securityFeedSchema> = {}) {
  const { kinds, ip, cursor, limit } = securityFeedSchema.parse(q);
  const rows = await db.securityEvent.findMany({
    where: {
      kind: { in: kinds ?? FEED_KINDS.filter((k) => !SIGNAL_KINDS.includes(k)) },
      ...(ip ? { ip } : {}),
      ...(cursor ? { id: { lt: cursor } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, kind: true, createdAt: true, ip: true, userId: true, detail: true },
  });
  return { events: rows, nextCursor: rows.length === limit ? rows[rows.length - 1]!.id : null };
}

/** Raw signals after 7 days, events after 90. Returns how many rows were deleted. */
export async function purgeSecurityEventRows(db: PrismaClient, now = new Date()): Promise<number> {
  const signals = await db.securityEvent.deleteMany({
    where: {
      kind: { in: [...SIGNAL_KINDS] },
      createdAt: { lt: new Date(now.getTime() - SIGNAL_RETENTION_DAYS * DAY) },
    },
  });
  const events = await db.securityEvent.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - EVENT_RETENTION_DAYS * DAY) } },
  });
  return signals.count + events.count;
}

/** Lock state is only useful for a day after the last lock (it decides how long the next lock lasts). */
export async function purgeAccountLocks(db: PrismaClient, now = new Date()): Promise<number> {
  return (
    await db.accountLock.deleteMany({
      where: { lastLockedAt: { lt: new Date(now.getTime() - DAY) }, lockedUntil: { lt: now } },
    })
  ).count;
}

/** "This wasn't me" links, a day after they expired (used or not). */
export async function purgeDeviceAlerts(db: PrismaClient, now = new Date()): Promise<number> {
  return (await db.deviceAlert.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - DAY) } } })).count;
}

/** A device family not signed in from for a year is forgotten (a sign-in from it would alert again). */
export async function purgeKnownDevices(db: PrismaClient, now = new Date()): Promise<number> {
  return (await db.knownDevice.deleteMany({ where: { lastSeenAt: { lt: new Date(now.getTime() - 365 * DAY) } } }))
    .count;
}

/** Everything above (retention: core/privacy/retention.ts runs each as its own rule). */
export async function purgeSecurityEvents(db: PrismaClient, now = new Date()): Promise<number> {
  return (
    (await purgeSecurityEventRows(db, now)) +
    (await purgeAccountLocks(db, now)) +
    (await purgeDeviceAlerts(db, now)) +
    (await purgeKnownDevices(db, now))
  );
}
