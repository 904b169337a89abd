import { z } from "zod";
import { formatSlot, nextSlotsForExperts } from "~/core.server";

/**
 * The directory's query string, each value bounded; a bad value falls back to "no filter". Kept on the server:
 * a schema built at the top of a route module stays in that route's browser bundle, and zod with it (~90 KB gzip).
 */
export const directoryQuery = z.object({
  q: z.string().trim().max(100).catch(""),
  category: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/)
    .optional()
    .catch(undefined),
  language: z.string().trim().min(2).max(40).optional().catch(undefined),
  available: z.enum(["week"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});

/**
 * When each expert is free next, in words for the viewer. With a known zone (the page's ?tz= or the account's) the
 * day and time in that zone; without one, how soon ("within a day", "in 3 days") — never a clock time in a zone
 * the viewer did not choose. One query for all experts of the page.
 */
export async function nextFree(
  db: Parameters<typeof nextSlotsForExperts>[0],
  expertIds: string[],
  tz: string | null,
): Promise<Map<string, { label: string } | null>> {
  const now = new Date();
  const slots = await nextSlotsForExperts(db, expertIds, {
    from: now,
    to: new Date(now.getTime() + 14 * 86_400_000),
    now,
    limitPerExpert: 1,
  });
  const out = new Map<string, { label: string } | null>();
  for (const id of expertIds) {
    const first = slots.get(id)?.[0];
    if (!first) {
      out.set(id, null);
      continue;
    }
    if (tz) {
      const f = formatSlot(first, tz);
      out.set(id, { label: `${f.date}, ${f.time.split("–")[0]}` });
    } else {
      const hours = (first.startsAt.getTime() - now.getTime()) / 3_600_000;
      const days = Math.ceil(hours / 24);
      out.set(id, { label: hours < 24 ? "within a day" : `in ${days} days` });
    }
  }
  return out;
}
