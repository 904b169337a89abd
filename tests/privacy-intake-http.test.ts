// A privacy request sent through the contact form and confirmed on /privacy/confirm, over real HTTP with the
// production build: the code email, clear errors for wrong, malformed and foreign codes, no crash on junk input,
// and the one-month deadline from the confirmation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../core/identity/password.ts";
import { Browser, outbox, pageText } from "./helpers/http.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ TRUST_PROXY: "1" });
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

let ip = 0;
const nextIp = () => `192.0.2.${++ip}`;

async function sendPrivacyMessage(email: string) {
  const b = new Browser(srv, { ip: nextIp() });
  const res = await b.post("/contact", {
    email,
    name: "",
    subject: "My data",
    category: "PRIVACY",
    message: "What do you hold about me?",
  });
  expect(res.status).toBe(200);
  expect(await pageText(res)).toContain("we emailed a code");
  const mail = (await outbox(srv)).find((m) => m.to === email && m.template === "privacy-identity-code");
  expect(mail).toBeDefined();
  const digits = /(\d{4}) (\d{4})/.exec(mail!.text)!;
  const link = /http\S+(\/privacy\/confirm\?request=([0-9a-f-]{36}))/.exec(mail!.text)!;
  return { code: `${digits[1]}${digits[2]}`, path: link[1]!, requestId: link[2]! };
}

