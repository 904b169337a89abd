// MAIL_TRANSPORT=smtp (nodemailer) against a real SMTP server started here (smtp-server, a self-signed certificate
// made by openssl for this run): mail goes over TLS only — a server that does not offer STARTTLS, or whose
// certificate is not trusted, gets nothing; the settings are validated at start.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { welcomeEmail } from "../core/mail/templates.ts";
import { ConfigError, parseConfig } from "../core/platform/env/index.ts";
import { createMailer, SmtpMailer } from "../core/platform/mail/index.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-smtp-"));
let key = "";
let cert = "";
const received: { secure: boolean; user: string | undefined; raw: string }[] = [];
const servers: SMTPServer[] = [];

function start(opts: { starttls: boolean }): Promise<number> {
  const server = new SMTPServer({
    secure: false,
    key,
    cert,
    disabledCommands: opts.starttls ? [] : ["STARTTLS"],
    // Authentication only over TLS (smtp-server's default refuses AUTH in clear text).
    onAuth(auth, _session, cb) {
      if (auth.username === "mailer" && auth.password === "a-long-smtp-password") cb(null, { user: "mailer" });
      else cb(new Error("Invalid username or password"));
    },
    onData(stream, session, cb) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        received.push({ secure: session.secure, user: session.user as string | undefined, raw });
        cb();
      });
    },
    logger: false,
  });
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port)),
  );
}

beforeAll(() => {
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost",
      "-keyout",
      path.join(dir, "key.pem"),
      "-out",
      path.join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  key = fs.readFileSync(path.join(dir, "key.pem"), "utf8");
  cert = fs.readFileSync(path.join(dir, "cert.pem"), "utf8");
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  fs.rmSync(dir, { recursive: true, force: true });
});

const auth = { user: "mailer", pass: "a-long-smtp-password" };

describe("MAIL_TRANSPORT=smtp", () => {
  it("delivers over STARTTLS with authentication, headers and body intact", async () => {
    const port = await start({ starttls: true });
    const mailer = new SmtpMailer(
      { host: "localhost", port, secure: false, auth, ca: cert },
      "Mind Namo <no-reply@test>",
    );
    const message = {
      ...welcomeEmail("ada@example.com", "Ada"),
      headers: { "List-Unsubscribe": "<https://x.example/u>" },
    };
    const sent = await mailer.send(message);
    expect(sent.transport).toBe("smtp");
    const got = received.at(-1)!;
    expect(got.secure).toBe(true);
    expect(got.user).toBe("mailer");
    expect(got.raw).toContain("Subject: Welcome to Mind Namo");
    expect(got.raw).toContain("To: ada@example.com");
    expect(got.raw).toContain("List-Unsubscribe: <https://x.example/u>");
  });

  it("refuses a server that does not offer TLS, and one whose certificate is not trusted: nothing is delivered", async () => {
    const before = received.length;
    const plain = await start({ starttls: false });
    await expect(
      new SmtpMailer({ host: "localhost", port: plain, secure: false, auth, ca: cert }, "x@test").send(
        welcomeEmail("bo@example.com", "Bo"),
      ),
    ).rejects.toThrow();
    const tls = await start({ starttls: true });
    await expect(
      new SmtpMailer({ host: "localhost", port: tls, secure: false, auth }, "x@test").send(
        welcomeEmail("bo@example.com", "Bo"),
      ),
    ).rejects.toThrow(/certificate/i);
    expect(received.length).toBe(before);
  });

  it("settings are validated at start", () => {
    expect(() => parseConfig({ MAIL_TRANSPORT: "smtp" })).toThrow(ConfigError);
    expect(() => parseConfig({ MAIL_TRANSPORT: "smtp" })).toThrow(
      /SMTP_HOST: is required[\s\S]*SMTP_PORT: is required/,
    );
    expect(() =>
      parseConfig({ MAIL_TRANSPORT: "smtp", SMTP_HOST: "smtp.example", SMTP_PORT: "587", SMTP_USER: "u" }),
    ).toThrow(/SMTP_USER and SMTP_PASSWORD must be set together/);
    expect(() => parseConfig({ MAIL_TRANSPORT: "smtp", SMTP_HOST: "smtp.example", SMTP_PORT: "99999" })).toThrow(
      /SMTP_PORT/,
    );
    const cfg = parseConfig({
      NODE_ENV: "production",
      APP_URL: "https://mindnamo.example",
      SESSION_SECRET: "x".repeat(40),
      MAIL_TRANSPORT: "smtp",
      SMTP_HOST: "smtp.example",
      SMTP_PORT: "465",
      SMTP_SECURE: "true",
      SMTP_USER: "u",
      SMTP_PASSWORD: "p",
    });
    expect(cfg.mailTransport).toBe("smtp");
    expect(createMailer(cfg)).toBeInstanceOf(SmtpMailer);
  });
});
