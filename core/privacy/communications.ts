// Email preferences and one-click opt-out (privacy promise P24). Three kinds of email:
//   - essential (confirmations of bookings and changes, security notices, sign-in and verification codes): always
//     sent, because the service cannot work safely without them; no unsubscribe link.
//   - reminders (24 h and 1 h before a session): optional, ON by default (User.remindersEnabled).
//   - the newsletter: optional, OFF until the user opts in (User.newsletterEnabled). Every change of the newsletter
//     choice is kept as a Consent row (when, and from where) so the opt-in can be proven (GDPR Art. 7(1)).
// Every non-essential email carries a signed one-click link (core/notifications/unsubscribe.ts) that works signed out.
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { ConsentSource } from "../generated/prisma/enums.ts";
import { DomainError } from "../errors/index.ts";
import { parseUnsubscribeLink, type UnsubscribeList } from "../notifications/unsubscribe.ts";

export interface EmailPreferences {
  reminders: boolean;
  newsletter: boolean;
  /** Name the expert and the topic in booking emails and calendar entries; off = discreet ("Mind Namo session"). */
  details: boolean;
}

/** The defaults a new account gets: reminders on, newsletter off (opt-in), discreet booking emails. */
export const DEFAULT_EMAIL_PREFERENCES: EmailPreferences = { reminders: true, newsletter: false, details: false };

export const emailPreferencesSchema = z.object({
  reminders: z.boolean(),
  newsletter: z.boolean(),
  details: z.boolean().default(false),
});

/** The user's columns behind their e-mail choices; also read with the account in one statement. */
export const emailPreferencesSelect = { remindersEnabled: true, newsletterEnabled: true, emailDetails: true } as const;

export function toEmailPreferences(user: {
  remindersEnabled: boolean;
  newsletterEnabled: boolean;
  emailDetails: boolean;
}): EmailPreferences {
  return { reminders: user.remindersEnabled, newsletter: user.newsletterEnabled, details: user.emailDetails };
}

export async function getEmailPreferences(db: PrismaClient, userId: string): Promise<EmailPreferences> {
  const user = await db.user.findUnique({ where: { id: userId }, select: emailPreferencesSelect });
  if (!user) throw new DomainError("NOT_FOUND", "Account not found.");
  return toEmailPreferences(user);
}

/** Saves the user's own choices; a change of the newsletter choice is recorded with its time and source. */
export async function setEmailPreferences(
  db: PrismaClient,
  userId: string,
  input: z.input<typeof emailPreferencesSchema>,
  source: ConsentSource = "SETTINGS",
  now: Date = new Date(),
): Promise<EmailPreferences> {
  const prefs = emailPreferencesSchema.parse(input);
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: { newsletterEnabled: true } });
    if (!before) throw new DomainError("NOT_FOUND", "Account not found.");
    await tx.user.update({
      where: { id: userId },
      data: { remindersEnabled: prefs.reminders, newsletterEnabled: prefs.newsletter, emailDetails: prefs.details },
      select: { id: true },
    });
    if (before.newsletterEnabled !== prefs.newsletter) {
      await tx.consent.create({
        data: { kind: "NEWSLETTER", given: prefs.newsletter, source, at: now, userId },
        select: { id: true },
      });
    }
    return prefs;
  });
}

export const INVALID_LINK =
  "This unsubscribe link is not valid: it may have been copied incompletely or changed. Nothing " +
  "was changed. You can sign in and change your email settings on your account.";

/**
 * One-click unsubscribe from a signed link, signed out. A forged or altered link is refused (FORBIDDEN) and changes
 * nothing. Unsubscribing twice is fine (the second time changes nothing). Returns the list that was turned off.
 */
export async function unsubscribeWithLink(
  db: PrismaClient,
  key: Uint8Array,
  get: (name: string) => string | null,
  now: Date = new Date(),
): Promise<{ list: UnsubscribeList }> {
  const link = parseUnsubscribeLink(key, get);
  if (!link) throw new DomainError("FORBIDDEN", INVALID_LINK);
  if (link.list === "reminders") {
    await db.user.updateMany({ where: { id: link.userId }, data: { remindersEnabled: false } });
  } else {
    await db.$transaction(async (tx) => {
      const { count } = await tx.user.updateMany({
        where: { id: link.userId, newsletterEnabled: true },
        data: { newsletterEnabled: false },
      });
      if (count === 1)
        await tx.consent.create({
          data: { kind: "NEWSLETTER", given: false, source: "EMAIL_LINK", at: now, userId: link.userId },
          select: { id: true },
        });
    });
  }
  return { list: link.list };
}
