import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { createMailer, listOutbox, OutboxMailer, ResendMailer } from "../core/platform/mail/index.ts";
import { welcomeEmail } from "../core/mail/templates.ts";
import { newsletterEmail } from "../core/privacy/newsletter.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-outbox-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("mail", () => {
  it("writes one JSON file per message in outbox mode", async () => {
    const mailer = createMailer({
      mailTransport: "outbox",
      MAIL_FROM: "Mind Namo <no-reply@test>",
      mailOutboxDir: dir,
    });
    expect(mailer).toBeInstanceOf(OutboxMailer);
    const sent = await mailer.send(welcomeEmail("ada@example.com", "Ada <Lovelace>"));
    expect(sent.transport).toBe("outbox");
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files).toHaveLength(1);
    const entry = JSON.parse(fs.readFileSync(path.join(dir, files[0]!), "utf8")) as {
      text: string;
      html: string;
      createdAt: string;
    };
    expect(entry).toMatchObject({
      id: sent.id,
      to: "ada@example.com",
      subject: "Welcome to Mind Namo",
      template: "welcome",
    });
    expect(entry.text).toContain("Hello Ada <Lovelace>,");
    expect(entry.html).toContain("Ada &lt;Lovelace&gt;");
    expect(new Date(entry.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    // Private to the process's user: the outbox may hold sign-in codes.
    expect(fs.statSync(path.join(dir, files[0]!)).mode & 0o077).toBe(0);
  });

  it("lists the outbox newest first and skips broken files", async () => {
    const mailer = new OutboxMailer(dir, "x@test");
    await new Promise((r) => setTimeout(r, 5));
    await mailer.send({ to: "b@example.com", subject: "Second", text: "t", html: "<p>t</p>", template: "test" });
    fs.writeFileSync(path.join(dir, "9999-broken.json"), "{ not json");
    const entries = await listOutbox(dir);
    expect(entries.map((e) => e.subject)).toEqual(["Second", "Welcome to Mind Namo"]);
    expect(await listOutbox(path.join(dir, "missing"))).toEqual([]);
  });

  it("sends through Resend's API when a key is set, and never swallows a refusal", async () => {
    const requests: { auth?: string; body: Record<string, unknown> }[] = [];
    let refuse = false;
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        requests.push({ auth: req.headers.authorization, body: JSON.parse(body) as Record<string, unknown> });
        res.setHeader("content-type", "application/json");
        if (refuse) {
          res.statusCode = 422;
          res.end(JSON.stringify({ name: "validation_error", message: "bad to", statusCode: 422 }));
        } else res.end(JSON.stringify({ id: "email_123" }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    try {
      const mailer = createMailer({
        mailTransport: "resend",
        RESEND_API_KEY: "re_test_key",
        RESEND_BASE_URL: `http://127.0.0.1:${port}`,
        MAIL_FROM: "Mind Namo <no-reply@mindnamo.example>",
        mailOutboxDir: dir,
      });
      expect(mailer).toBeInstanceOf(ResendMailer);
      const sent = await mailer.send(welcomeEmail("ada@example.com", "Ada"));
      expect(sent).toEqual({ id: "email_123", transport: "resend" });
      expect(requests[0]?.auth).toBe("Bearer re_test_key");
      expect(requests[0]?.body).toMatchObject({
        to: "ada@example.com",
        subject: "Welcome to Mind Namo",
        from: "Mind Namo <no-reply@mindnamo.example>",
      });
      refuse = true;
      await expect(mailer.send(welcomeEmail("bad", "Ada"))).rejects.toThrow(/Resend refused the message/);
    } finally {
      server.close();
    }
  });

  it("carries the one-click unsubscribe headers (RFC 8058) through both Resend and the outbox", async () => {
    const message = newsletterEmail(
      "ada@example.com",
      "Ada",
      "News",
      "Hello there.",
      "https://mindnamo.example/unsubscribe?u=1&l=newsletter&t=abc",
    );
    const expected = {
      "List-Unsubscribe": "<https://mindnamo.example/unsubscribe?u=1&l=newsletter&t=abc>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    };
    const bodies: Record<string, unknown>[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        bodies.push(JSON.parse(body) as Record<string, unknown>);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ id: "email_456" }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as { port: number }).port;
      await new ResendMailer("re_test_key", "Mind Namo <no-reply@mindnamo.example>", `http://127.0.0.1:${port}`).send(
        message,
      );
      expect(bodies[0]?.headers).toEqual(expected);
    } finally {
      server.close();
    }
    const outboxDir = path.join(dir, "headers");
    await new OutboxMailer(outboxDir, "no-reply@mindnamo.example").send(message);
    expect((await listOutbox(outboxDir))[0]?.headers).toEqual(expected);
  });
});
