// The expert workspace at the HTTP edge: the real server, the production Remix build, forms submitted the way a
// browser submits them. The core rules are tested in core/catalog/expert-workspace.test.ts; here we prove what
// the routes add: every loader and action checks the session and the role itself, one expert's ids change
// nothing of another's, the sessions list shows the client's name and topic and never their email (P17), and
// errors are clear and keep what was typed.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory, createExpert } from "../core/catalog/index.ts";
import { createUser } from "../core/identity/users.ts";
import { Browser, untilCache, pageText } from "./helpers/http.ts";
import { nextIp, PASSWORD, signIn as signInWith } from "./helpers/people.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

const HOUR = 3_600_000;

let srv: TestServer;
const prisma = () => srv.running.services.db.prisma;

async function expert(slug: string, name: string, timezone: string) {
  return createExpert(prisma(), {
    email: `${slug}@experts.example.com`,
    name,
    password: PASSWORD,
    slug,
    headline: "Calm, practical support",
    bio: "Helps people through worry and change with practical steps.",
    languages: ["English"],
    timezone,
    categorySlugs: ["anxiety", "sleep"],
    availability: [{ weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60 }],
    published: true,
  });
}

async function client(email: string, name: string, role: "USER" | "EXPERT" = "USER") {
  return createUser(prisma(), { email, name, password: PASSWORD, emailVerified: true, role });
}

const signIn = (email: string) => signInWith(srv, email);

/** A booking straight in the database (booking itself is tested with the booking routes). */
async function book(
  expertId: string,
  userId: string,
  categorySlug: string,
  startsAt: Date,
  status: "CONFIRMED" | "COMPLETED" = "CONFIRMED",
) {
  const category = await prisma().category.findUniqueOrThrow({ where: { slug: categorySlug }, select: { id: true } });
  return prisma().booking.create({
    data: {
      expertId,
      userId,
      categoryId: category.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 50 * 60_000),
      blockedUntil: new Date(startsAt.getTime() + 60 * 60_000),
      status,
      roomName: `mn-${crypto.randomBytes(16).toString("hex")}`,
    },
    select: { id: true },
  });
}

/** A date `days` from now, as YYYY-MM-DD (UTC; far enough ahead that the expert's zone does not matter). */
const dayFromNow = (days: number) => new Date(Date.now() + days * 24 * HOUR).toISOString().slice(0, 10);

let amara: Awaited<ReturnType<typeof expert>>;
let bruno: Awaited<ReturnType<typeof expert>>;
let priya: { id: string };
let quentin: { id: string };
let amaraBooking: { id: string };
let amaraPast: { id: string };
let brunoBooking: { id: string };
let brunoRule: { id: string };
let brunoTimeOff: { id: string };

beforeAll(async () => {
  srv = await startTestServer({ TRUST_PROXY: "1" });
  await createCategory(prisma(), {
    slug: "anxiety",
    name: "Anxiety and worry",
    description: "Support for anxiety and worry.",
  });
  await createCategory(prisma(), {
    slug: "sleep",
    name: "Sleep troubles",
    description: "Support for sleeping better.",
  });
  amara = await expert("amara", "Amara Expert", "Africa/Lagos");
  bruno = await expert("bruno", "Bruno Expert", "Europe/London");
  priya = await client("priya.private@example.com", "Priya Client");
  quentin = await client("quentin.hidden@example.com", "Quentin Other");
  // Amara: a session in 3 days at 10:00 UTC (11:00 in Lagos), one last week. Bruno: a session with Quentin.
  const soon = new Date(Math.ceil((Date.now() + 3 * 24 * HOUR) / (24 * HOUR)) * 24 * HOUR + 10 * HOUR);
  amaraBooking = await book(amara.id, priya.id, "anxiety", soon);
  amaraPast = await book(amara.id, quentin.id, "sleep", new Date(soon.getTime() - 10 * 24 * HOUR), "COMPLETED");
  brunoBooking = await book(bruno.id, quentin.id, "sleep", soon);
  brunoRule = await prisma().availabilityRule.findFirstOrThrow({ where: { expertId: bruno.id }, select: { id: true } });
  brunoTimeOff = await prisma().timeOff.create({
    data: {
      expertId: bruno.id,
      startsAt: new Date(soon.getTime() + 24 * HOUR),
      endsAt: new Date(soon.getTime() + 48 * HOUR),
    },
    select: { id: true },
  });
});
afterAll(async () => {
  await srv?.stop();
});

