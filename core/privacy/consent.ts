// Consent to anonymous analytics (cookie/analytics banner) and the record of consent choices. The browser keeps the
// current choice in localStorage under `mn.consent.v1` as {"analytics": boolean, "at": ISO string, "source":
// "banner" | "settings"} (read by the usage beacon); the server keeps each choice as a Consent row: the kind, the
// choice, when and from where, and the user id only when the person is signed in. Nothing else: no IP address, no
// user agent, no cookie (privacy promise P8: the session cookie is the only cookie).
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { ConsentKind, ConsentSource } from "../generated/prisma/enums.ts";

export const CONSENT_STORAGE_KEY = "mn.consent.v1";

/** What the browser posts: the same shape it stores. `at` is the browser's clock; the server records its own. */
export const consentInputSchema = z.object({
  analytics: z.boolean(),
  source: z.enum(["banner", "settings"]),
});
export type ConsentInput = z.infer<typeof consentInputSchema>;

const SOURCES: Record<ConsentInput["source"], ConsentSource> = { banner: "BANNER", settings: "SETTINGS" };

/** Records an analytics choice. `userId` only for a signed-in person; a visitor's row identifies nobody. */
export async function recordAnalyticsConsent(
  db: PrismaClient,
  input: ConsentInput,
  userId: string | null,
  now: Date = new Date(),
) {
  const parsed = consentInputSchema.parse(input);
  return db.consent.create({
    data: { kind: "ANALYTICS", given: parsed.analytics, source: SOURCES[parsed.source], at: now, userId },
    select: { id: true, kind: true, given: true, source: true, at: true },
  });
}

export interface ConsentRecord {
  kind: ConsentKind;
  given: boolean;
  source: ConsentSource;
  at: Date;
}

/** A signed-in person's own consent history, newest first. */
export async function listOwnConsents(db: PrismaClient, userId: string, limit = 100): Promise<ConsentRecord[]> {
  return db.consent.findMany({
    where: { userId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(limit, 1), 500),
    select: { kind: true, given: true, source: true, at: true },
  });
}