describe("confirming a privacy request made on the contact form", () => {
  it("the emailed link opens the page; a wrong code says so (400); the right one confirms and starts the month", async () => {
    const email = "privacy-visitor@example.com";
    const { code, path, requestId } = await sendPrivacyMessage(email);
    const prisma = srv.running.services.db.prisma;
    expect(await prisma.privacyRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({
      status: "AWAITING_IDENTITY",
      source: "CONTACT_FORM",
      requesterEmail: email,
    });

    const b = new Browser(srv, { ip: nextIp() });
    const page = await b.get(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Confirm your privacy request");
    expect(html).toContain("one-time-code");
    expect(html).not.toContain("This link is not valid");

    const wrong = code === "12345678" ? "87654321" : "12345678";
    const bad = await b.post("/privacy/confirm", { request: requestId, code: wrong, intent: "confirm" });
    expect(bad.status).toBe(400);
    expect(await pageText(bad)).toContain("That code is not valid or has expired");
    const junk = await b.post("/privacy/confirm", { request: requestId, code: "abc", intent: "confirm" });
    expect(junk.status).toBe(400);
    expect(await pageText(junk)).toContain("The code has 8 digits");

    const ok = await b.post("/privacy/confirm", { request: requestId, code, intent: "confirm" });
    expect(ok.status).toBe(200);
    const text = await pageText(ok);
    expect(text).toContain("Your privacy request is confirmed");
    // A date in words, never an ISO date.
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const row = await prisma.privacyRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(row.status).toBe("PENDING");
    expect(row.dueAt.getTime()).toBeGreaterThan(row.identityCheckedAt!.getTime() + 27 * 86_400_000);
  });

  it("another person's request id with my code is refused and changes nothing; junk ids and intents do not crash", async () => {
    const mine = await sendPrivacyMessage("mine@example.com");
    const theirs = await sendPrivacyMessage("theirs@example.com");
    const b = new Browser(srv, { ip: nextIp() });
    const res = await b.post("/privacy/confirm", { request: theirs.requestId, code: mine.code, intent: "confirm" });
    expect(res.status).toBe(400);
    const prisma = srv.running.services.db.prisma;
    expect((await prisma.privacyRequest.findUniqueOrThrow({ where: { id: theirs.requestId } })).status).toBe(
      "AWAITING_IDENTITY",
    );
    for (const path of [
      "/privacy/confirm",
      "/privacy/confirm?request=%00%FF",
      `/privacy/confirm?request=${"x".repeat(500)}`,
    ])
      expect((await b.get(path)).status).toBe(200);
    expect((await b.post("/privacy/confirm", { request: "nope", code: "12345678" })).status).toBe(400);
    expect((await b.post("/privacy/confirm", {})).status).toBe(400);
    expect((await b.post("/privacy/confirm", { request: theirs.requestId, intent: "delete" })).status).toBe(400);
    // A new code for someone else's request answers the same as for none, and reveals nothing.
    const resend = await b.post("/privacy/confirm", { request: "unknown", intent: "resend" });
    expect(resend.status).toBe(200);
    expect(await pageText(resend)).toContain("If this request still waits for its code");
  });
});

describe("a privacy ticket from the help page", () => {
  it("a signed-in person's help ticket under privacy mails a code to their address and says so on the ticket", async () => {
    const email = "helped@example.com";
    const password = "quiet lantern by the sea";
    const prisma = srv.running.services.db.prisma;
    const user = await prisma.user.create({
      data: { email, name: "Helped Person", passwordHash: await hashPassword(password), emailVerifiedAt: new Date() },
      select: { id: true },
    });
    const b = new Browser(srv, { ip: nextIp() });
    expect((await b.post("/login", { email, password })).status).toBe(302);
    const res = await b.post("/help?index", {
      subject: "Please delete my notes",
      category: "PRIVACY",
      message: "I would like the notes about me deleted.",
    });
    expect(res.status).toBe(302);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/help\/[0-9a-f-]{36}\?privacy=1$/);
    const page = await b.get(location);
    expect(page.status).toBe(200);
    expect(await pageText(page)).toContain("This is also a privacy request");
    const ticketId = location.slice("/help/".length, location.indexOf("?"));
    expect(await prisma.privacyRequest.findFirstOrThrow({ where: { ticketId } })).toMatchObject({
      source: "TICKET",
      userId: user.id,
      requesterEmail: email,
      status: "AWAITING_IDENTITY",
    });
    expect((await outbox(srv)).some((m) => m.to === email && m.template === "privacy-identity-code")).toBe(true);
    // Their privacy center lists it as waiting for the code, with no deadline yet.
    const center = await pageText(await b.get("/account/privacy"));
    expect(center).toContain("Waiting for you to confirm the emailed code");
    expect(center).toContain("Starts when you confirm the code");
    // Another category is only a ticket.
    const other = await b.post("/help?index", { subject: "Booking", category: "BOOKING", message: "Moved?" });
    expect(other.headers.get("location")).toMatch(/^\/help\/[0-9a-f-]{36}$/);
  });
});

describe("a privacy message when the mail limit holds the code back", () => {
  it("records the request, says the code could not be sent, and links to where it can be asked for later", async () => {
    const email = "busy-mailbox@example.com";
    const prisma = srv.running.services.db.prisma;
    const send = (b: Browser) =>
      b.post("/contact", { email, name: "", subject: "My data", category: "PRIVACY", message: "What do you hold?" });
    // Each message mails twice (receipt and code); five mails an hour reach one address.
    expect(await pageText(await send(new Browser(srv, { ip: nextIp() })))).toContain("we emailed a code");
    expect(await pageText(await send(new Browser(srv, { ip: nextIp() })))).toContain("we emailed a code");
    const b = new Browser(srv, { ip: nextIp() });
    const res = await send(b);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("We received your privacy request and recorded it");
    expect(html).not.toContain("we emailed a code");
    const path = /href="(\/privacy\/confirm\?request=([0-9a-f-]{36}))"/.exec(html);
    expect(path).not.toBeNull();
    expect(await prisma.privacyRequest.findUniqueOrThrow({ where: { id: path![2]! } })).toMatchObject({
      requesterEmail: email,
      status: "AWAITING_IDENTITY",
      source: "CONTACT_FORM",
    });
    expect((await outbox(srv)).filter((m) => m.to === email && m.template === "privacy-identity-code")).toHaveLength(2);
    // The link opens the confirmation page, which offers a new code.
    const confirm = await b.get(path![1]!);
    expect(confirm.status).toBe(200);
    expect(await pageText(confirm)).toContain("Send me a new code");
  });
});

describe("what a privacy request is for, chosen on the form", () => {
  it("the contact and help forms pass the chosen type to the request; other categories ignore the field", async () => {
    const prisma = srv.running.services.db.prisma;
    const visitor = new Browser(srv, { ip: nextIp() });
    const form = await pageText(await visitor.get("/contact"));
    expect(form).toContain("What are you asking for? (optional)");
    expect(form).toContain("Deletion of my data");
    expect(form).not.toContain("OPT_OUT</");
    const sent = await visitor.post("/contact", {
      email: "typed-visitor@example.com",
      name: "",
      subject: "Please erase me",
      category: "PRIVACY",
      privacyType: "DELETION",
      message: "I would like everything about me deleted.",
    });
    expect(sent.status).toBe(200);
    expect(await pageText(sent)).toContain("we emailed a code");
    expect(
      await prisma.privacyRequest.findFirstOrThrow({ where: { requesterEmail: "typed-visitor@example.com" } }),
    ).toMatchObject({ type: "DELETION", source: "CONTACT_FORM" });

    // Left empty it is "something else".
    await visitor.post("/contact", {
      email: "untyped-visitor@example.com",
      subject: "A question",
      category: "PRIVACY",
      privacyType: "",
      message: "Who sees my notes?",
    });
    expect(
      (await prisma.privacyRequest.findFirstOrThrow({ where: { requesterEmail: "untyped-visitor@example.com" } })).type,
    ).toBe("OTHER");

    // Under another category the field is ignored, whatever it holds: a ticket, no privacy request.
    const booking = await visitor.post("/contact", {
      email: "booking-visitor@example.com",
      subject: "Moving a session",
      category: "BOOKING",
      privacyType: "NONSENSE",
      message: "Can I move it?",
    });
    expect(booking.status).toBe(200);
    expect(await prisma.privacyRequest.count({ where: { requesterEmail: "booking-visitor@example.com" } })).toBe(0);

    const email = "typed-helped@example.com";
    await prisma.user.create({
      data: {
        email,
        name: "Typed Person",
        passwordHash: await hashPassword("quiet lantern by the sea"),
        emailVerifiedAt: new Date(),
      },
    });
    const b = new Browser(srv, { ip: nextIp() });
    expect((await b.post("/login", { email, password: "quiet lantern by the sea" })).status).toBe(302);
    const res = await b.post("/help?index", {
      subject: "A copy, please",
      category: "PRIVACY",
      privacyType: "ACCESS",
      message: "Send me what you hold.",
    });
    expect(res.status).toBe(302);
    expect(await prisma.privacyRequest.findFirstOrThrow({ where: { requesterEmail: email } })).toMatchObject({
      type: "ACCESS",
      source: "TICKET",
    });
  });

  it("a value not on the list is refused with a clear message, keeps what was typed and opens nothing", async () => {
    const prisma = srv.running.services.db.prisma;
    const tickets = await prisma.supportTicket.count();
    const requests = await prisma.privacyRequest.count();
    const b = new Browser(srv, { ip: nextIp() });
    for (const privacyType of ["DESTROY", "access", "x".repeat(500)]) {
      const res = await b.post("/contact", {
        email: "odd-visitor@example.com",
        subject: "My data",
        category: "PRIVACY",
        privacyType,
        message: "Something I wrote myself.",
      });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain("Choose what you are asking for from the list.");
      expect(html).toMatch(/id="f-privacyType"[^>]*aria-invalid="true"/);
      // Everything typed is still in the form.
      expect(html).toContain('value="odd-visitor@example.com"');
      expect(html).toContain("Something I wrote myself.");
    }
    const help = new Browser(srv, { ip: nextIp() });
    await prisma.user.create({
      data: {
        email: "odd-helped@example.com",
        name: "Odd Person",
        passwordHash: await hashPassword("quiet lantern by the sea"),
        emailVerifiedAt: new Date(),
      },
    });
    expect(
      (await help.post("/login", { email: "odd-helped@example.com", password: "quiet lantern by the sea" })).status,
    ).toBe(302);
    const res = await help.post("/help?index", {
      subject: "Delete it",
      category: "PRIVACY",
      privacyType: "ERASE_EVERYTHING",
      message: "Please.",
    });
    expect(res.status).toBe(400);
    expect(await pageText(res)).toContain("Choose what you are asking for from the list.");
    expect(await prisma.supportTicket.count()).toBe(tickets);
    expect(await prisma.privacyRequest.count()).toBe(requests);
  });
});
