// The expert workspace core against a real database (PGlite in memory, or a fresh database on the server with
// TEST_DATABASE_URL): each expert changes only their own profile, weekly windows and time off; validation names
// the field and says what to do; weekly windows are local times in the expert's zone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDomainError } from "../errors/index.ts";
import { countQueries } from "../platform/testing/query-count.ts";
import { createUser } from "../identity/users.ts";
import { nextSlotsForExperts } from "../scheduling/schedule.ts";
import { listTimeOff, removeTimeOff } from "../scheduling/time-off.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { createTestExpert } from "../platform/testing/experts.ts";
import {
  addAvailabilityRule,
  addLocalTimeOff,
  getExpertSessionsPage,
  getExpertWorkspace,
  listExpertBookings,
  listAvailability,
  MAX_AVAILABILITY_RULES,
  normaliseTimeZone,
  removeAvailabilityRule,
  replaceAvailability,
  updateExpertProfile,
} from "./expert-workspace.ts";
import { createCategory } from "./index.ts";

let t: TestDatabase;
const db = () => t.db.prisma;

async function expert(slug: string, timezone = "Europe/London") {
  return createTestExpert(db(), slug, {
    timezone,
    categorySlugs: ["anxiety"],
    availability: [{ weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60 }],
  });
}

/** The refusal a promise rejects with. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message, field: error.details?.field };
    throw error;
  }
  throw new Error("expected a refusal");
}

const validProfile = {
  headline: "Gentle support for anxious minds",
  bio: "Fifteen years of helping people find calm in busy lives.",
  languages: "English, Hindi",
  timezone: "Asia/Kolkata",
  sessionMinutes: "45",
  bufferMinutes: "15",
  minNoticeHours: "6",
  cancelWindowHours: "12",
};

let ana: Awaited<ReturnType<typeof expert>>;
let ben: Awaited<ReturnType<typeof expert>>;

beforeAll(async () => {
  t = await createTestDatabase();
  await createCategory(db(), { slug: "anxiety", name: "Anxiety", description: "Support for anxiety and worry." });
  ana = await expert("ana");
  ben = await expert("ben");
});
afterAll(async () => {
  await t?.cleanup();
});

describe("the expert's profile", () => {
  it("reads the expert's own settings", async () => {
    const p = await getExpertWorkspace(db(), ana.userId);
    expect(p).toEqual({
      id: ana.id,
      slug: "ana",
      name: "Expert ana",
      headline: "Listens well and helps",
      bio: "A calm, experienced practitioner who has helped many people.",
      languages: ["English"],
      timezone: "Europe/London",
      sessionMinutes: 50,
      bufferMinutes: 10,
      minNoticeHours: 12,
      cancelWindowHours: 24,
      published: true,
    });
  });

  it("an account without an expert profile, or no longer an active expert, gets FORBIDDEN", async () => {
    const user = await createUser(db(), { email: "plain@example.com", name: "Plain User", emailVerified: true });
    expect(await refusal(getExpertWorkspace(db(), user.id))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(updateExpertProfile(db(), user.id, validProfile))).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await refusal(addAvailabilityRule(db(), user.id, { weekday: 1, start: "09:00", end: "10:00" })),
    ).toMatchObject({ code: "FORBIDDEN" });

    const demoted = await expert("demoted");
    await db().user.update({ where: { id: demoted.userId }, data: { role: "USER" } });
    expect(await refusal(getExpertWorkspace(db(), demoted.userId))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(updateExpertProfile(db(), demoted.userId, validProfile))).toMatchObject({ code: "FORBIDDEN" });
    expect(await listAvailability(db(), demoted.userId)).toEqual([]);
    const suspended = await expert("suspended");
    await db().user.update({ where: { id: suspended.userId }, data: { status: "SUSPENDED" } });
    expect(await refusal(getExpertWorkspace(db(), suspended.userId))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("saves every setting from the form's text, and touches no other expert", async () => {
    const benBefore = await getExpertWorkspace(db(), ben.userId);
    const saved = await updateExpertProfile(db(), ana.userId, {
      ...validProfile,
      headline: "  Gentle support for anxious minds  ",
      languages: "English, Hindi; english,  Tamil ",
    });
    expect(saved).toMatchObject({
      headline: "Gentle support for anxious minds",
      bio: "Fifteen years of helping people find calm in busy lives.",
      languages: ["English", "Hindi", "Tamil"],
      timezone: "Asia/Kolkata",
      sessionMinutes: 45,
      bufferMinutes: 15,
      minNoticeHours: 6,
      cancelWindowHours: 12,
      published: true,
    });
    expect(await getExpertWorkspace(db(), ana.userId)).toEqual(saved);
    expect(await getExpertWorkspace(db(), ben.userId)).toEqual(benBefore);
    // Numbers are accepted as numbers too (the API shape).
    const again = await updateExpertProfile(db(), ana.userId, {
      ...validProfile,
      languages: ["English"],
      timezone: "Europe/London",
      sessionMinutes: 50,
      bufferMinutes: 10,
      minNoticeHours: 12,
      cancelWindowHours: 24,
    });
    expect(again).toMatchObject({ languages: ["English"], timezone: "Europe/London", sessionMinutes: 50 });
  });

  it("refuses invalid values with a message naming the field, and changes nothing", async () => {
    const before = await getExpertWorkspace(db(), ana.userId);
    const cases: [Partial<Record<keyof typeof validProfile, string>>, string, RegExp][] = [
      [{ headline: "Hi" }, "headline", /at least 5 characters/],
      [{ headline: "" }, "headline", /at least 5 characters/],
      [{ bio: "Too short." }, "bio", /at least 20 characters/],
      [{ languages: " , ;" }, "languages", /at least one language/],
      [{ languages: "E" }, "languages", /language's name/],
      [{ timezone: "Mars/Olympus_Mons" }, "timezone", /not a time zone we know/],
      [{ timezone: "EST" }, "timezone", /not a time zone we know/],
      [{ timezone: "+05:30" }, "timezone", /not a time zone we know/],
      [{ timezone: "" }, "timezone", /Enter your time zone/],
      [{ sessionMinutes: "10" }, "sessionMinutes", /from 15 to 180/],
      [{ sessionMinutes: "45.5" }, "sessionMinutes", /whole number of minutes from 15 to 180/],
      [{ sessionMinutes: "forty" }, "sessionMinutes", /whole number/],
      [{ sessionMinutes: "" }, "sessionMinutes", /Enter the session length/],
      [{ bufferMinutes: "-5" }, "bufferMinutes", /from 0 to 120/],
      [{ minNoticeHours: "1000" }, "minNoticeHours", /hours from 0 to 720/],
      [{ cancelWindowHours: "" }, "cancelWindowHours", /Enter the cancellation window/],
    ];
    for (const [change, field, message] of cases) {
      const r = await refusal(updateExpertProfile(db(), ana.userId, { ...validProfile, ...change }));
      expect(r.code, JSON.stringify(change)).toBe("VALIDATION");
      expect(r.field, JSON.stringify(change)).toBe(field);
      expect(r.message, JSON.stringify(change)).toMatch(message);
    }
    expect(await getExpertWorkspace(db(), ana.userId)).toEqual(before);
  });

  it("time zones: IANA names only, spelled as the database spells them", () => {
    expect(normaliseTimeZone("Europe/London")).toBe("Europe/London");
    expect(normaliseTimeZone(" europe/london ")).toBe("Europe/London");
    expect(normaliseTimeZone("America/Argentina/Buenos_Aires")).toBe("America/Argentina/Buenos_Aires");
    expect(normaliseTimeZone("asia/kolkata")).toBe("Asia/Kolkata");
    expect(normaliseTimeZone("utc")).toBe("UTC");
    for (const bad of [
      "",
      "EST",
      "GMT+5",
      "+05:30",
      "Europe/Atlantis",
      "Europe",
      "../etc/passwd",
      "Europe/London/Extra/Deep",
      "Europe/London;DROP",
    ]) {
      expect(normaliseTimeZone(bad), bad).toBeNull();
    }
  });
});

describe("the sessions page", () => {
  it("is the profile and both lists as the separate reads give them, in two statements, own sessions only", async () => {
    // Experts of their own: the sessions below would take times the availability tests expect free.
    const own = await expert("sessions-page-a");
    const other = await expert("sessions-page-b");
    const client = await createUser(db(), {
      email: "page-client@example.com",
      name: "Pat Client",
      emailVerified: true,
    });
    const category = await db().category.findUniqueOrThrow({ where: { slug: "anxiety" }, select: { id: true } });
    const now = new Date();
    const HOUR = 3_600_000;
    let n = 0;
    const book = (expertId: string, hoursFromNow: number) =>
      db().booking.create({
        data: {
          userId: client.id,
          expertId,
          categoryId: category.id,
          startsAt: new Date(now.getTime() + hoursFromNow * HOUR),
          endsAt: new Date(now.getTime() + hoursFromNow * HOUR + 50 * 60_000),
          blockedUntil: new Date(now.getTime() + hoursFromNow * HOUR + 60 * 60_000),
          roomName: `page-room-${++n}`,
        },
      });
    for (const h of [30, 6, 54, -20, -70]) await book(own.id, h);
    await book(other.id, 10);
    await book(other.id, -10);

    const { result: page, queries } = await countQueries(() =>
      getExpertSessionsPage(db(), own.userId, { upcoming: 2, past: 5 }, now),
    );
    expect(queries).toBe(2);
    expect(page.profile).toEqual(await getExpertWorkspace(db(), own.userId));
    expect(page.upcoming).toEqual(await listExpertBookings(db(), own.userId, { when: "upcoming", take: 2 }, now));
    expect(page.past).toEqual(await listExpertBookings(db(), own.userId, { when: "past", take: 5 }, now));
    // Soonest first, cut at two; latest past first; the other expert's sessions nowhere; first names only.
    expect(page.upcoming.map((b) => b.startsAt.getTime() - now.getTime())).toEqual([6 * HOUR, 30 * HOUR]);
    expect(page.past.map((b) => b.startsAt.getTime() - now.getTime())).toEqual([-20 * HOUR, -70 * HOUR]);
    expect(page.upcoming.every((b) => b.clientName === "Pat")).toBe(true);

    const notExpert = await createUser(db(), { email: "page-user@example.com", name: "Una User", emailVerified: true });
    expect(await refusal(getExpertSessionsPage(db(), notExpert.id, { upcoming: 2, past: 5 }, now))).toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("weekly availability", () => {
  it("adds windows in the expert's own time zone, lists them by day and time, and offers slots from them", async () => {
    const cara = await expert("cara", "Asia/Kolkata");
    const sat = await addAvailabilityRule(db(), cara.userId, { weekday: "6", start: "10:00", end: "12:00" });
    expect(sat).toMatchObject({ weekday: 6, startMinute: 600, endMinute: 720 });
    const sun = await addAvailabilityRule(db(), cara.userId, { weekday: 0, start: "18:00", end: "00:00" }); // until midnight
    expect(sun).toMatchObject({ weekday: 0, startMinute: 1080, endMinute: 1440 });
    // Touching windows are fine; so are the same hours on another day.
    await addAvailabilityRule(db(), cara.userId, { weekday: "6", start: "12:00:00", end: "13:30" });
    await addAvailabilityRule(db(), cara.userId, { weekday: 5, start: "10:00", end: "12:00" });
    expect((await listAvailability(db(), cara.userId)).map((r) => [r.weekday, r.startMinute, r.endMinute])).toEqual([
      [0, 1080, 1440],
      [1, 540, 720],
      [5, 600, 720],
      [6, 600, 720],
      [6, 720, 810],
    ]);
    // Saturday 5 June 2027, 10:00 in Kolkata is 04:30 UTC.
    const now = new Date("2027-06-01T00:00:00Z");
    const slots = await nextSlotsForExperts(db(), [cara.id], {
      from: new Date("2027-06-05T00:00:00Z"),
      to: new Date("2027-06-05T12:00:00Z"),
      now,
    });
    expect(slots.get(cara.id)?.[0]?.startsAt.toISOString()).toBe("2027-06-05T04:30:00.000Z");
  });

  it("refuses a window that ends before it starts, bad days and times, with the field named", async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ weekday: 2, start: "14:00", end: "13:00" }, "end", /must end after it starts/],
      [{ weekday: 2, start: "14:00", end: "14:00" }, "end", /must end after it starts/],
      [{ weekday: "", start: "09:00", end: "10:00" }, "weekday", /Choose a day/],
      [{ weekday: "7", start: "09:00", end: "10:00" }, "weekday", /Choose a day/],
      [{ weekday: "mon", start: "09:00", end: "10:00" }, "weekday", /Choose a day/],
      [{ weekday: 2, start: "", end: "10:00" }, "start", /Enter when this window starts/],
      [{ weekday: 2, start: "09:00", end: "" }, "end", /Enter when this window ends/],
      [{ weekday: 2, start: "9am", end: "10:00" }, "start", /for example 09:30/],
      [{ weekday: 2, start: "09:00", end: "25:00" }, "end", /for example 09:30/],
      [{ weekday: 2, start: "24:00", end: "00:00" }, "start", /cannot start at midnight/],
    ];
    for (const [input, field, message] of cases) {
      const r = await refusal(addAvailabilityRule(db(), ben.userId, input as never));
      expect(r, JSON.stringify(input)).toMatchObject({ code: "VALIDATION", field });
      expect(r.message, JSON.stringify(input)).toMatch(message);
    }
    expect(await listAvailability(db(), ben.userId)).toHaveLength(1);
  });

  it("refuses a window overlapping another one of the same day, saying which", async () => {
    const dan = await expert("dan");
    await addAvailabilityRule(db(), dan.userId, { weekday: 3, start: "09:00", end: "12:00" });
    for (const [start, end] of [
      ["11:00", "13:00"],
      ["08:00", "09:30"],
      ["09:30", "10:00"],
      ["08:00", "13:00"],
      ["09:00", "12:00"],
    ] as const) {
      const r = await refusal(addAvailabilityRule(db(), dan.userId, { weekday: 3, start, end }));
      expect(r).toEqual({
        code: "VALIDATION",
        field: "start",
        message: `Wednesday ${start}–${end} overlaps your window Wednesday 09:00–12:00. Change the times, or remove that window first.`,
      });
    }
    // Monday 09:00-12:00 already exists (from the fixture).
    expect(
      (await refusal(addAvailabilityRule(db(), dan.userId, { weekday: 1, start: "11:59", end: "12:30" }))).message,
    ).toMatch(/overlaps your window Monday 09:00–12:00/);
    expect(await listAvailability(db(), dan.userId)).toHaveLength(2);
  });

  it("concurrent additions of overlapping windows: exactly one is kept", async () => {
    const eve = await expert("eve");
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        addAvailabilityRule(db(), eve.userId, {
          weekday: 4,
          start: `${String(9 + (i % 2)).padStart(2, "0")}:00`,
          end: "12:00",
        }),
      ),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    expect((await listAvailability(db(), eve.userId)).filter((r) => r.weekday === 4)).toHaveLength(1);
  });

  it(`keeps at most ${MAX_AVAILABILITY_RULES} windows a week`, async () => {
    const fay = await expert("fay");
    const week = Array.from({ length: MAX_AVAILABILITY_RULES }, (_, i) => ({
      weekday: i % 7,
      start: Math.floor(i / 7) * 60,
      end: Math.floor(i / 7) * 60 + 30,
    }));
    expect(await replaceAvailability(db(), fay.userId, week)).toHaveLength(MAX_AVAILABILITY_RULES);
    const r = await refusal(addAvailabilityRule(db(), fay.userId, { weekday: 0, start: "22:00", end: "23:00" }));
    expect(r).toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/at most 50 windows/) });
    expect(
      await refusal(replaceAvailability(db(), fay.userId, [...week, { weekday: 0, start: "22:00", end: "23:00" }])),
    ).toMatchObject({ code: "VALIDATION" });
  });

  it("replaces the whole week at once, or nothing when the new week overlaps itself", async () => {
    const gus = await expert("gus");
    const week = await replaceAvailability(db(), gus.userId, [
      { weekday: 2, start: "13:00", end: "17:00" },
      { weekday: 2, start: "08:00", end: "12:00" },
      { weekday: 4, start: 600, end: 660 },
    ]);
    expect(week.map((r) => [r.weekday, r.startMinute, r.endMinute])).toEqual([
      [2, 480, 720],
      [2, 780, 1020],
      [4, 600, 660],
    ]);
    const r = await refusal(
      replaceAvailability(db(), gus.userId, [
        { weekday: 5, start: "08:00", end: "12:00" },
        { weekday: 5, start: "11:00", end: "14:00" },
      ]),
    );
    expect(r.message).toBe(
      "Friday 11:00–14:00 overlaps your window Friday 08:00–12:00. Change the times, or remove that window first.",
    );
    expect(await listAvailability(db(), gus.userId)).toEqual(week);
    expect(await replaceAvailability(db(), gus.userId, [])).toEqual([]);
    // Another expert's week is untouched by all of this.
    expect(await listAvailability(db(), ben.userId)).toHaveLength(1);
  });

  it("removes the expert's own window; another expert's window id is NOT_FOUND and stays", async () => {
    const hal = await expert("hal");
    const mine = await addAvailabilityRule(db(), hal.userId, { weekday: 6, start: "09:00", end: "10:00" });
    const bens = await listAvailability(db(), ben.userId);
    const theirs = bens[0]!;
    expect(await refusal(removeAvailabilityRule(db(), { expertUserId: hal.userId, ruleId: theirs.id }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await refusal(removeAvailabilityRule(db(), { expertUserId: ben.userId, ruleId: mine.id }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await refusal(removeAvailabilityRule(db(), { expertUserId: hal.userId, ruleId: "" }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await listAvailability(db(), ben.userId)).toEqual(bens);
    await removeAvailabilityRule(db(), { expertUserId: hal.userId, ruleId: mine.id });
    expect((await listAvailability(db(), hal.userId)).some((r) => r.id === mine.id)).toBe(false);
    expect(await refusal(removeAvailabilityRule(db(), { expertUserId: hal.userId, ruleId: mine.id }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("time off in the expert's own time zone", () => {
  const now = new Date("2027-03-01T12:00:00Z");

  it("a whole day off is local midnight to midnight, across a DST change too", async () => {
    const ivy = await expert("ivy", "Europe/London");
    // 28 March 2027: the clocks go forward in London, a 23-hour day.
    const dst = await addLocalTimeOff(
      db(),
      ivy.userId,
      { startDate: "2027-03-28", endDate: "2027-03-28", reason: "  Family day " },
      now,
    );
    expect(dst).toMatchObject({
      startsAt: new Date("2027-03-28T00:00:00Z"),
      endsAt: new Date("2027-03-28T23:00:00Z"),
      reason: "Family day",
    });
    const summer = await addLocalTimeOff(db(), ivy.userId, { startDate: "2027-06-10", endDate: "2027-06-11" }, now);
    expect(summer).toMatchObject({
      startsAt: new Date("2027-06-09T23:00:00Z"),
      endsAt: new Date("2027-06-11T23:00:00Z"),
      reason: null,
    });
    const kolkata = await expert("jay", "Asia/Kolkata");
    const part = await addLocalTimeOff(
      db(),
      kolkata.userId,
      { startDate: "2027-06-10", startTime: "13:00", endDate: "2027-06-10", endTime: "17:30" },
      now,
    );
    expect(part).toMatchObject({
      startsAt: new Date("2027-06-10T07:30:00Z"),
      endsAt: new Date("2027-06-10T12:00:00Z"),
    });
    expect((await listTimeOff(db(), ivy.userId, now)).map((x) => x.id)).toEqual([dst.id, summer.id]);
    expect(await listTimeOff(db(), kolkata.userId, now)).toHaveLength(1);
  });

  it("refuses what cannot be right, naming the field, and adds nothing", async () => {
    const kim = await expert("kim");
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ startDate: "", endDate: "2027-06-10" }, "startDate", /first day/],
      [{ startDate: "2027-06-10", endDate: "" }, "endDate", /last day/],
      [{ startDate: "2027-02-30", endDate: "2027-03-02" }, "startDate", /year-month-day/],
      [{ startDate: "10/06/2027", endDate: "2027-06-10" }, "startDate", /year-month-day/],
      [{ startDate: "2027-06-10", endDate: "2027-06-09" }, "endDate", /must end after it starts/],
      [
        { startDate: "2027-06-10", startTime: "15:00", endDate: "2027-06-10", endTime: "14:00" },
        "endTime",
        /must end after it starts/,
      ],
      [{ startDate: "2027-06-10", startTime: "3pm", endDate: "2027-06-10" }, "startTime", /for example 13:00/],
      [{ startDate: "2027-02-01", endDate: "2027-02-27" }, "endDate", /already be over/],
      [{ startDate: "2027-06-10", endDate: "2028-07-10" }, "endDate", /at most a year/],
      [{ startDate: "2027-06-10", endDate: "2027-06-10", reason: "x".repeat(201) }, "reason", /200 characters/],
    ];
    for (const [input, field, message] of cases) {
      const r = await refusal(addLocalTimeOff(db(), kim.userId, input as never, now));
      expect(r, JSON.stringify(input)).toMatchObject({ code: "VALIDATION", field });
      expect(r.message, JSON.stringify(input)).toMatch(message);
    }
    expect(await listTimeOff(db(), kim.userId, now)).toEqual([]);
  });

  it("only experts have time off; another expert's time-off id cannot be removed", async () => {
    const user = await createUser(db(), { email: "no-expert@example.com", name: "Not An Expert", emailVerified: true });
    expect(
      await refusal(addLocalTimeOff(db(), user.id, { startDate: "2027-06-10", endDate: "2027-06-10" }, now)),
    ).toMatchObject({ code: "FORBIDDEN" });
    const lea = await expert("lea");
    const off = await addLocalTimeOff(db(), lea.userId, { startDate: "2027-06-10", endDate: "2027-06-10" }, now);
    expect(await refusal(removeTimeOff(db(), { expertUserId: ben.userId, timeOffId: off.id }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await listTimeOff(db(), lea.userId, now)).toHaveLength(1);
  });
});
