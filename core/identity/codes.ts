// One-time email codes: 8 digits, stored only as an HMAC (keyed with the server's secret), bound to one email
// address and one purpose, valid for a short time, single use, and locked after a few wrong attempts (each code
// its own lock). Issuing a new code for the same address and purpose voids the older ones, except reset links:
// each stays valid for its hour, so nobody can void the owner's link by asking for more (docs/security.md).
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { EmailCodePurpose } from "../generated/prisma/enums.ts";
import { DomainError } from "../errors/index.ts";
import { hexEqual, hmacHex, randomDigits, randomToken, sha256Hex } from "./crypto.ts";

export const CODE_DIGITS = 8;
export const MAX_CODE_ATTEMPTS = 5;
export const codeLifetimeMs: Record<EmailCodePurpose, number> = {
  VERIFY_EMAIL: 10 * 60_000,
  LOGIN: 10 * 60_000,
  CHANGE_EMAIL: 10 * 60_000,
  REAUTH: 10 * 60_000,
  RESET_PASSWORD: 60 * 60_000,
};

const INVALID = "That code is not valid or has expired. Check the latest email, or ask for a new code.";
const LOCKED = "Too many wrong attempts for this code. Please ask for a new code.";

const codeHash = (pepper: Uint8Array, purpose: EmailCodePurpose, email: string, code: string) =>
  hmacHex(pepper, `${purpose}\n${email}\n${code}`);

export async function issueCode(
  db: PrismaClient,
  pepper: Uint8Array,
  input: {
    purpose: EmailCodePurpose;
    email: string;
    userId: string | null;
    withLink?: boolean;
    /** SHA-256 of the secret in the requesting browser's cookie (sign-up codes). */
    bindingHash?: string | null;
    now?: Date;
  },
): Promise<{ code: string; linkToken: string | null; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const code = randomDigits(CODE_DIGITS);
  const linkSecret = input.withLink ? randomToken(32) : null;
  const expiresAt = new Date(now.getTime() + codeLifetimeMs[input.purpose]);
  const [, created] = await db.$transaction([
    db.emailCode.updateMany({
      where: {
        email: input.email,
        purpose: input.purpose,
        consumedAt: null,
        ...(input.purpose === "RESET_PASSWORD" ? { linkTokenHash: null } : {}),
        // A change of address voids only this account's earlier code: another account asking for the same
        // address must not cancel it.
        ...(input.purpose === "CHANGE_EMAIL" && input.userId ? { userId: input.userId } : {}),
      },
      data: { consumedAt: now },
    }),
    db.emailCode.create({
      data: {
        purpose: input.purpose,
        email: input.email,
        userId: input.userId,
        codeHash: codeHash(pepper, input.purpose, input.email, code),
        linkTokenHash: linkSecret ? sha256Hex(linkSecret) : null,
        bindingHash: input.bindingHash ?? null,
        expiresAt,
        createdAt: now,
      },
      select: { id: true },
    }),
  ]);
  return { code, linkToken: linkSecret ? `${created.id}.${linkSecret}` : null, expiresAt };
}

async function consume(db: PrismaClient, id: string, now: Date): Promise<boolean> {
  // Single use even under a race: only one request can flip consumedAt from null.
  const { count } = await db.emailCode.updateMany({ where: { id, consumedAt: null }, data: { consumedAt: now } });
  return count === 1;
}

/** Checks a typed code. Returns the code's user id (may be null) or throws a DomainError a person can act on. */
export async function verifyCode(
  db: PrismaClient,
  pepper: Uint8Array,
  input: { purpose: EmailCodePurpose; email: string; code: string; now?: Date; userId?: string },
): Promise<{ userId: string | null; email: string; bindingHash: string | null }> {
  const now = input.now ?? new Date();
  const code = input.code.replace(/[\s-]/g, "");
  // With `userId` (a signed-in change of address) only that account's code is looked at: someone else asking for
  // the same address neither shadows it with a newer code nor spends its tries with wrong guesses.
  const row = await db.emailCode.findFirst({
    where: {
      email: input.email,
      purpose: input.purpose,
      consumedAt: null,
      expiresAt: { gt: now },
      ...(input.userId ? { userId: input.userId } : {}),
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, codeHash: true, attempts: true, userId: true, bindingHash: true },
  });
  if (!row) throw new DomainError("VALIDATION", INVALID, { field: "code" });
  // Count the attempt before checking it, atomically: parallel guesses cannot exceed the limit.
  const counted = await db.emailCode.updateMany({
    where: { id: row.id, consumedAt: null, attempts: { lt: MAX_CODE_ATTEMPTS } },
    data: { attempts: { increment: 1 } },
  });
  if (counted.count === 0) throw new DomainError("RATE_LIMITED", LOCKED, { field: "code" });
  const ok = /^\d{8}$/.test(code) && hexEqual(row.codeHash, codeHash(pepper, input.purpose, input.email, code));
  if (!ok) {
    const locked = row.attempts + 1 >= MAX_CODE_ATTEMPTS;
    throw new DomainError(locked ? "RATE_LIMITED" : "VALIDATION", locked ? LOCKED : INVALID, { field: "code" });
  }
  if (!(await consume(db, row.id, now))) throw new DomainError("VALIDATION", INVALID, { field: "code" });
  return { userId: row.userId, email: input.email, bindingHash: row.bindingHash };
}

/** Checks a link token (`<codeId>.<secret>`) from an email. Single use, same lifetime as the code it came with. */
export async function verifyLinkToken(
  db: PrismaClient,
  input: { purpose: EmailCodePurpose; token: string; now?: Date },
): Promise<{ userId: string | null; email: string }> {
  const now = input.now ?? new Date();
  const match = /^([0-9a-f-]{36})\.([a-z2-7]{52})$/.exec(input.token);
  if (!match) throw new DomainError("VALIDATION", "This link is not valid. Please ask for a new one.");
  const row = await db.emailCode.findUnique({
    where: { id: match[1]! },
    select: {
      id: true,
      purpose: true,
      linkTokenHash: true,
      consumedAt: true,
      expiresAt: true,
      userId: true,
      email: true,
    },
  });
  if (
    !row ||
    row.purpose !== input.purpose ||
    !row.linkTokenHash ||
    !hexEqual(row.linkTokenHash, sha256Hex(match[2]!)) ||
    row.consumedAt ||
    row.expiresAt <= now
  ) {
    throw new DomainError("VALIDATION", "This link has expired or was already used. Please ask for a new one.");
  }
  if (!(await consume(db, row.id, now))) throw new DomainError("VALIDATION", "This link was already used.");
  return { userId: row.userId, email: row.email };
}
