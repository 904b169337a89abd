// What the account page shows about its owner, read in one statement (relations joined in) instead of three
// round trips: the photo's version (for its URL), the e-mail choices and the browsing preferences.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { DomainError } from "../errors/index.ts";
import { emailPreferencesSelect, toEmailPreferences, type EmailPreferences } from "../privacy/communications.ts";
import { preferencesQuery, toPreferenceView, type WellnessPreferenceView } from "../scheduling/preferences.ts";

export interface AccountPage {
  /** Changes whenever the photo does (null: no photo). */
  avatarVersion: number | null;
  emailPreferences: EmailPreferences;
  preferences: WellnessPreferenceView[];
}

export async function accountPage(db: PrismaClient, userId: string): Promise<AccountPage> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      ...emailPreferencesSelect,
      avatar: { select: { updatedAt: true } },
      preferences: preferencesQuery,
    },
  });
  if (!user) throw new DomainError("NOT_FOUND", "Account not found.");
  return {
    avatarVersion: user.avatar ? user.avatar.updatedAt.getTime() : null,
    emailPreferences: toEmailPreferences(user),
    preferences: user.preferences.map(toPreferenceView),
  };
}
