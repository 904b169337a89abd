// Pure slot computation: no database. Times are written in UTC ("Z") and checked as the expert (Europe/London)
// and a viewer (Asia/Kolkata, no DST, UTC+5:30) read them. In 2027 British Summer Time starts on Sunday 28 March
// at 01:00 UTC and ends on Sunday 31 October at 01:00 UTC.
import { describe, expect, it } from "vitest";
import { computeSlots, formatSlot, slotProblem, type ExpertSchedule, type WeeklyRule } from "./slots.ts";
import { offsetMinutes, zonedToUtc } from "./zoned-time.ts";

const Z = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString().replace(".000Z", "Z");
const everyDay = (startMinute: number, endMinute: number): WeeklyRule[] =>
  [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute, endMinute }));

function london(overrides: Partial<ExpertSchedule> = {}): ExpertSchedule {
  return {
    timezone: "Europe/London",
    sessionMinutes: 50,
    bufferMinutes: 10,
    minNoticeHours: 0,
    rules: everyDay(9 * 60, 12 * 60),
    timeOff: [],
    bookings: [],
    ...overrides,
  };
}

const longAgo = Z("2027-01-01T00:00:00Z");
const slotsBetween = (s: ExpertSchedule, from: string, to: string, now = longAgo) =>
  computeSlots(s, { from: Z(from), to: Z(to), now });

describe("time zone arithmetic", () => {
  it("knows London's offsets on both sides of each change, and Kolkata's fixed offset", () => {
    expect(offsetMinutes(Z("2027-03-28T00:59:59Z"), "Europe/London")).toBe(0);
    expect(offsetMinutes(Z("2027-03-28T01:00:00Z"), "Europe/London")).toBe(60);
    expect(offsetMinutes(Z("2027-10-31T00:59:59Z"), "Europe/London")).toBe(60);
    expect(offsetMinutes(Z("2027-10-31T01:00:00Z"), "Europe/London")).toBe(0);
    expect(offsetMinutes(Z("2027-03-28T12:00:00Z"), "Asia/Kolkata")).toBe(330);
  });

  it("maps wall times to instants, including the spring gap and the autumn repeat", () => {
    expect(iso(zonedToUtc({ year: 2027, month: 3, day: 27 }, 9 * 60, "Europe/London"))).toBe("2027-03-27T09:00:00Z");
    expect(iso(zonedToUtc({ year: 2027, month: 3, day: 29 }, 9 * 60, "Europe/London"))).toBe("2027-03-29T08:00:00Z");
    // 01:30 does not exist on 28 March: the clock reading moves forward by the jump (02:30 BST).
    expect(iso(zonedToUtc({ year: 2027, month: 3, day: 28 }, 90, "Europe/London"))).toBe("2027-03-28T01:30:00Z");
    // 01:30 happens twice on 31 October: the first one (BST).
    expect(iso(zonedToUtc({ year: 2027, month: 10, day: 31 }, 90, "Europe/London"))).toBe("2027-10-31T00:30:00Z");
    // Midnight at the end of the day (endMinute 1440).
    expect(iso(zonedToUtc({ year: 2027, month: 3, day: 27 }, 1440, "Europe/London"))).toBe("2027-03-28T00:00:00Z");
    expect(iso(zonedToUtc({ year: 2027, month: 3, day: 27 }, 9 * 60, "Asia/Kolkata"))).toBe("2027-03-27T03:30:00Z");
  });
});

