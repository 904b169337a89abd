import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { DomainError, isUniqueViolation } from "../errors/index.ts";
import { hashPassword, passwordSchema } from "./password.ts";
import { timeZoneSchema } from "../scheduling/time-zone.ts";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address."));

/**
 * Addresses under the reserved `.invalid` top-level domain (RFC 2606) can never receive mail; the placeholder
 * accounts for erased clients and experts live there. No sign-up, email change, invitation or new account may
 * take one.
 */
export const isReservedEmail = (email: string) => /\.invalid$/i.test(email.trim());

/** An address a new or changed account may take: valid, and not a reserved placeholder address. */
export const newAccountEmailSchema = emailSchema.refine(
  (email) => !isReservedEmail(email),
  "Use an email address that can receive mail.",
);

export const nameSchema = z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters.");

export const newUserSchema = z.object({
  email: newAccountEmailSchema,
  name: nameSchema,
  password: passwordSchema.optional(),
  role: z.enum(["USER", "EXPERT", "SUPPORT", "DPO", "ADMIN"]).default("USER"),
  emailVerified: z.boolean().default(false),
  timezone: timeZoneSchema.default("UTC"),
});
export type NewUser = z.input<typeof newUserSchema>;

/** Creates an account. Used by sign-up and by the seed, so both follow the same rules. */
export async function createUser(db: PrismaClient, input: NewUser) {
  const parsed = newUserSchema.parse(input);
  const passwordHash = parsed.password ? await hashPassword(parsed.password) : null;
  try {
    return await db.user.create({
      data: {
        email: parsed.email,
        name: parsed.name,
        passwordHash,
        role: parsed.role,
        timezone: parsed.timezone,
        emailVerifiedAt: parsed.emailVerified ? new Date() : null,
      },
      select: { id: true, email: true, name: true, role: true },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("CONFLICT", "An account with this email already exists.");
    throw error;
  }
}

/**
 * The account's zone becomes `timezone` (the zone the person saw the times in: emails use it). An invalid zone
 * changes nothing. With `onlyIfDefault`, only an account still on the column's default, UTC, takes it (a new
 * account adopting the browser's zone must not overwrite a zone the person chose).
 */
export async function setAccountTimeZone({
  db,
  userId,
  timezone,
  onlyIfDefault = false,
}: {
  db: PrismaClient;
  userId: string;
  timezone: string;
  onlyIfDefault?: boolean;
}): Promise<boolean> {
  const zone = timeZoneSchema.safeParse(timezone);
  if (!zone.success) return false;
  const { count } = await db.user.updateMany({
    where: { id: userId, ...(onlyIfDefault ? { timezone: "UTC" } : {}) },
    data: { timezone: zone.data },
  });
  return count > 0;
}

/** Display names of accounts by id (for the audit trail's actors); unknown ids are left out. */
export async function namesByUserId({ db, ids }: { db: PrismaClient; ids: string[] }): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const people = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(people.map((p) => [p.id, p.name]));
}

/** An account's role, or null when there is no such account. */
export async function roleOf({ db, userId }: { db: PrismaClient; userId: string }) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { role: true } });
  return user?.role ?? null;
}

/** The account with this (normalized) email, as the staff screen shows it, or null. */
export async function findAccountByEmail({ db, email }: { db: PrismaClient; email: string }) {
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, name: true, email: true, role: true, status: true },
  });
  return user ?? null;
}
