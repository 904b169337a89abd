// Temporary account lock (privacy promise P14), built on the `secret:account` rate limit: when an email's
// password attempts use up that limit, password sign-in for that email is paused for a while, and the account's
// owner gets an email (at most one every 6 hours). Each new lock within a day of the last one lasts twice as long,
// capped at 4 hours, and every lock EXPIRES. An attacker cannot keep the owner out: emailed-code sign-in and the
// password reset do not depend on this lock or on the `secret:account` counter, and a reset lifts the lock.
// The lock is keyed by a keyed hash of the email (whether or not an account exists: no enumeration).
import type { PrismaClient } from "../generated/prisma/client.ts";
import { DomainError } from "../errors/index.ts";
import type { MailQueue } from "../platform/mail/queue.ts";
import { accountLockedNotice } from "../mail/templates.ts";
import { recordSecurityEvent } from "./events.ts";
import type { RateLimiter } from "../platform/rate-limit.ts";

const MINUTE = 60_000;
export const lockPolicy = {
  firstLockMs: 15 * MINUTE,
  maxLockMs: 4 * 60 * MINUTE,
  /** A lock within this time of the previous one is longer; after it, the next lock starts at 15 minutes again. */
  memoryMs: 24 * 60 * MINUTE,
  emailEveryMs: 6 * 60 * MINUTE,
} as const;

export function lockDurationMs(lockCount: number): number {
  return Math.min(lockPolicy.firstLockMs * 2 ** Math.max(0, lockCount - 1), lockPolicy.maxLockMs);
}

function lockedError(lockedUntil: Date, now: Date): DomainError {
  const seconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new DomainError(
    "RATE_LIMITED",
    `Too many attempts for this account. Please wait ${minutes} minutes and try again. You can ` +
      `still sign in with a code sent by email, or reset your password.`,
    { field: "password", retryAfterSeconds: seconds },
  );
}

/** Throws RATE_LIMITED while password sign-in is paused for this account key. */
export async function assertNotLocked(db: PrismaClient, accountKey: string, now: Date): Promise<void> {
  const lock = await db.accountLock.findUnique({ where: { accountKey }, select: { lockedUntil: true } });
  if (lock && lock.lockedUntil > now) throw lockedError(lock.lockedUntil, now);
}

export interface LockDeps {
  db: PrismaClient;
  limiter: RateLimiter;
  mail: MailQueue;
  appUrl: string;
}

/**
 * Locks password sign-in for the email (the `secret:account` limit was just used up) and returns the error to
 * throw. The limiter's counter is cleared: counting starts again when the lock ends.
 */
export async function engageLock(
  deps: LockDeps,
  input: { email: string; accountKey: string; userId: string | null; ip: string },
  now: Date,
): Promise<DomainError> {
  const existing = await deps.db.accountLock.findUnique({
    where: { accountKey: input.accountKey },
    select: { lockCount: true, lockedUntil: true, lastLockedAt: true, lastEmailAt: true },
  });
  if (existing && existing.lockedUntil > now) return lockedError(existing.lockedUntil, now); // a parallel request locked it
  const lockCount =
    existing && now.getTime() - existing.lastLockedAt.getTime() < lockPolicy.memoryMs ? existing.lockCount + 1 : 1;
  const lockedUntil = new Date(now.getTime() + lockDurationMs(lockCount));
  const sendEmail =
    input.userId !== null &&
    (!existing?.lastEmailAt || now.getTime() - existing.lastEmailAt.getTime() >= lockPolicy.emailEveryMs);
  const data = {
    userId: input.userId,
    lockCount,
    lockedUntil,
    lastLockedAt: now,
    ...(sendEmail ? { lastEmailAt: now } : {}),
  };
  await deps.db.accountLock.upsert({
    where: { accountKey: input.accountKey },
    create: { accountKey: input.accountKey, ...data },
    update: data,
  });
  await deps.limiter.reset("secret:account", input.email);
  await recordSecurityEvent(
    deps.db,
    {
      kind: "ACCOUNT_LOCKED",
      userId: input.userId,
      accountKey: input.accountKey,
      ip: input.ip,
      detail: `password sign-in paused for ${lockDurationMs(lockCount) / MINUTE} minutes (lock ${lockCount})`,
    },
    now,
  );
  if (sendEmail) deps.mail.enqueue(accountLockedNotice(input.email, lockDurationMs(lockCount) / MINUTE, deps.appUrl));
  return lockedError(lockedUntil, now);
}

/** A password reset proves the mailbox and replaces the password: the lock and its history go. */
export async function clearLock(db: PrismaClient, accountKey: string): Promise<void> {
  await db.accountLock.deleteMany({ where: { accountKey } });
}
