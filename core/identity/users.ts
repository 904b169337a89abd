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
