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

/** One day of free slots in the viewer's zone, not yet written out. */
export interface SlotDay {
  /** The viewer's local day, YYYY-MM-DD. */
  day: string;
  slots: { startsAt: Date; endsAt: Date }[];
}

/** The expert's bookable slots for the next `days` days, grouped by the viewer's local day. */
export async function slotDays(
  context: AppLoadContext,
  expertId: string,
  viewer: Viewer,
  days = 14,
  limit = 60,
): Promise<SlotDay[]> {
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
  return groupByDay(slots, viewer);
}

/** Slots grouped by the viewer's local day, in order. */
export function groupByDay(slots: readonly { startsAt: Date; endsAt: Date }[], viewer: Viewer): SlotDay[] {
  const grouped = new Map<string, SlotDay>();
  for (const slot of slots) {
    const key = dayKey(slot.startsAt, viewer.tz);
    let day = grouped.get(key);
    if (!day) {
      day = { day: key, slots: [] };
      grouped.set(key, day);
    }
    day.slots.push({ startsAt: slot.startsAt, endsAt: slot.endsAt });
  }
  return [...grouped.values()];
}

/** A day's slots written for the viewer (only for the days a page shows: formatting is most of a slot's cost). */
export function describeDay(day: SlotDay, viewer: Viewer): DaySlots {
  const first = day.slots[0];
  return {
    day: day.day,
    date: first ? formatDate(first.startsAt, viewer) : day.day,
    slots: day.slots.map((slot) => ({
      startsAt: slot.startsAt.toISOString(),
      time: formatTime(slot.startsAt, viewer),
      label: formatSession(slot.startsAt, slot.endsAt, viewer),
      daytime: isDaytime(slot.startsAt, viewer.tz),
    })),
  };
}

/** The expert's bookable slots for the next `days` days, every day written for the viewer. */
export async function slotsByDay(
  context: AppLoadContext,
  expertId: string,
  viewer: Viewer,
  days = 14,
  limit = 60,
): Promise<DaySlots[]> {
  return (await slotDays(context, expertId, viewer, days, limit)).map((day) => describeDay(day, viewer));
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
