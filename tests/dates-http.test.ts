// Dates on signed-in pages are written in the person's own zone, in words, never in UTC or as ISO strings: a New
// York account reads its support messages, its devices, its privacy requests and its consent history in New York
// time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, pageText } from "./helpers/http.ts";
import { passwordHash, signIn } from "./helpers/people.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let srv: TestServer;
let b: Browser;
let userId: string;

beforeAll(async () => {
  srv = await startTestServer({ TRUST_PROXY: "1" });
  const prisma = srv.running.services.db.prisma;
  const user = await prisma.user.create({
    data: {
      email: "new-yorker@example.com",
      name: "Nia York",
      passwordHash: await passwordHash(),
      emailVerifiedAt: new Date(),
      timezone: "America/New_York",
    },
    select: { id: true },
  });
  userId = user.id;
  b = await signIn(srv, "new-yorker@example.com");
});
afterAll(async () => {
  await srv?.stop();
});

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** What a person reads: the page's <main> without scripts, tags or attributes (where machine dates may live). */
async function visible(res: Response): Promise<string> {
  const html = await pageText(res);
  const main = html.slice(html.indexOf("<main"), html.indexOf("</main>"));
  return main
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

describe("a New York account's own pages", () => {
  it("the support request page shows each message's time in New York time", async () => {
    const res = await b.post("/help?index", { subject: "Dates", category: "BOOKING", message: "When was this?" });
    expect(res.status).toBe(302);
    const text = await visible(await b.get(res.headers.get("location")!));
    expect(text).toContain("New York time");
    expect(text).not.toMatch(/\bUTC\b|\bGMT\b/);
    expect(text).not.toMatch(ISO);
  });

  it("the devices page shows when each session started and was last seen, in New York time", async () => {
    const text = await visible(await b.get("/account/sessions"));
    expect(text.match(/New York time/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(text).not.toMatch(/\bUTC\b|\bGMT\b/);
    expect(text).not.toMatch(ISO);
  });

  it("the privacy center dates a request in words, and the staff-access ledger in New York time", async () => {
    const prisma = srv.running.services.db.prisma;
    const receivedAt = new Date(Date.UTC(2026, 11, 2, 3, 30)); // 22:30 on 1 December in New York
    await prisma.privacyRequest.create({
      data: { userId, type: "CORRECTION", details: "My name", receivedAt, dueAt: new Date(Date.UTC(2027, 0, 1, 3)) },
    });
    const text = await visible(await b.get("/account/privacy"));
    // The day in New York, not the UTC day it already is.
    expect(text).toMatch(/1 December 2026|December 1, 2026/);
    expect(text).not.toMatch(/\bUTC\b|\bGMT\b/);
    expect(text).not.toMatch(ISO);
  });

  it("the email settings' consent history is in New York time", async () => {
    await srv.running.services.db.prisma.consent.create({
      data: { userId, kind: "NEWSLETTER", given: true, source: "SETTINGS", at: new Date(Date.UTC(2026, 11, 2, 3, 30)) },
    });
    const text = await visible(await b.get("/account/communications"));
    expect(text).toMatch(/1 December 2026, 22:30 New York time|December 1, 2026, 10:30 PM New York time/);
    expect(text).not.toMatch(/\bUTC\b|\bGMT\b/);
    expect(text).not.toMatch(ISO);
  });
});
