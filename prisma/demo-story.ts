// What a person trying the product finds in it on a fresh demo: a little history, so no page they open is empty
// for lack of a past. Dana Demo has a session booked and two behind her (one reviewed, one waiting for feedback)
// and a question support answered; Dr. Amara Okafor's workspace has clients booked; the support console has a
// small queue and the DPO's desk one request. Written the way the product writes it: past sessions are settled by
// core's own settlement (both participants joined the room), the review goes through core's review rules. Only a
// fresh demo database gets it (prisma/seed.ts `seedDemoDatabase`); tests and browser journeys seed their own worlds.
import crypto from "node:crypto";
import type { PrismaClient } from "../core/generated/prisma/client.ts";
import { submitReview } from "../core/feedback/reviews.ts";
import { createUser } from "../core/identity/users.ts";
import { settleBooking } from "../core/rooms/service.ts";
import { bookingSpan } from "../core/scheduling/slots.ts";
import { addDays, localDateOf, weekdayOf, zonedToUtc } from "../core/scheduling/zoned-time.ts";
import { dueTimes } from "../core/support/tickets.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Fictional clients of the demo (no password: nobody signs in as them). */
export const DEMO_CLIENTS = [
  { email: "jonas.weber@clients.mindnamo.test", name: "Jonas Weber", timezone: "Europe/Berlin" },
  { email: "hana.sato@clients.mindnamo.test", name: "Hana Sato", timezone: "Asia/Tokyo" },
  { email: "tomas.silva@clients.mindnamo.test", name: "Tomás Silva", timezone: "Europe/Lisbon" },
] as const;

/**
 * The start of a weekday session `daysFrom` days from `now` (moved on to the next Monday–Friday) at `hour` in the
 * expert's zone: inside the demo experts' working hours.
 */
function weekdayAt(now: Date, daysFrom: number, hour: number, timeZone: string): Date {
  let day = addDays(localDateOf(now, timeZone), daysFrom);
  while (weekdayOf(day) === 0 || weekdayOf(day) === 6) day = addDays(day, daysFrom >= 0 ? 1 : -1);
  return zonedToUtc(day, hour * 60, timeZone);
}

const EXPERT = { id: true, userId: true, sessionMinutes: true, bufferMinutes: true } as const;
type Expert = { id: string; userId: string; sessionMinutes: number; bufferMinutes: number };

