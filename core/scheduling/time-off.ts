// An expert's time off (holidays, sickness): no slots are offered inside it. Experts manage only their own.
// Existing bookings inside a new time off stay as they are: the expert cancels them (and the client is told).
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { DomainError, parseInput } from "../errors/index.ts";

const MAX_TIME_OFF_MS = 366 * 24 * 60 * 60_000;

export const timeOffInputSchema = z
  .object({
    startsAt: z.coerce.date({ error: "Choose when your time off starts." }),
    endsAt: z.coerce.date({ error: "Choose when your time off ends." }),
    reason: z.string().trim().max(200, "Use at most 200 characters.").optional(),
  })
  .refine((t) => t.endsAt > t.startsAt, { message: "Time off must end after it starts.", path: ["endsAt"] })
  .refine((t) => t.endsAt.getTime() - t.startsAt.getTime() <= MAX_TIME_OFF_MS, {
    message: "Time off can last at most a year.",
    path: ["endsAt"],
  });

async function requireExpertProfile(db: PrismaClient, expertUserId: string) {
  const profile = await db.expertProfile.findUnique({ where: { userId: expertUserId }, select: { id: true } });
  if (!profile) throw new DomainError("FORBIDDEN", "Only experts have time off to manage.");
  return profile;
}

export async function addTimeOff(db: PrismaClient, expertUserId: string, input: z.input<typeof timeOffInputSchema>) {
  const parsed = parseInput(timeOffInputSchema, input);
  const profile = await requireExpertProfile(db, expertUserId);
  return db.timeOff.create({
    data: {
      expertId: profile.id,
      startsAt: parsed.startsAt,
      endsAt: parsed.endsAt,
      reason: parsed.reason ?? null,
    },
    select: { id: true, startsAt: true, endsAt: true, reason: true },
  });
}

/** The expert's time off that has not ended by `now`, soonest first. */
export async function listTimeOff(db: PrismaClient, expertUserId: string, now: Date = new Date()) {
  return db.timeOff.findMany({
    where: { expert: { userId: expertUserId }, endsAt: { gt: now } },
    orderBy: { startsAt: "asc" },
    select: { id: true, startsAt: true, endsAt: true, reason: true },
  });
}

/** Removes one of the expert's own time-off entries (another expert's id is NOT_FOUND). */
export async function removeTimeOff(
  db: PrismaClient,
  { expertUserId, timeOffId }: { expertUserId: string; timeOffId: string },
): Promise<void> {
  const { count } = await db.timeOff.deleteMany({ where: { id: timeOffId, expert: { userId: expertUserId } } });
  if (count === 0) throw new DomainError("NOT_FOUND", "We could not find this time off.");
}