/** Everything the workspace's actions could change. */
async function snapshot() {
  return {
    profiles: await prisma().expertProfile.findMany({ orderBy: { id: "asc" }, omit: { updatedAt: true } }),
    rules: await prisma().availabilityRule.findMany({ orderBy: { id: "asc" } }),
    timeOff: await prisma().timeOff.findMany({ orderBy: { id: "asc" } }),
    bookings: await prisma().booking.findMany({
      orderBy: { id: "asc" },
      select: { id: true, status: true, cancelledBy: true, cancelledAt: true, cancelReason: true },
    }),
  };
}

const pages = ["/expert", "/expert/profile", "/expert/availability"];

/** Every action of the workspace, aimed at data that is not the caller's to change. */
const attacks = (): [string, Record<string, string>][] => [
  ["/expert?index", { intent: "cancel", bookingId: amaraBooking.id, confirm: "yes" }],
  [
    "/expert/profile",
    {
      headline: "Hijacked headline",
      bio: "x".repeat(30),
      languages: "English",
      timezone: "UTC",
      sessionMinutes: "30",
      bufferMinutes: "0",
      minNoticeHours: "0",
      cancelWindowHours: "0",
    },
  ],
  ["/expert/availability", { intent: "add-window", weekday: "2", start: "09:00", end: "10:00" }],
  ["/expert/availability", { intent: "remove-window", ruleId: brunoRule.id }],
  ["/expert/availability", { intent: "add-time-off", startDate: dayFromNow(30), endDate: dayFromNow(30) }],
  ["/expert/availability", { intent: "remove-time-off", timeOffId: brunoTimeOff.id }],
];