describe("slots across the March 2027 change (London expert, Kolkata viewer)", () => {
  const slots = slotsBetween(london(), "2027-03-26T00:00:00Z", "2027-03-30T00:00:00Z");

  it("keep 09:00 London time on both sides: 09:00 UTC before, 08:00 UTC after", () => {
    expect(slots.map((s) => iso(s.startsAt))).toEqual([
      "2027-03-26T09:00:00Z",
      "2027-03-26T10:00:00Z",
      "2027-03-26T11:00:00Z", // Friday, GMT
      "2027-03-27T09:00:00Z",
      "2027-03-27T10:00:00Z",
      "2027-03-27T11:00:00Z", // Saturday, GMT
      "2027-03-28T08:00:00Z",
      "2027-03-28T09:00:00Z",
      "2027-03-28T10:00:00Z", // Sunday, BST from 01:00 UTC
      "2027-03-29T08:00:00Z",
      "2027-03-29T09:00:00Z",
      "2027-03-29T10:00:00Z", // Monday, BST
    ]);
    for (const slot of slots) expect(formatSlot(slot, "Europe/London").time).toMatch(/^(09|10|11):00–\1:50$/);
  });

  it("show the viewer in Kolkata 14:30 before the change and 13:30 after", () => {
    const kolkata = slots.map((s) => formatSlot(s, "Asia/Kolkata"));
    // (ICU versions differ on the comma after the weekday.)
    expect(kolkata[3]).toMatchObject({
      date: expect.stringMatching(/^Saturday,? 27 March 2027$/),
      time: "14:30–15:20",
      timeZoneName: "GMT+5:30",
    });
    expect(kolkata[6]).toMatchObject({ date: expect.stringMatching(/^Sunday,? 28 March 2027$/), time: "13:30–14:20" });
    expect(kolkata[9]).toMatchObject({ date: expect.stringMatching(/^Monday,? 29 March 2027$/), time: "13:30–14:20" });
    expect(kolkata[9]?.label).toMatch(/^Monday,? 29 March 2027, 13:30–14:20 \(GMT\+5:30\)$/);
    expect(formatSlot(slots[9]!, "Europe/London").timeZoneName).toBe("GMT+1");
  });

  it("count real minutes inside a window that spans the change (00:00-04:00 London has 3 hours)", () => {
    const night = london({ rules: [{ weekday: 0, startMinute: 0, endMinute: 240 }] });
    const s = slotsBetween(night, "2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z");
    expect(s.map((x) => iso(x.startsAt))).toEqual([
      "2027-03-28T00:00:00Z",
      "2027-03-28T01:00:00Z",
      "2027-03-28T02:00:00Z",
    ]);
    expect(s.map((x) => formatSlot(x, "Europe/London").time)).toEqual(["00:00–00:50", "02:00–02:50", "03:00–03:50"]);
  });
});

describe("slots across the October 2027 change", () => {
  it("keep 09:00 London time: 08:00 UTC on Saturday, 09:00 UTC on Sunday; Kolkata sees 13:30 then 14:30", () => {
    const slots = slotsBetween(
      london({ rules: everyDay(9 * 60, 10 * 60) }),
      "2027-10-29T00:00:00Z",
      "2027-11-02T00:00:00Z",
    );
    expect(slots.map((s) => iso(s.startsAt))).toEqual([
      "2027-10-29T08:00:00Z",
      "2027-10-30T08:00:00Z",
      "2027-10-31T09:00:00Z",
      "2027-11-01T09:00:00Z",
    ]);
    expect(slots.map((s) => formatSlot(s, "Asia/Kolkata").time)).toEqual([
      "13:30–14:20",
      "13:30–14:20",
      "14:30–15:20",
      "14:30–15:20",
    ]);
  });

  it("count the repeated hour inside a window (00:00-04:00 London has 5 hours)", () => {
    const night = london({ rules: [{ weekday: 0, startMinute: 0, endMinute: 240 }] });
    const s = slotsBetween(night, "2027-10-30T00:00:00Z", "2027-11-01T00:00:00Z");
    expect(s.map((x) => formatSlot(x, "Europe/London").time)).toEqual([
      "00:00–00:50",
      "01:00–01:50", // BST
      "01:00–01:50", // GMT: the same wall time an hour later
      "02:00–02:50",
      "03:00–03:50",
    ]);
    expect(iso(s[0]!.startsAt)).toBe("2027-10-30T23:00:00Z");
  });

  it("group slots by the viewer's own day: a London evening is the next morning in Kolkata", () => {
    const evening = london({ rules: [{ weekday: 6, startMinute: 20 * 60, endMinute: 21 * 60 }] });
    const [slot] = slotsBetween(evening, "2027-10-30T00:00:00Z", "2027-10-31T00:00:00Z");
    expect(formatSlot(slot!, "Europe/London").dayKey).toBe("2027-10-30");
    expect(formatSlot(slot!, "Asia/Kolkata")).toMatchObject({ dayKey: "2027-10-31", time: "00:30–01:20" });
  });
});

