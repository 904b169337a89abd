// Account mail waiting in the job table is sealed: neither the address nor the code can be read from the stored
// job, a wrong key or a changed box is refused, and the template name (never personal) stays readable.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { loginCode } from "../../mail/templates.ts";
import { mailRecipientKeyOf, openMail, sealMail } from "./sealed.ts";

const key = new Uint8Array(crypto.randomBytes(32));
const pepper = new Uint8Array(crypto.randomBytes(32));

describe("sealed account mail", () => {
  const message = loginCode("someone@example.com", "12345678");

  it("opens to the same message under the same key", () => {
    expect(openMail(key, sealMail(key, pepper, message))).toEqual(message);
  });

  it("stores neither the address nor the code in clear, only the template's name", () => {
    const stored = JSON.stringify(sealMail(key, pepper, message));
    expect(message.text).toMatch(/1234 5678/);
    expect(stored).not.toContain("someone");
    expect(stored).not.toContain("example.com");
    expect(stored).not.toMatch(/1234.?5678/);
    expect(JSON.parse(stored)).toMatchObject({ v: 1, template: "login-code" });
    // What an erasure recomputes to find the person's mail jobs: the same for any spelling of the address.
    expect(JSON.parse(stored)).toMatchObject({ recipient: mailRecipientKeyOf(pepper, " Someone@Example.COM") });
  });

  it("is refused under another key, with a changed box or with another template's name", () => {
    const sealed = sealMail(key, pepper, message);
    expect(() => openMail(new Uint8Array(crypto.randomBytes(32)), sealed)).toThrow();
    const raw = Buffer.from(sealed.box, "base64url");
    raw[20]! ^= 1;
    expect(() => openMail(key, { ...sealed, box: raw.toString("base64url") })).toThrow();
    expect(() => openMail(key, { ...sealed, template: "newsletter" })).toThrow();
  });
});
