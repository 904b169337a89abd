// Helpers shared by the booking routes: the viewer's time zone, slot lists for display, notification deps.
import type { AppLoadContext } from "@remix-run/node";
import { nextSlotsForExperts, type NotificationDeps, deps } from "~/core.server";
import { dayKey, formatDate, formatSession, formatTime, minuteOfDay, type Viewer } from "~/utils/time";

export interface DaySlots {
  /** The viewer's local day, YYYY-MM-DD (a key, never shown). */
  day: string;
  /** "Wednesday, 2 December 2026" in the viewer's locale. */
  date: string;
  slots: { startsAt: string; time: string; label: string; daytime: boolean }[];
}

/** Local daytime, when most people can talk: 08:00 to 21:00 on the viewer's clock. */
export const DAYTIME = { from: 8 * 60, to: 21 * 60 } as const;
export const isDaytime = (d: Date, tz: string) => {
  const m = minuteOfDay(d, tz);
  return m >= DAYTIME.from && m < DAYTIME.to;
};

/** The expert's bookable slots for the next `days` days, grouped by day in the viewer's zone and locale. */
export async function slotsByDay(
  context: AppLoadContext,
  expertId: string,
  viewer: Viewer,
  days = 14,
  limit = 60,
): Promise<DaySlots[]> {
  const now = new Date();
  const slots =
    (
      await nextSlotsForExperts(deps(context).db, [expertId], {
        from: now,
        to: new Date(now.getTime() + days * 86_400_000),
        now,
        limitPerExpert: limit,
      })
    ).get(expertId) ?? [];
  const grouped = new Map<string, DaySlots>();
  for (const slot of slots) {
    const key = dayKey(slot.startsAt, viewer.tz);
    const day = grouped.get(key) ?? { day: key, date: formatDate(slot.startsAt, viewer), slots: [] };
    day.slots.push({
      startsAt: slot.startsAt.toISOString(),
      time: formatTime(slot.startsAt, viewer),
      label: formatSession(slot.startsAt, slot.endsAt, viewer),
      daytime: isDaytime(slot.startsAt, viewer.tz),
    });
    grouped.set(key, day);
  }
  return [...grouped.values()];
}

export function notificationDeps(context: AppLoadContext): NotificationDeps {
  return deps(context);
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
