// The signed-in home page leads with the person's own next session, and Join once its room is open. Nobody else's
// session appears there, and a visitor without a session sees the public page.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory, createExpert } from "../core/catalog/index.ts";
import { Browser, pageText } from "./helpers/http.ts";
import { PASSWORD, person, signIn as signInAs } from "./helpers/people.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

const MIN = 60_000;
let srv: TestServer;
const prisma = () => srv.running.services.db.prisma;
const signIn = (email: string) => signInAs(srv, email);

let expertId: string;
let categoryId: string;
async function book(userId: string, startsAt: Date, status: "CONFIRMED" | "CANCELLED" = "CONFIRMED") {
  return prisma().booking.create({
    data: {
      expertId,
      userId,
      categoryId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 50 * MIN),
      blockedUntil: new Date(startsAt.getTime() + 60 * MIN),
      status,
      roomName: `mn-${crypto.randomBytes(16).toString("hex")}`,
    },
    select: { id: true },
  });
}

beforeAll(async () => {
  srv = await startTestServer({ TRUST_PROXY: "1" });
  categoryId = (
    await createCategory(prisma(), {
      slug: "sleep",
      name: "Sleep troubles",
      description: "Support for sleeping better.",
    })
  ).id;
  expertId = (
    await createExpert(prisma(), {
      email: "nora@experts.example.com",
      name: "Nora Night",
      password: PASSWORD,
      slug: "nora-night",
      headline: "Calm, practical support",
      bio: "Helps people sleep better with practical steps.",
      languages: ["English"],
      timezone: "Europe/London",
      categorySlugs: ["sleep"],
      availability: [{ weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60 }],
      published: true,
    })
  ).id;
}, 60_000);
afterAll(async () => {
  await srv?.stop();
});

describe("the signed-in home page", () => {
  it("shows the person's next confirmed session, with Join when its room is open", async () => {
    const me = await person(srv, "soon@example.com", { name: "Sam Soon" });
    await book(me.id, new Date(Date.now() + 2 * MIN), "CANCELLED");
    const soon = await book(me.id, new Date(Date.now() + 5 * MIN));
    await book(me.id, new Date(Date.now() + 3 * 24 * 60 * MIN));
    const html = await pageText(await (await signIn("soon@example.com")).get("/"));
    expect(html).toContain("Your next session");
    expect(html).toContain("With Nora Night · Sleep troubles");
    // Five minutes ahead: the room is open (from 10 minutes before), so Join links to it.
    expect(html).toContain(`href="/sessions/${soon.id}/room"`);
  });

  it("shows a later session without an open Join, and never another person's session", async () => {
    const me = await person(srv, "later@example.com", { name: "Lee Later" });
    const other = await person(srv, "other@example.com", { name: "Oli Other" });
    const mine = await book(me.id, new Date(Date.now() + 2 * 24 * 60 * MIN));
    const theirs = await book(other.id, new Date(Date.now() + 6 * 60 * MIN)); // sooner than mine
    const html = await pageText(await (await signIn("later@example.com")).get("/"));
    expect(html).toContain("Your next session");
    expect(html).not.toContain(`/sessions/${mine.id}/room"`);
    expect(html).not.toContain(theirs.id);
  });

  it("a person without a session, and a visitor, see no such card", async () => {
    await person(srv, "none@example.com", { name: "Nia None" });
    expect(await pageText(await (await signIn("none@example.com")).get("/"))).not.toContain("Your next session");
    expect(await pageText(await new Browser(srv, { ip: "203.0.113.4" }).get("/"))).not.toContain("Your next session");
  });
});
