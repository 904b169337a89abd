// /sessions at the HTTP edge, as a browser without JavaScript meets it: the cancel confirmation is server-rendered
// (an open <dialog>, a panel in the page) and only for the person's own changeable session; the cancel action
// checks the owner. With JavaScript the same dialog becomes modal (e2e/a11y.spec.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookingAt, publishedExpert } from "./helpers/bookings.ts";
import { Browser, pageText } from "./helpers/http.ts";
import { person, signIn } from "./helpers/people.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let srv: TestServer;
let expertId: string;
const prisma = () => srv.running.services.db.prisma;
beforeAll(async () => {
  srv = await startTestServer({ TRUST_PROXY: "1" });
  await prisma().category.create({ data: { slug: "sleep", name: "Sleep", description: "Support for sleep." } });
  ({ id: expertId } = await publishedExpert(srv, { slug: "ines-calder", name: "Dr. Ines Calder", category: "sleep" }));
});
afterAll(async () => {
  await srv?.stop();
});

let n = 0;
async function signedIn() {
  const email = `canceller${++n}@example.com`;
  const { id } = await person(srv, email, { name: `Person Number${n}` });
  return { b: await signIn(srv, email), id };
}
async function upcoming(userId: string, inDays = 5) {
  const startsAt = new Date(Date.now() + inDays * 86_400_000 + ++n * 3_600_000);
  return bookingAt(srv, { userId, expertId, category: "sleep", startsAt });
}
const openDialog = /<dialog[^>]*\sopen=""/;

describe("/sessions cancel confirmation", () => {
  it("is an open dialog in the page for the person's own session, with the safe way out as a link", async () => {
    const owner = await signedIn();
    const b = await upcoming(owner.id);
    const html = await (await owner.b.get(`/sessions?cancel=${b.id}`)).text();
    expect(html).toMatch(openDialog);
    const text = await pageText(await owner.b.get(`/sessions?cancel=${b.id}`));
    expect(text).toContain("Cancel this session?");
    expect(text).toContain("Yes, cancel the session");
    expect(text).toContain("Dr. Ines Calder");
    expect(html).toMatch(/<a[^>]*href="\/sessions"[^>]*>No, keep it<\/a>/);
    // Without the address part there is no dialog open.
    expect(await (await owner.b.get("/sessions")).text()).not.toMatch(openDialog);
  });

  it("never opens for another person's session, or one inside the cancellation window", async () => {
    const owner = await signedIn();
    const other = await signedIn();
    const theirs = await upcoming(other.id);
    expect(await (await owner.b.get(`/sessions?cancel=${theirs.id}`)).text()).not.toMatch(openDialog);
    const soon = await upcoming(owner.id, 0);
    expect(await (await owner.b.get(`/sessions?cancel=${soon.id}`)).text()).not.toMatch(openDialog);
  });

  it("the form cancels the person's own session without JavaScript, and refuses another person's", async () => {
    const owner = await signedIn();
    const other = await signedIn();
    const mine = await upcoming(owner.id);
    const theirs = await upcoming(other.id);
    const refused = await owner.b.post("/sessions", { intent: "cancel", bookingId: theirs.id });
    expect(refused.status).toBe(404);
    expect((await prisma().booking.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("CONFIRMED");
    const done = await owner.b.post("/sessions", { intent: "cancel", bookingId: mine.id });
    expect(done.status).toBe(200);
    expect(await pageText(done)).toContain("Your session with Dr. Ines Calder was cancelled.");
    expect((await prisma().booking.findUniqueOrThrow({ where: { id: mine.id } })).status).toBe("CANCELLED");
  });

  it("asks for a session first", async () => {
    const anonymous = new Browser(srv, { ip: "198.51.100.200" });
    const res = await anonymous.get(`/sessions?cancel=${crypto.randomUUID()}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login\?next=/);
  });
});