describe("what can be booked", () => {
  const now = Z("2027-06-01T07:00:00Z"); // Tuesday 08:00 in London
  const base = london({ minNoticeHours: 12, rules: everyDay(9 * 60, 17 * 60) });

  it("refuses the past, too little notice, times off the grid or outside the windows", () => {
    expect(slotProblem(base, Z("2027-05-31T08:00:00Z"), now)).toBe("PAST");
    expect(slotProblem(base, Z("2027-06-01T12:00:00Z"), now)).toBe("TOO_SOON");
    expect(slotProblem(base, Z("2027-06-02T08:00:00Z"), now)).toBeNull();
    expect(slotProblem(base, Z("2027-06-02T08:30:00Z"), now)).toBe("OUTSIDE_AVAILABILITY"); // inside, off the grid
    expect(slotProblem(base, Z("2027-06-02T05:00:00Z"), now)).toBe("OUTSIDE_AVAILABILITY"); // 06:00 London
    expect(slotProblem(base, Z("2027-06-02T16:00:00Z"), now)).toBe("OUTSIDE_AVAILABILITY"); // 17:00, window ended
    const first = computeSlots(base, { from: now, to: Z("2027-06-03T00:00:00Z"), now });
    expect(iso(first[0]!.startsAt)).toBe("2027-06-02T08:00:00Z"); // notice: nothing on Tuesday
    expect(first).toHaveLength(8); // 09:00, 10:00, ... 16:00 London
  });

  it("skips time off and keeps each booking's buffer free", () => {
    const s = {
      ...base,
      timeOff: [{ startsAt: Z("2027-06-02T09:30:00Z"), endsAt: Z("2027-06-02T10:10:00Z") }],
      bookings: [{ startsAt: Z("2027-06-02T12:00:00Z"), blockedUntil: Z("2027-06-02T13:00:00Z") }],
    };
    expect(slotProblem(s, Z("2027-06-02T09:00:00Z"), now)).toBe("TIME_OFF");
    expect(slotProblem(s, Z("2027-06-02T10:00:00Z"), now)).toBe("TIME_OFF");
    expect(slotProblem(s, Z("2027-06-02T12:00:00Z"), now)).toBe("TAKEN");
    expect(slotProblem(s, Z("2027-06-02T11:00:00Z"), now)).toBeNull(); // ends 11:50, buffer to 12:00
    expect(slotProblem({ ...s, bufferMinutes: 15 }, Z("2027-06-02T13:00:00Z"), now)).toBe("OUTSIDE_AVAILABILITY");
    const bigBuffer = { ...s, rules: [{ weekday: 3, startMinute: 12 * 60, endMinute: 13 * 60 }], bufferMinutes: 15 };
    // 11:00 UTC = 12:00 London; a 50-minute session + 15-minute buffer would reach into the 12:00 UTC booking.
    expect(slotProblem(bigBuffer, Z("2027-06-02T11:00:00Z"), now)).toBe("TAKEN");
    const day = computeSlots(s, { from: Z("2027-06-02T00:00:00Z"), to: Z("2027-06-03T00:00:00Z"), now });
    expect(day.map((x) => iso(x.startsAt).slice(11, 16))).toEqual(["08:00", "11:00", "13:00", "14:00", "15:00"]);
  });

  it("limits the work: at most 62 days, and `limit` slots", () => {
    const many = computeSlots(base, { from: now, to: Z("2028-06-01T00:00:00Z"), now });
    expect(many.length).toBeLessThanOrEqual(62 * 8);
    expect(computeSlots(base, { from: now, to: Z("2027-07-01T00:00:00Z"), now, limit: 3 })).toHaveLength(3);
  });
});
