// Help and contact at the HTTP edge: the real server and the production Remix build. Every loader and action
// checks the session itself and scopes by owner (their tickets, and those from their verified address): another
// person's ticket id is a 404 for reading and replying.
// Internal notes never reach the requester's page. The contact form needs no account, is rate-limited and
// confirms by email.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../core/identity/password.ts";
import { addInternalNote, replyAsStaff } from "../core/support/tickets.ts";
import { Browser, outbox, pageText } from "./helpers/http.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

const PASSWORD = "quiet lantern by the sea";
let srv: TestServer;
let passwordHash: string;
beforeAll(async () => {
  [srv, passwordHash] = await Promise.all([startTestServer({ TRUST_PROXY: "1" }), hashPassword(PASSWORD)]);
});
afterAll(async () => {
  await srv?.stop();
});

let ip = 0;
const nextIp = () => `198.51.100.${++ip}`;
async function signedIn(email: string) {
  const user = await srv.running.services.db.prisma.user.create({
    data: { email, name: "Help Seeker", passwordHash, emailVerifiedAt: new Date() },
    select: { id: true },
  });
  const b = new Browser(srv, { ip: nextIp() });
  const res = await b.post("/login", { email, password: PASSWORD });
  expect(res.status).toBe(302);
  return { b, id: user.id };
}
async function openTicketOver(b: Browser, subject: string) {
  const res = await b.post("/help?index", { subject, category: "BOOKING", message: "My first message" });
  expect(res.status, await res.clone().text()).toBe(302);
  const location = res.headers.get("location") ?? "";
  expect(location).toMatch(/^\/help\/[0-9a-f-]{36}$/);
  return location;
}

