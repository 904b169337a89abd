// Explicit consent to process health data (GDPR Art. 9(2)(a)). The wellness topic of a booking ("Low Mood &
// Depression", "Trauma Recovery") and the topics and experts a person browses say something about their health, so
// we ask for a separate, explicit consent — never bundled with the terms — before the first booking and before any
// wellness preference is counted. Each choice is a Consent row (kind HEALTH_DATA) with the version of the text the
// person saw. Withdrawing stops the counting and deletes the preferences at once; bookings stay, because the
// service (and, after a session, our accountability) needs them: the privacy center says so. docs/dpia.md.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { ConsentSource } from "../generated/prisma/enums.ts";
import { DomainError } from "../errors/index.ts";

/** Bump the version whenever the text changes: every record names the version its person agreed to. */
export const HEALTH_CONSENT_VERSION = "2026-12-02";
export const HEALTH_CONSENT_TEXT =
  "I explicitly agree that Mind Namo processes health information about me: the wellness topics I choose for my " +
  "sessions, and the topics and experts I look at, to book and hold my sessions and recommend experts. I can " +
  "withdraw this at any time in my privacy center.";

export const HEALTH_CONSENT_NEEDED =
  "Please give your explicit consent to the processing of your health information before booking.";

export interface HealthConsentState {
  given: boolean;
  /** When the current choice was made; null when the person never chose. */
  at: Date | null;
  textVersion: string | null;
}

/** The person's current choice: their latest HEALTH_DATA record (none means not given). */
export async function healthConsentState(db: PrismaClient, userId: string): Promise<HealthConsentState> {
  const row = await db.consent.findFirst({
    where: { userId, kind: "HEALTH_DATA" },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { given: true, at: true, textVersion: true },
  });
  return row
    ? { given: row.given, at: row.at, textVersion: row.textVersion }
    : { given: false, at: null, textVersion: null };
}

export async function hasHealthConsent(db: PrismaClient, userId: string): Promise<boolean> {
  return (await healthConsentState(db, userId)).given;
}

/** Throws PRECONDITION (with field healthConsent) when the person has not given it. */
export async function requireHealthConsent(db: PrismaClient, userId: string): Promise<void> {
  if (!(await hasHealthConsent(db, userId))) {
    throw new DomainError("PRECONDITION", HEALTH_CONSENT_NEEDED, { field: "healthConsent" });
  }
}

/** Records the explicit consent with the text version shown. Idempotent: an existing consent is not repeated. */
export async function giveHealthConsent(
  db: PrismaClient,
  userId: string,
  source: Extract<ConsentSource, "BOOKING" | "SETTINGS">,
  now: Date = new Date(),
): Promise<HealthConsentState> {
  const current = await healthConsentState(db, userId);
  if (current.given && current.textVersion === HEALTH_CONSENT_VERSION) return current;
  await db.consent.create({
    data: { kind: "HEALTH_DATA", given: true, source, at: now, userId, textVersion: HEALTH_CONSENT_VERSION },
    select: { id: true },
  });
  return { given: true, at: now, textVersion: HEALTH_CONSENT_VERSION };
}

/**
 * Withdraws the consent: records the withdrawal and deletes every wellness preference in one transaction (nothing
 * is counted from then on: recordPreference checks the consent). Bookings are kept. Returns how many preference
 * rows were deleted.
 */
export async function withdrawHealthConsent(
  db: PrismaClient,
  userId: string,
  now: Date = new Date(),
): Promise<{ deletedPreferences: number }> {
  return db.$transaction(async (tx) => {
    await tx.consent.create({
      data: {
        kind: "HEALTH_DATA",
        given: false,
        source: "SETTINGS",
        at: now,
        userId,
        textVersion: HEALTH_CONSENT_VERSION,
      },
      select: { id: true },
    });
    const { count } = await tx.wellnessPreference.deleteMany({ where: { userId } });
    return { deletedPreferences: count };
  });
}
