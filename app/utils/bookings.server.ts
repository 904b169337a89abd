// Helpers shared by the booking routes: the viewer's time zone, slot lists for display, notification deps.
import type { AppLoadContext } from "@remix-run/node";
import { formatSlot, isValidTimeZone, nextSlotsForExperts, type NotificationDeps } from "~/core.server";

/** The zone times are shown in: ?tz= (set from the browser), else the account's, else UTC. */
export function viewerTimeZone(url: URL, accountZone?: string | null): { tz: string; fromBrowser: boolean } {
  const asked = url.searchParams.get("tz");
  if (asked && asked.length <= 64 && isValidTimeZone(asked)) return { tz: asked, fromBrowser: true };
  if (accountZone && isValidTimeZone(accountZone)) return { tz: accountZone, fromBrowser: false };
  return { tz: "UTC", fromBrowser: false };
}

export interface DaySlots {
  day: string;
  date: string;
  slots: { startsAt: string; time: string; label: string }[];
}

/** The expert's bookable slots for the next `days` days, grouped by day in the viewer's zone. */
export async function slotsByDay(
  context: AppLoadContext,
  expertId: string,
  tz: string,
  days = 14,
  limit = 60,
): Promise<{ days: DaySlots[]; zoneName: string }> {
  const now = new Date();
  const slots =
    (
      await nextSlotsForExperts(context.services.db.prisma, [expertId], {
        from: now,
        to: new Date(now.getTime() + days * 86_400_000),
        now,
        limitPerExpert: limit,
      })
    ).get(expertId) ?? [];
  const grouped = new Map<string, DaySlots>();
  let zoneName = tz;
  for (const slot of slots) {
    const f = formatSlot(slot, tz);
    zoneName = f.timeZoneName;
    const day = grouped.get(f.dayKey) ?? { day: f.dayKey, date: f.date, slots: [] };
    day.slots.push({ startsAt: slot.startsAt.toISOString(), time: f.time, label: f.label });
    grouped.set(f.dayKey, day);
  }
  return { days: [...grouped.values()], zoneName };
}

export function notificationDeps(context: AppLoadContext): NotificationDeps {
  const s = context.services;
  return { db: s.db.prisma, jobs: s.jobs, appUrl: s.config.appUrl, unsubscribeKey: s.secrets.unsubscribeKey };
}

/** Runs a notification step after the change is committed; a failure is logged, never shown as a failed booking. */
export async function notifyAfter(context: AppLoadContext, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    context.services.logger.error({
      msg: "notification not queued",
      requestId: context.requestId,
      err: error instanceof Error ? error.message : String(error),
    });
  }
}
