// Sessions the way Lucia now teaches (docs/decisions/0005-sessions-without-lucia.md): the token is
// `<id>.<secret>`; only a SHA-256 of the secret is stored and compared in constant time. Sessions slide on use
// (idle expiry) and end at an absolute expiry, whichever comes first. Staff sessions are short.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { Role } from "../generated/prisma/enums.ts";
import { hexEqual, randomToken, sha256Hex } from "./crypto.ts";
import type { DeviceInfo } from "./device.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const STAFF_ROLES: readonly Role[] = ["SUPPORT", "DPO", "ADMIN"];
export const isStaff = (role: Role) => STAFF_ROLES.includes(role);

export const sessionPolicy = {
  user: { idleMs: 7 * DAY, absoluteMs: 30 * DAY, touchEveryMs: 5 * MINUTE },
  staff: { idleMs: 30 * MINUTE, absoluteMs: 12 * HOUR, touchEveryMs: MINUTE },
} as const;
export const policyFor = (role: Role) => (isStaff(role) ? sessionPolicy.staff : sessionPolicy.user);

/** How recent a password or code must be for a sensitive change. */
export const REAUTH_WINDOW_MS = 10 * MINUTE;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  emailVerifiedAt: Date | null;
  /** IANA zone the person's times are shown in (every signed-in page needs it). */
  timezone: string;
}

/** The joined row of validateSessionToken's one statement. */
interface SessionRow {
  id: string;
  userId: string;
  secretHash: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  reauthenticatedAt: Date;
  mfaVerifiedAt: Date | null;
  email: string;
  name: string;
  role: string;
  emailVerifiedAt: Date | null;
  status: string;
  timezone: string;
}

const ROLES: readonly Role[] = Object.values(Role);
/** Raw SQL returns the enum as text: anything unknown is refused rather than trusted. */
function parseRole(value: string): Role {
  const role = ROLES.find((r) => r === value);
  if (!role) throw new Error("session lookup: unknown role");
  return role;
}

export interface ValidSession {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  reauthenticatedAt: Date;
  /** Staff: when this session passed the TOTP second factor; null until then. */
  mfaVerifiedAt: Date | null;
  user: SessionUser;
}

const TOKEN_PATTERN = /^[a-z2-7]{32}\.[a-z2-7]{52}$/;

export async function createSession(
  db: PrismaClient,
  input: { userId: string; role: Role; device: DeviceInfo; now?: Date },
): Promise<{ token: string; sessionId: string; expiresAt: Date; absoluteExpiresAt: Date }> {
  const now = input.now ?? new Date();
  const id = randomToken(20);
  const secret = randomToken(32);
  const policy = policyFor(input.role);
  const absoluteExpiresAt = new Date(now.getTime() + policy.absoluteMs);
  const expiresAt = new Date(Math.min(now.getTime() + policy.idleMs, absoluteExpiresAt.getTime()));
  await db.session.create({
    data: {
      id,
      secretHash: sha256Hex(secret),
      userId: input.userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      absoluteExpiresAt,
      reauthenticatedAt: now,
      ...input.device,
    },
  });
  return { token: `${id}.${secret}`, sessionId: id, expiresAt, absoluteExpiresAt };
}

/**
 * Returns the session of a token, sliding its idle expiry, or null when the token is malformed, unknown, wrong,
 * expired, or belongs to an account that is no longer active.
 */
export async function validateSessionToken(
  db: PrismaClient,
  token: string,
  now = new Date(),
): Promise<ValidSession | null> {
  if (token.length > 100 || !TOKEN_PATTERN.test(token)) return null;
  const [id, secret] = token.split(".") as [string, string];
  // Every signed-in page starts here, so it is one statement (the session joined to its user), not Prisma's two.
  const rows = await db.$queryRaw<SessionRow[]>`
    SELECT s."id", s."userId", s."secretHash", s."createdAt", s."lastSeenAt", s."expiresAt", s."absoluteExpiresAt",
           s."reauthenticatedAt", s."mfaVerifiedAt", u."email", u."name", u."role"::text AS "role",
           u."emailVerifiedAt", u."status"::text AS "status", u."timezone"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."id" = ${id}`;
  const found = rows[0];
  if (!found || !hexEqual(found.secretHash, sha256Hex(secret))) return null;
  const row = {
    ...found,
    user: {
      id: found.userId,
      email: found.email,
      name: found.name,
      role: parseRole(found.role),
      emailVerifiedAt: found.emailVerifiedAt,
      status: found.status,
      timezone: found.timezone,
    },
  };
  if (row.expiresAt <= now || row.absoluteExpiresAt <= now || row.user.status !== "ACTIVE") {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  const policy = policyFor(row.user.role);
  let expiresAt = row.expiresAt;
  if (now.getTime() - row.lastSeenAt.getTime() >= policy.touchEveryMs) {
    expiresAt = new Date(Math.min(now.getTime() + policy.idleMs, row.absoluteExpiresAt.getTime()));
    await db.session.updateMany({ where: { id }, data: { lastSeenAt: now, expiresAt } });
  }
  const { status: _status, ...user } = row.user;
  return {
    id: row.id,
    userId: row.userId,
    createdAt: row.createdAt,
    expiresAt,
    absoluteExpiresAt: row.absoluteExpiresAt,
    reauthenticatedAt: row.reauthenticatedAt,
    mfaVerifiedAt: row.mfaVerifiedAt,
    user,
  };
}

export function isFreshlyAuthenticated(session: Pick<ValidSession, "reauthenticatedAt">, now = new Date()): boolean {
  return now.getTime() - session.reauthenticatedAt.getTime() <= REAUTH_WINDOW_MS;
}

export async function markReauthenticated(db: PrismaClient, sessionId: string, now = new Date()): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId }, data: { reauthenticatedAt: now } });
}

export async function invalidateSession(db: PrismaClient, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}

/** Ends every session of a user, or every one but `exceptSessionId`. Returns how many ended. */
export async function invalidateUserSessions(
  db: PrismaClient,
  { userId, exceptSessionId }: { userId: string; exceptSessionId?: string },
): Promise<number> {
  const { count } = await db.session.deleteMany({
    where: { userId, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
  });
  return count;
}

export function listUserSessions(db: PrismaClient, userId: string, now = new Date()) {
  return db.session.findMany({
    where: { userId, expiresAt: { gt: now }, absoluteExpiresAt: { gt: now } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, createdAt: true, lastSeenAt: true, ip: true, browser: true, os: true, device: true },
  });
}

/** Revokes one of the user's own sessions; another user's session id does nothing. */
export async function revokeOwnSession(
  db: PrismaClient,
  { userId, sessionId }: { userId: string; sessionId: string },
): Promise<boolean> {
  const { count } = await db.session.deleteMany({ where: { id: sessionId, userId } });
  return count === 1;
}
