// Processors in the open (P28) at the HTTP edge: /privacy/processors names every provider that receives personal
// data with purpose, data, location and transfer basis; the policy names Resend and LiveKit (not Nodemailer/SMTP)
// under a dated "What changed" note; a policy version is announced by email through the real job queue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOutbox } from "../core/platform/mail/index.ts";
import { announcePolicyVersion } from "../core/privacy/policy-notice.ts";
import { PRIVACY_POLICY_VERSION } from "../core/privacy/policy.ts";
import { PROCESSORS } from "../core/privacy/processors.ts";
import { Browser, pageText } from "./helpers/http.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv?.stop();
});

describe("processors and the policy", () => {
  it("/privacy/processors lists hosting, database, Resend and LiveKit with purpose, data, location and transfer basis", async () => {
    const resend = await startTestServer({ MAIL_TRANSPORT: "resend", RESEND_API_KEY: "re_processors_page_test" });
    try {
      const res = await new Browser(resend).get("/privacy/processors");
      expect(res.status).toBe(200);
      const text = await pageText(res);
      expect(PROCESSORS.map((p) => p.key)).toEqual(["hosting", "database", "email", "video"]);
      for (const p of PROCESSORS) {
        expect(text).toContain(p.name);
        expect(text).toContain(p.location);
        expect(text).toContain(p.transferBasis);
        for (const d of p.data) expect(text).toContain(d);
      }
      expect(text).toContain("Resend");
      expect(text).toContain("LiveKit");
      expect(text).not.toContain("SMTP relay");
      // Our own deployment: the policy's sentence about Resend is true as written, with no note.
      expect(await pageText(await new Browser(resend).get("/privacy"))).not.toContain('data-testid="mail-note"');
    } finally {
      await resend.stop();
    }
  });

  it("with MAIL_TRANSPORT=smtp the operator's SMTP relay is the named email processor, not Resend", async () => {
    const smtp = await startTestServer({ MAIL_TRANSPORT: "smtp", SMTP_HOST: "relay.mail.example", SMTP_PORT: "587" });
    try {
      const text = await pageText(await new Browser(smtp).get("/privacy/processors"));
      const html = text.slice(0, text.indexOf("window.__remixContext"));
      expect(html).toContain("SMTP relay relay.mail.example (configured by the operator)");
      expect(html).not.toContain("Resend");
      const email = PROCESSORS.find((p) => p.key === "email")!;
      for (const d of email.data) expect(html).toContain(d);
      expect(html).toContain("A data-processing agreement under Art. 28 with the relay");
      for (const name of ["Our hosting provider", "Our managed PostgreSQL database", "LiveKit"])
        expect(html).toContain(name);
      // The policy names Resend (our deployment); this installation says, beside that sentence, what it uses.
      const policy = await pageText(await new Browser(smtp).get("/privacy"));
      expect(policy.slice(0, policy.indexOf("window.__remixContext"))).toContain(
        "<li>Communication Tools (Resend): Sending OTPs and emails. " +
          '<strong data-testid="mail-note">On this installation, email is sent through SMTP relay relay.mail.example ' +
          "(configured by the operator) instead of Resend.</strong></li>",
      );
    } finally {
      await smtp.stop();
    }
  });

  it("with the local outbox no email processor is listed, and the page says mail stays on the server", async () => {
    expect(srv.config.mailTransport).toBe("outbox");
    const text = await pageText(await new Browser(srv).get("/privacy/processors"));
    const html = text.slice(0, text.indexOf("window.__remixContext"));
    expect(html).not.toContain("Resend");
    expect(html).not.toContain("SMTP relay");
    expect(html).toContain("messages are written to a local folder");
    expect(html).toContain("LiveKit");
    const policy = await pageText(await new Browser(srv).get("/privacy"));
    expect(policy).toContain(
      '<strong data-testid="mail-note">On this installation, no email leaves the server: messages are kept in a local outbox, and Resend receives nothing.</strong>',
    );
  });

  it("the policy names Resend and LiveKit, no longer Nodemailer/SMTP, under a dated note of what changed", async () => {
    const text = await pageText(await new Browser(srv).get("/privacy"));
    const html = text.slice(0, text.indexOf("window.__remixContext"));
    // The policy itself no longer names Nodemailer/SMTP (only the dated note says what it used to say).
    const policy = html.slice(html.indexOf("The full policy"));
    expect(policy).toContain("4.1 Service Providers");
    expect(policy).not.toContain("Nodemailer");
    expect(text).toContain("Communication Tools (Resend)");
    expect(text).toContain("Video (LiveKit)");
    // Written out as headings, paragraphs and lists, line by line: never one block with the line breaks as text.
    expect(policy).not.toContain("\\n");
    expect(policy).toContain("<h2>1. Introduction &amp; Purpose</h2>");
    expect(policy).toContain("<h3>4.1 Service Providers</h3>");
    expect(policy).toMatch(
      /<ul><li>Cloud Providers \(our hosting and managed database provider\): [^<]*<\/li><li>Communication Tools \(Resend\)/,
    );
    expect(policy).toContain("<p>Email: privacy@mindnamo.com</p>");
    expect(text).toContain("What changed");
    expect(text).toContain("2 December 2026");
    expect(text).toContain("/privacy/processors");
  });

  it("the server announced the current version at start; a new version is emailed to every active account by the job queue", async () => {
    const prisma = srv.running.services.db.prisma;
    expect(await prisma.policyNotice.findUnique({ where: { version: PRIVACY_POLICY_VERSION } })).not.toBeNull();
    const user = await prisma.user.create({
      data: { email: "policy-reader@example.com", name: "Pat Reader", emailVerifiedAt: new Date() },
      select: { id: true },
    });
    // A version reaches the accounts created before it was announced: a clock tick between the two.
    await new Promise((r) => setTimeout(r, 5));
    expect(await announcePolicyVersion(prisma, srv.running.services.jobs, "2099-01-01")).toBe(true);
    let mail;
    for (let i = 0; i < 60 && !mail; i++) {
      await new Promise((r) => setTimeout(r, 500));
      mail = (await listOutbox(srv.running.services.config.mailOutboxDir)).find(
        (m) => m.to === "policy-reader@example.com" && m.template === "privacy-policy-changed",
      );
    }
    expect(mail?.subject).toBe("We changed our privacy policy");
    // The fan-out records its count after queueing the deliveries, so a fast delivery can be mailed first.
    await expect
      .poll(
        async () => (await prisma.policyNotice.findUniqueOrThrow({ where: { version: "2099-01-01" } })).recipientCount,
        { timeout: 20_000 },
      )
      .toBe(1);
    expect(user.id).toBeTruthy();
  });
});

describe("a demo start", () => {
  it("mails no policy notice: the seeded accounts joined under the version in force", async () => {
    const demo = await startTestServer({}, { seed: true });
    try {
      const prisma = demo.running.services.db.prisma;
      expect(await prisma.user.count({ where: { email: { endsWith: "@mindnamo.test" } } })).toBeGreaterThan(0);
      expect(await prisma.policyNotice.findUnique({ where: { version: PRIVACY_POLICY_VERSION } })).toMatchObject({
        recipientCount: 0,
      });
      const [jobs] = await demo.running.services.db.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pgboss.job WHERE name LIKE 'privacy.policy-notice%'",
      );
      expect(jobs?.n).toBe(0);
      await demo.running.services.mailQueue.drain();
      const mails = await listOutbox(demo.config.mailOutboxDir, 1000);
      expect(mails.filter((m) => m.template === "privacy-policy-changed")).toEqual([]);
    } finally {
      await demo.stop();
    }
  });
});