describe("help pages", () => {
  it("need a session: anonymous GET and POST redirect to sign in", async () => {
    const b = new Browser(srv, { ip: nextIp() });
    for (const path of ["/help", "/help/00000000-0000-7000-8000-000000000000"]) {
      expect((await b.get(path)).headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
      expect((await b.post(path, { intent: "reply", message: "x" })).status).toBe(302);
    }
  });

  it("a user cannot read, reply to, close or rate another user's ticket (404), and nothing changes", async () => {
    const owner = await signedIn("owner@example.com");
    const other = await signedIn("other@example.com");
    const path = await openTicketOver(owner.b, "Private matter");
    expect((await owner.b.get(path)).status).toBe(200);
    expect((await other.b.get(path)).status).toBe(404);
    for (const intent of ["reply", "close", "rate"]) {
      expect((await other.b.post(path, { intent, message: "intrusion", rating: "1" })).status, intent).toBe(404);
    }
    const ticket = await srv.running.services.db.prisma.supportTicket.findFirstOrThrow({
      where: { requesterId: owner.id },
      select: { status: true, satisfaction: true, messages: { select: { body: true } } },
    });
    expect(ticket).toEqual({ status: "NEW", satisfaction: null, messages: [{ body: "My first message" }] });
    expect(await pageText(await other.b.get("/help"))).not.toContain("Private matter");
  });

  it("/help lists tickets from the account's verified address (contact form, email, phone); another address's or another account's are 404", async () => {
    const prisma = srv.running.services.db.prisma;
    const me = await signedIn("by-address@example.com");
    const them = await signedIn("not-me@example.com");
    const ticket = (subject: string, contactEmail: string, requesterId?: string) =>
      prisma.supportTicket.create({
        data: {
          subject,
          contactEmail,
          requesterId,
          category: "OTHER",
          channel: "PHONE",
          firstResponseDueAt: new Date(),
          resolutionDueAt: new Date(),
          messages: { create: { body: `Notes on ${subject}`, fromStaff: true } },
        },
        select: { id: true },
      });
    const phoned = await ticket("Phoned about my session", "BY-ADDRESS@example.com");
    const theirs = await ticket("Their phone call", "not-me@example.com");
    const theirAccount = await ticket("Their account with my address", "by-address@example.com", them.id);
    const list = await pageText(await me.b.get("/help"));
    expect(list).toContain("Phoned about my session");
    // Each request with its status in words and the day of its last update, never the stored values.
    expect(list).toContain("Received");
    expect(list).toMatch(/Last update \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(list).not.toMatch(/>NEW<|\d{4}-\d{2}-\d{2}T/);
    expect(list).not.toContain("Their phone call");
    expect(list).not.toContain("Their account with my address");
    expect(await pageText(await me.b.get(`/help/${phoned.id}`))).toContain("Notes on Phoned about my session");
    for (const id of [theirs.id, theirAccount.id]) expect((await me.b.get(`/help/${id}`)).status).toBe(404);
    expect((await them.b.get(`/help/${phoned.id}`)).status).toBe(404);
  });

  it("internal notes never reach the requester; replies do; rating once resolved", async () => {
    const user = await signedIn("reader@example.com");
    const path = await openTicketOver(user.b, "Room trouble");
    const ticketId = path.split("/").pop()!;
    const prisma = srv.running.services.db.prisma;
    const agent = await prisma.user.create({
      data: { email: "agent@example.com", name: "Ann Agent", role: "SUPPORT" },
      select: { id: true },
    });
    const actor = { id: agent.id, role: "SUPPORT" as const, ip: "10.0.0.1" };
    await addInternalNote(prisma, actor, { ticketId, body: "SECRET-NOTE about this person" });
    const deps = {
      db: prisma,
      mail: srv.running.services.mailQueue,
      limiter: srv.running.services.rateLimiter,
      appUrl: srv.config.appUrl,
    };
    await replyAsStaff(deps, actor, { ticketId, body: "Try again now please.", status: "RESOLVED" });
    const page = await pageText(await user.b.get(path));
    expect(page).toContain("Try again now please.");
    expect(page).toContain("Ann (Mind Namo support)");
    expect(page).not.toContain("SECRET-NOTE");
    expect((await user.b.post(path, { intent: "rate", rating: "4" })).status).toBe(200);
    expect((await user.b.post(path, { intent: "rate", rating: "1" })).status).toBe(409);
    expect(
      (await prisma.supportTicket.findUniqueOrThrow({ where: { id: ticketId }, select: { satisfaction: true } }))
        .satisfaction,
    ).toBe(4);
    const mail = (await outbox(srv)).find((m) => m.to === "reader@example.com");
    expect(mail?.template).toBe("support-reply");
    expect(mail?.text).not.toContain("SECRET-NOTE");
  });
});

describe("what a person may ask about", () => {
  it("offers no payments category (there are no payments) and refuses one sent anyway", async () => {
    const { b } = await signedIn("no-payments@example.com");
    const form = await (await b.get("/help")).text();
    expect(form).toContain("A booking or session");
    expect(form).not.toContain("Payments");
    expect(form).not.toContain('value="PAYMENT"');
    const res = await b.post("/help?index", { subject: "Refund", category: "PAYMENT", message: "Where is my money?" });
    expect(res.status).toBe(400);
    const visitor = new Browser(srv, { ip: nextIp() });
    expect(await (await visitor.get("/contact")).text()).not.toContain("Payments");
  });

  it("renders a ticket page without inline style attributes (the CSP blocks them, so they never apply)", async () => {
    const owner = await signedIn("styles@example.com");
    const path = await openTicketOver(owner.b, "Looks");
    const html = await (await owner.b.get(path)).text();
    expect(html).toContain("My first message");
    expect(html).not.toMatch(/<[^>]+\sstyle="/);
  });
});

describe("contact form (logged out)", () => {
  it("creates a CONTACT_FORM ticket and sends a confirmation; email is required", async () => {
    const b = new Browser(srv, { ip: nextIp() });
    expect((await b.post("/contact", { email: "", subject: "Hello", category: "OTHER", message: "Hi" })).status).toBe(
      400,
    );
    const res = await b.post("/contact", {
      email: "visitor@example.com",
      name: "Vi",
      subject: "A question",
      category: "OTHER",
      message: "How does it work?",
    });
    expect(res.status).toBe(200);
    const t = await srv.running.services.db.prisma.supportTicket.findFirstOrThrow({
      where: { contactEmail: "visitor@example.com" },
      select: { channel: true, requesterId: true },
    });
    expect(t).toEqual({ channel: "CONTACT_FORM", requesterId: null });
    expect((await outbox(srv)).find((m) => m.to === "visitor@example.com")?.template).toBe("support-contact-received");
  });

  it("is rate-limited per recipient (mail:recipient) and per IP (mail:ip), with Retry-After", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const b = new Browser(srv, { ip: nextIp() });
      const res = await b.post("/contact", {
        email: "flooded@example.com",
        subject: "Spam",
        category: "OTHER",
        message: `Message ${i}`,
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const one = new Browser(srv, { ip: nextIp() });
    const perIp: number[] = [];
    for (let i = 0; i < 11; i++)
      perIp.push(
        (
          await one.post("/contact", {
            email: `r${i}@example.com`,
            subject: "Hi there",
            category: "OTHER",
            message: "x",
          })
        ).status,
      );
    expect(perIp.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(perIp[10]).toBe(429);
  });
});