describe("who may open the workspace", () => {
  it("without a session, every page redirects to /login?next=… and every action changes nothing", async () => {
    const before = await snapshot();
    for (const cookie of [undefined, "mn_session=forged"]) {
      const anon = new Browser(srv, { ip: nextIp() });
      for (const path of [...pages, "/expert?cancel=abc"]) {
        const res = await anon.get(path, cookie ? { cookie } : {});
        expect(res.status, path).toBe(302);
        expect(res.headers.get("location"), path).toBe(`/login?next=${encodeURIComponent(path)}`);
      }
      for (const [path, fields] of attacks()) {
        const res = await anon.post(path, fields, cookie ? { cookie } : {});
        expect(res.status, `POST ${path} ${fields.intent ?? ""}`).toBe(302);
        // Remix hands the action the URL without its "?index" marker: back to the page itself after signing in.
        expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path.replace("?index", ""))}`);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("a USER account gets a 403 page that says why, on every page and action, and changes nothing", async () => {
    const before = await snapshot();
    const b = await signIn("priya.private@example.com");
    for (const path of pages) {
      const res = await b.get(path);
      expect(res.status, path).toBe(403);
      const text = await pageText(res);
      expect(text).toContain("This area is for experts");
      expect(text).toContain("the account you are signed in with is not an expert account");
    }
    for (const [path, fields] of attacks()) {
      const res = await b.post(path, fields);
      expect(res.status, `POST ${path} ${fields.intent ?? ""}`).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
    // Their header has no link to the workspace.
    expect(await pageText(await b.get("/account"))).not.toContain('href="/expert"');
  });

  it("an EXPERT account without an expert profile gets the 403 page too", async () => {
    await client("no.profile@experts.example.com", "Nora Noprofile", "EXPERT");
    const b = await signIn("no.profile@experts.example.com");
    for (const path of pages) {
      const res = await b.get(path);
      expect(res.status, path).toBe(403);
      expect(await pageText(res)).toContain("Your account has no expert profile");
    }
  });

  it("an expert sees the workspace link in the header", async () => {
    const b = await signIn("amara@experts.example.com");
    const html = await pageText(await b.get("/"));
    expect(html).toContain('href="/expert"');
    expect(html).toContain("Expert workspace");
  });
});

describe("sessions", () => {
  it("lists the expert's own sessions with the client's first name, topic, local time and status — never an email or surname", async () => {
    const b = await signIn("amara@experts.example.com");
    const res = await b.get("/expert");
    expect(res.status).toBe(200);
    const html = await pageText(res);
    expect(html).toContain("Priya");
    expect(html).not.toContain("Priya Client");
    expect(html).toContain("Anxiety and worry");
    expect(html).toContain("11:00–11:50"); // 10:00 UTC in Lagos (GMT+1)
    expect(html).toContain("Lagos time (GMT+1)");
    expect(html).toContain("Confirmed");
    // The past session, with its status.
    expect(html).toContain("Quentin");
    expect(html).not.toContain("Quentin Other");
    expect(html).toContain("Sleep troubles");
    expect(html).toContain("Completed");
    // No email of anyone, anywhere in the page (its data included); nothing of another expert's sessions.
    expect(html).not.toContain("priya.private@example.com");
    expect(html).not.toContain("quentin.hidden@example.com");
    expect(html).not.toMatch(/[a-z0-9.]+@example\.com/i);
    expect(html).not.toContain(brunoBooking.id);
    expect(html).toContain(amaraBooking.id);
    expect(html).toContain(amaraPast.id);

    // Bruno sees his session only.
    const bruno = await pageText(await (await signIn("bruno@experts.example.com")).get("/expert"));
    expect(bruno).toContain("Quentin");
    expect(bruno).not.toContain("Priya");
    expect(bruno).not.toContain(amaraBooking.id);
    expect(bruno).not.toContain("quentin.hidden@example.com");
  });

  it("an empty workspace says so", async () => {
    await expert("cleo", "Cleo Newcomer", "Asia/Kolkata");
    const html = await pageText(await (await signIn("cleo@experts.example.com")).get("/expert"));
    expect(html).toContain("No upcoming sessions.");
    expect(html).toContain("No past sessions yet.");
  });

  it("cancelling asks first; another expert's booking id changes nothing; the expert's own is cancelled", async () => {
    const amaraB = await signIn("amara@experts.example.com");
    const brunoB = await signIn("bruno@experts.example.com");

    // The confirmation step.
    const ask = await pageText(await amaraB.get(`/expert?cancel=${amaraBooking.id}`));
    expect(ask).toContain("Cancel this session?");
    expect(ask).toContain("Yes, cancel this session");
    // A POST without the confirmation's answer only leads to the question.
    const unconfirmed = await amaraB.post("/expert?index", { intent: "cancel", bookingId: amaraBooking.id });
    expect(unconfirmed.status).toBe(302);
    expect(unconfirmed.headers.get("location")).toBe(`/expert?cancel=${amaraBooking.id}`);
    expect((await prisma().booking.findUniqueOrThrow({ where: { id: amaraBooking.id } })).status).toBe("CONFIRMED");

    // Bruno, with Amara's booking id: "not found", nothing changes; his page does not offer to cancel it.
    const before = await snapshot();
    expect(await pageText(await brunoB.get(`/expert?cancel=${amaraBooking.id}`))).not.toContain("Cancel this session?");
    const foreign = await brunoB.post("/expert?index", {
      intent: "cancel",
      bookingId: amaraBooking.id,
      confirm: "yes",
      reason: "mine now",
    });
    expect(foreign.status).toBe(404);
    expect(await pageText(foreign)).toContain("We could not find this booking.");
    expect(await snapshot()).toEqual(before);

    // Amara confirms.
    const done = await amaraB.post("/expert?index", {
      intent: "cancel",
      bookingId: amaraBooking.id,
      confirm: "yes",
      reason: "Unwell",
    });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`/expert?cancelled=${amaraBooking.id}`);
    const row = await prisma().booking.findUniqueOrThrow({ where: { id: amaraBooking.id } });
    expect(row).toMatchObject({ status: "CANCELLED", cancelledBy: "EXPERT", cancelReason: "Unwell" });
    const after = await pageText(await amaraB.get(`/expert?cancelled=${amaraBooking.id}`));
    expect(after).toContain("The session with Priya on");
    expect(after).toContain("Cancelled by you");
    expect(after).not.toContain("priya.private@example.com");
    // Cancelling it again is refused with a reason.
    const again = await amaraB.post("/expert?index", { intent: "cancel", bookingId: amaraBooking.id, confirm: "yes" });
    expect(again.status).toBe(412);
    expect(await pageText(again)).toContain("can no longer be cancelled");
    // Bruno's booking was never touched.
    expect((await prisma().booking.findUniqueOrThrow({ where: { id: brunoBooking.id } })).status).toBe("CONFIRMED");
  });
});

describe("profile", () => {
  const valid = {
    headline: "Steady help with worry and sleep",
    bio: "I help people make sense of worry and sleep better, one step at a time.",
    languages: "English, Yoruba",
    timezone: "Africa/Lagos",
    sessionMinutes: "45",
    bufferMinutes: "15",
    minNoticeHours: "24",
    cancelWindowHours: "48",
  };

  it("shows the expert's settings and saves valid changes", async () => {
    const b = await signIn("amara@experts.example.com");
    const page = await pageText(await b.get("/expert/profile"));
    expect(page).toContain('value="Calm, practical support"');
    expect(page).toMatch(/<label for="f-timezone">Time zone<\/label>/);
    // A visitor's copy of the public profile comes from the page cache...
    const visitor = () => fetch(`${srv.url}/experts/amara`, { headers: { "x-forwarded-for": "198.51.100.81" } });
    const before = await untilCache("HIT", visitor);
    expect(before.headers.get("x-cache")).toBe("HIT");
    expect(await before.text()).toContain("Calm, practical support");
    const res = await b.post("/expert/profile", valid);
    expect(res.status).toBe(200);
    expect(await pageText(res)).toContain("Your profile was saved.");
    // ...and shows the saved headline at once, not when the cached copy expires.
    expect(await (await visitor()).text()).toContain(valid.headline);
    const p = await prisma().expertProfile.findUniqueOrThrow({ where: { id: amara.id } });
    expect(p).toMatchObject({
      headline: valid.headline,
      languages: ["English", "Yoruba"],
      sessionMinutes: 45,
      bufferMinutes: 15,
      minNoticeHours: 24,
      cancelWindowHours: 48,
    });
    // Bruno's profile is his own.
    expect((await prisma().expertProfile.findUniqueOrThrow({ where: { id: bruno.id } })).headline).toBe(
      "Calm, practical support",
    );
  });

  it("refuses an unknown time zone and bad numbers with a clear message, keeping everything typed", async () => {
    const b = await signIn("amara@experts.example.com");
    const before = await snapshot();
    const typed = { ...valid, headline: "A headline I typed with care", timezone: "Mars/Olympus" };
    const res = await b.post("/expert/profile", typed);
    expect(res.status).toBe(400);
    const html = await pageText(res);
    expect(html).toContain(
      "&quot;Mars/Olympus&quot; is not a time zone we know. Type a city, such as London or Kolkata, or a zone name " +
        "such as Europe/London.",
    );
    expect(html).toMatch(/id="f-timezone"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-timezone"/);
    expect(html).toContain('value="A headline I typed with care"');
    expect(html).toContain('value="Mars/Olympus"');
    expect(html).toContain(valid.bio);

    const short = await b.post("/expert/profile", { ...valid, sessionMinutes: "5" });
    expect(short.status).toBe(400);
    expect(await pageText(short)).toContain("Enter a whole number of minutes from 15 to 180.");
    const bio = await b.post("/expert/profile", { ...valid, bio: "Too short" });
    expect(await pageText(bio)).toContain("Write a bio of at least 20 characters");
    expect(await snapshot()).toEqual(before);
  });

  it("a new name given on the account page reaches a visitor's cached profile within a second", async () => {
    // The account page changes no public content of its own and clears no cache: the database says it changed.
    const visitor = () => fetch(`${srv.url}/experts/bruno`, { headers: { "x-forwarded-for": "198.51.100.83" } });
    const before = await untilCache("HIT", visitor);
    expect(before.headers.get("x-cache")).toBe("HIT");
    expect(await before.text()).toContain("Bruno Expert");
    const b = await signIn("bruno@experts.example.com");
    const res = await b.post("/account", { intent: "name", name: "Bruno Renamed" });
    expect(await pageText(res)).toContain("Your name was saved.");
    const after = await untilCache("MISS", visitor, 1_000);
    expect(after.headers.get("x-cache")).toBe("MISS");
    const text = await after.text();
    expect(text).toContain("Bruno Renamed");
    expect(text).not.toContain("Bruno Expert");
  });
});

describe("availability and time off", () => {
  it("adds and lists weekly windows; refuses end-before-start and overlaps with clear messages", async () => {
    const b = await signIn("amara@experts.example.com");
    // The cached public profile (it lists the next free times) is dropped when the availability changes.
    const visitor = () => fetch(`${srv.url}/experts/amara`, { headers: { "x-forwarded-for": "198.51.100.82" } });
    expect((await untilCache("HIT", visitor)).headers.get("x-cache")).toBe("HIT");
    const add = await b.post("/expert/availability", {
      intent: "add-window",
      weekday: "6",
      start: "10:00",
      end: "12:30",
    });
    expect(add.status).toBe(200);
    expect(await pageText(add)).toContain("Added Saturday 10:00–12:30.");
    expect((await visitor()).headers.get("x-cache")).toBe("MISS");
    const page = await pageText(await b.get("/expert/availability"));
    expect(page).toContain("10:00–12:30");
    expect(page).toContain("Lagos time (GMT+1)");
    expect(
      await prisma().availabilityRule.count({
        where: { expertId: amara.id, weekday: 6, startMinute: 600, endMinute: 750 },
      }),
    ).toBe(1);

    const before = await snapshot();
    const backwards = await b.post("/expert/availability", {
      intent: "add-window",
      weekday: "2",
      start: "15:00",
      end: "14:00",
    });
    expect(backwards.status).toBe(400);
    const bw = await pageText(backwards);
    expect(bw).toContain("The window must end after it starts.");
    expect(bw).toContain('value="15:00"'); // what was typed is still there
    const overlap = await b.post("/expert/availability", {
      intent: "add-window",
      weekday: "6",
      start: "12:00",
      end: "13:00",
    });
    expect(overlap.status).toBe(400);
    expect(await pageText(overlap)).toContain(
      "Saturday 12:00–13:00 overlaps your window Saturday 10:00–12:30. Change the times, or remove that window first.",
    );
    const noDay = await b.post("/expert/availability", {
      intent: "add-window",
      weekday: "",
      start: "09:00",
      end: "10:00",
    });
    expect(await pageText(noDay)).toContain("Choose a day of the week.");
    expect(await snapshot()).toEqual(before);
  });

  it("another expert's window and time-off ids change nothing; the expert's own are removed", async () => {
    const b = await signIn("amara@experts.example.com");
    const before = await snapshot();
    const rule = await b.post("/expert/availability", { intent: "remove-window", ruleId: brunoRule.id });
    expect(rule.status).toBe(404);
    expect(await pageText(rule)).toContain("We could not find this availability window.");
    const off = await b.post("/expert/availability", { intent: "remove-time-off", timeOffId: brunoTimeOff.id });
    expect(off.status).toBe(404);
    expect(await pageText(off)).toContain("We could not find this time off.");
    expect(await snapshot()).toEqual(before);

    const own = await prisma().availabilityRule.findFirstOrThrow({
      where: { expertId: amara.id },
      select: { id: true },
    });
    const removed = await b.post("/expert/availability", { intent: "remove-window", ruleId: own.id });
    expect(removed.status).toBe(200);
    expect(await pageText(removed)).toContain("The window was removed.");
    expect(await prisma().availabilityRule.count({ where: { id: own.id } })).toBe(0);
    expect(await prisma().availabilityRule.count({ where: { id: brunoRule.id } })).toBe(1);
  });

  it("adds a day off, lists it in the expert's zone, refuses bad dates keeping what was typed, and removes it", async () => {
    const b = await signIn("amara@experts.example.com");
    const day = dayFromNow(40);
    const add = await b.post("/expert/availability", {
      intent: "add-time-off",
      startDate: day,
      endDate: day,
      reason: "Family wedding",
    });
    expect(add.status).toBe(200);
    expect(await pageText(add)).toContain("Your time off was added.");
    const row = await prisma().timeOff.findFirstOrThrow({
      where: { expertId: amara.id },
      select: { id: true, startsAt: true, endsAt: true },
    });
    // Lagos is UTC+1 all year: the local day starts at 23:00 UTC the day before.
    expect(row.startsAt.toISOString()).toBe(new Date(`${day}T00:00:00+01:00`).toISOString());
    expect(row.endsAt.getTime() - row.startsAt.getTime()).toBe(24 * HOUR);
    const page = await pageText(await b.get("/expert/availability"));
    expect(page).toContain("(whole day)");
    expect(page).toContain("Family wedding");

    const before = await snapshot();
    const backwards = await b.post("/expert/availability", {
      intent: "add-time-off",
      startDate: dayFromNow(50),
      endDate: dayFromNow(45),
      reason: "Trip",
    });
    expect(backwards.status).toBe(400);
    const html = await pageText(backwards);
    expect(html).toContain("Your time off must end after it starts.");
    expect(html).toContain(`value="${dayFromNow(50)}"`);
    expect(html).toContain('value="Trip"');
    const missing = await b.post("/expert/availability", { intent: "add-time-off", startDate: "", endDate: day });
    expect(await pageText(missing)).toContain("Enter the first day of your time off.");
    expect(await snapshot()).toEqual(before);

    const removed = await b.post("/expert/availability", { intent: "remove-time-off", timeOffId: row.id });
    expect(removed.status).toBe(200);
    expect(await prisma().timeOff.count({ where: { id: row.id } })).toBe(0);
    expect(await pageText(await b.get("/expert/availability"))).toContain("No time off planned.");
    expect(await prisma().timeOff.count({ where: { id: brunoTimeOff.id } })).toBe(1);
  });
});