export async function seedDemoStory(db: PrismaClient, now = new Date()): Promise<void> {
  const [dana, support, amara, elise, categories] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { email: "demo@mindnamo.test" }, select: { id: true } }),
    db.user.findUniqueOrThrow({ where: { email: "support@mindnamo.test" }, select: { id: true } }),
    db.expertProfile.findUniqueOrThrow({ where: { slug: "amara-okafor" }, select: EXPERT }),
    db.expertProfile.findUniqueOrThrow({ where: { slug: "elise-dubois" }, select: EXPERT }),
    db.category.findMany({ select: { id: true, slug: true } }),
  ]);
  const category = (slug: string) => categories.find((c) => c.slug === slug)!.id;
  const clients: string[] = [];
  for (const c of DEMO_CLIENTS) clients.push((await createUser(db, { ...c, emailVerified: true })).id);
  // They joined before their history began (the console's requester panel says "member since").
  await db.user.updateMany({
    where: { id: { in: [dana.id, ...clients] } },
    data: { createdAt: new Date(now.getTime() - 60 * DAY) },
  });

  const book = async (userId: string, expert: Expert, categorySlug: string, startsAt: Date): Promise<string> => {
    const b = await db.booking.create({
      data: {
        userId,
        expertId: expert.id,
        categoryId: category(categorySlug),
        // The same span the booking page would have kept free: the expert's session length and buffer.
        ...bookingSpan(expert, startsAt),
        roomName: `mn-${crypto.randomBytes(16).toString("hex")}`,
        createdAt: new Date(Math.min(now.getTime(), startsAt.getTime()) - 6 * DAY),
      },
      select: { id: true },
    });
    return b.id;
  };
  /** A past session both people joined, settled as the product settles it after the room closes. */
  const took = async (userId: string, expert: Expert, slug: string, startsAt: Date) => {
    const id = await book(userId, expert, slug, startsAt);
    const { endsAt } = bookingSpan(expert, startsAt);
    for (const who of [userId, expert.userId])
      await db.sessionPresence.create({
        data: {
          bookingId: id,
          userId: who,
          participantSid: `PA_${crypto.randomBytes(6).toString("hex")}`,
          joinedAt: new Date(startsAt.getTime() + MIN),
          leftAt: new Date(endsAt.getTime() - MIN),
        },
        select: { id: true },
      });
    await settleBooking(db, id, new Date(startsAt.getTime() + 2 * HOUR));
    return id;
  };

  // Dana: a session with Amara three days ahead, one with her two weeks ago (reviewed), one with Élise last week
  // (no feedback yet).
  await book(dana.id, amara, "anxiety", weekdayAt(now, 3, 11, "Africa/Lagos"));
  const reviewed = await took(dana.id, amara, "anxiety", weekdayAt(now, -14, 10, "Africa/Lagos"));
  await took(dana.id, elise, "mindfulness", weekdayAt(now, -6, 10, "Europe/Paris"));
  const noMail = { enqueue: () => {} };
  await submitReview(
    { db, mail: noMail, now: () => new Date(now.getTime() - 13 * DAY) },
    {
      userId: dana.id,
      bookingId: reviewed,
      rating: 5,
      comment: "I felt listened to from the first minute. We made a plan for the hard mornings that I can keep.",
    },
  );
  // Amara's other clients: two coming up, one she saw last week.
  await book(clients[0]!, amara, "trauma", weekdayAt(now, 1, 13, "Africa/Lagos"));
  await book(clients[1]!, amara, "anxiety", weekdayAt(now, 4, 9, "Africa/Lagos"));
  await took(clients[2]!, amara, "anxiety", weekdayAt(now, -5, 14, "Africa/Lagos"));

  // Support: Dana's answered question, and a small queue for the console.
  const ticket = async (t: {
    requesterId: string;
    subject: string;
    category: "ACCOUNT" | "BOOKING" | "TECHNICAL";
    hoursAgo: number;
    body: string;
    reply?: string;
    status: "NEW" | "OPEN" | "RESOLVED";
    assigned: boolean;
    priority?: "NORMAL" | "HIGH";
  }) => {
    const createdAt = new Date(now.getTime() - t.hoursAgo * HOUR);
    const repliedAt = new Date(createdAt.getTime() + 3 * HOUR);
    const priority = t.priority ?? "NORMAL";
    await db.supportTicket.create({
      data: {
        requesterId: t.requesterId,
        subject: t.subject,
        category: t.category,
        channel: "WEB",
        status: t.status,
        priority,
        assigneeId: t.assigned ? support.id : null,
        createdAt,
        updatedAt: t.reply ? repliedAt : createdAt,
        ...dueTimes(createdAt, priority),
        firstRespondedAt: t.reply ? repliedAt : null,
        resolvedAt: t.status === "RESOLVED" ? repliedAt : null,
        messages: {
          create: [
            { authorId: t.requesterId, body: t.body, createdAt },
            ...(t.reply ? [{ authorId: support.id, fromStaff: true, body: t.reply, createdAt: repliedAt }] : []),
          ],
        },
      },
      select: { id: true },
    });
  };
  const queue: Parameters<typeof ticket>[0][] = [
    {
      requesterId: dana.id,
      subject: "Can I move my session to the evening?",
      category: "BOOKING",
      hoursAgo: 50,
      body: "My working hours changed. Is it possible to move my next session with Dr. Okafor to an evening?",
      reply:
        "Hi Dana, you can move it yourself from My sessions (Reschedule), up to 24 hours before it starts. " +
        "Dr. Okafor's last sessions end at 3 pm Lagos time; Lukas Brenner has evening times on Tuesdays and " +
        "Thursdays if that suits you better.",
      status: "RESOLVED",
      assigned: true,
    },
    {
      requesterId: clients[0]!,
      subject: "Camera not found in the session room",
      category: "TECHNICAL",
      hoursAgo: 2,
      body: "When I open the room my browser says no camera was found, but it works in other apps. I use Firefox.",
      status: "NEW",
      assigned: false,
      priority: "HIGH",
    },
    {
      requesterId: clients[1]!,
      subject: "Can my partner join my session?",
      category: "BOOKING",
      hoursAgo: 20,
      body: "We are working on the same worry. Can my partner sit in on my next session, or should we book another?",
      status: "OPEN",
      assigned: true,
    },
    {
      requesterId: clients[2]!,
      subject: "Change the email address on my account",
      category: "ACCOUNT",
      hoursAgo: 30,
      body: "I no longer use this address. How do I change it without losing my sessions?",
      status: "NEW",
      assigned: false,
    },
  ];
  for (const t of queue) await ticket(t);

  // The replies the team keeps at hand (the console's canned replies).
  await db.cannedReply.createMany({
    data: [
      {
        title: "Camera or microphone not found",
        body:
          "Thank you for telling us. Please allow the camera and microphone for this site in your browser's " +
          "settings (the lock icon next to the address), close other apps that use them, and open the room " +
          "again. If it still fails, tell us your browser and its version and we will look into it with you.",
      },
      {
        title: "Moving a session",
        body:
          "You can move a session yourself from My sessions (Reschedule), up to 24 hours before it starts; " +
          "the times shown are your expert's free ones, in your time zone.",
      },
    ],
  });

  // The DPO's desk: a copy of their data asked for by one of the clients, due in 30 days.
  const received = new Date(now.getTime() - 1 * DAY);
  await db.privacyRequest.create({
    data: {
      userId: clients[2]!,
      type: "ACCESS",
      status: "PENDING",
      details: "Please send me everything you hold about me, including my session history.",
      receivedAt: received,
      dueAt: new Date(received.getTime() + 30 * DAY),
    },
    select: { id: true },
  });
}
