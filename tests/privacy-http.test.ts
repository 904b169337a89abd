// The privacy center at the HTTP edge (P21-P23): the real server and the production Remix build. Export, deletion
// and correction refuse without a session and without a fresh re-authentication; a request id of another user is
// "not found"; the export holds only the signed-in person's data and validates against docs/export-schema.json; the
// dev-only erasure clock is refused in production.
import fs from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../core/identity/password.ts";
import { Browser, pageText } from "./helpers/http.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

const PASSWORD = "quiet lantern by the sea";
let srv: TestServer;
let passwordHash: string;
beforeAll(async () => {
  [srv, passwordHash] = await Promise.all([startTestServer({ TRUST_PROXY: "1" }), hashPassword(PASSWORD)]);
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

const prisma = () => srv.running.services.db.prisma;
/** The published format of the export (docs/export-schema.json): the file served over HTTP must validate. */
const validateExport = new Ajv({ allErrors: true, strict: false }).compile(
  JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../docs/export-schema.json"), "utf8")) as object,
);
let ip = 0;
const nextIp = () => `198.51.100.${++ip}`;
async function signedIn(email: string, name = "Privacy Person") {
  const user = await prisma().user.create({
    data: { email, name, passwordHash, emailVerifiedAt: new Date() },
    select: { id: true },
  });
  const b = new Browser(srv, { ip: nextIp() });
  const res = await b.post("/login", { email, password: PASSWORD });
  expect(res.status).toBe(302);
  return { b, id: user.id, email, name };
}
/** Makes the person's sessions older than the 10-minute re-authentication window. */
async function makeStale(userId: string) {
  await prisma().session.updateMany({
    where: { userId },
    data: { reauthenticatedAt: new Date(Date.now() - 30 * 60_000) },
  });
}

describe("privacy center", () => {
  it("needs a session: anonymous GET and POST redirect to sign in, and nothing is exported or requested", async () => {
    const b = new Browser(srv, { ip: nextIp() });
    for (const path of ["/account/privacy", "/account/privacy/delete", "/account/privacy/correction"]) {
      expect((await b.get(path)).headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    for (const path of [
      "/account/privacy/export",
      "/account/privacy/delete",
      "/account/privacy/correction",
      "/account/privacy?index",
    ]) {
      const res = await b.post(path, {
        confirm: "yes",
        details: "Something is wrong here.",
        intent: "cancel",
        requestId: "x",
      });
      expect(res.status, path).toBe(302);
      expect(res.headers.get("location"), path).toMatch(/^\/login\?next=/);
    }
    expect(await prisma().privacyRequest.count()).toBe(0);
  });

  it("export and deletion refuse without a fresh re-authentication (to /reauth, nothing done), then work after it", async () => {
    const u = await signedIn("stale@example.com");
    await makeStale(u.id);
    const exp = await u.b.post("/account/privacy/export", {});
    expect(exp.status).toBe(302);
    expect(exp.headers.get("location")).toBe(`/reauth?next=${encodeURIComponent("/account/privacy?done=confirmed")}`);
    const del = await u.b.post("/account/privacy/delete", { confirm: "yes" });
    expect(del.headers.get("location")).toBe(`/reauth?next=${encodeURIComponent("/account/privacy/delete")}`);
    const cor = await u.b.post("/account/privacy/correction", { details: "My booking on 3 May is wrong." });
    expect(cor.headers.get("location")).toBe(`/reauth?next=${encodeURIComponent("/account/privacy/correction")}`);
    expect(await prisma().privacyRequest.count({ where: { userId: u.id } })).toBe(0);

    // Confirm it's them, then it works.
    expect(
      (
        await u.b.post("/reauth", { intent: "password", password: PASSWORD, next: "/account/privacy?done=confirmed" })
      ).headers.get("location"),
    ).toBe("/account/privacy?done=confirmed");
    const ok = await u.b.post("/account/privacy/export", {});
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-disposition")).toMatch(
      /^attachment; filename="mindnamo-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(ok.headers.get("cache-control")).toBe("no-store");
    const json = (await ok.json()) as { userId: string; sections: { account: { data: { email: string } } } };
    validateExport(json);
    expect(validateExport.errors ?? [], "docs/export-schema.json").toEqual([]);
    expect(json.userId).toBe(u.id);
    expect(json.sections.account.data.email).toBe(u.email);
    expect(
      await prisma().privacyRequest.findMany({ where: { userId: u.id }, select: { type: true, status: true } }),
    ).toEqual([{ type: "ACCESS", status: "COMPLETED" }]);

    const noConfirm = await u.b.post("/account/privacy/delete", {});
    expect(noConfirm.status).toBe(400);
    const requested = await u.b.post("/account/privacy/delete", { confirm: "yes" });
    expect(requested.headers.get("location")).toBe("/account/privacy?done=deletion");
    expect(await prisma().privacyRequest.count({ where: { userId: u.id, type: "DELETION", status: "PENDING" } })).toBe(
      1,
    );
  });

  it("the export holds nothing of another user; GET never exports", async () => {
    const a = await signedIn("alpha@example.com", "Alpha Anders");
    const b = await signedIn("beta@example.com", "Beta Bergstrom");
    await prisma().supportTicket.create({
      data: {
        requesterId: b.id,
        subject: "Beta's private trouble",
        category: "OTHER",
        channel: "WEB",
        firstResponseDueAt: new Date(),
        resolutionDueAt: new Date(),
      },
      select: { id: true },
    });
    expect((await a.b.get("/account/privacy/export")).headers.get("location")).toBe("/account/privacy");
    expect(await prisma().privacyRequest.count({ where: { userId: a.id } })).toBe(0);
    const text = await (await a.b.post("/account/privacy/export", {})).text();
    expect(text).toContain("alpha@example.com");
    for (const needle of [b.id, b.email, b.name, "private trouble"]) expect(text).not.toContain(needle);
  });

  it("another user's request id: cancelling it is 'not found' and changes nothing", async () => {
    const owner = await signedIn("owner-p@example.com");
    const other = await signedIn("other-p@example.com");
    expect((await owner.b.post("/account/privacy/delete", { confirm: "yes" })).status).toBe(302);
    const r = await prisma().privacyRequest.findFirstOrThrow({ where: { userId: owner.id }, select: { id: true } });
    const res = await other.b.post("/account/privacy?index", { intent: "cancel", requestId: r.id });
    expect(res.status).toBe(404);
    expect(
      (await prisma().privacyRequest.findUniqueOrThrow({ where: { id: r.id }, select: { status: true } })).status,
    ).toBe("PENDING");
    expect(await pageText(await other.b.get("/account/privacy"))).not.toContain("Delete my account");
    // The owner can cancel.
    expect((await owner.b.post("/account/privacy?index", { intent: "cancel", requestId: r.id })).status).toBe(200);
    expect(
      (await prisma().privacyRequest.findUniqueOrThrow({ where: { id: r.id }, select: { status: true } })).status,
    ).toBe("CANCELLED");
  });

  it("the staff-access ledger shows role, time and purpose, never the staff member's name or email", async () => {
    const u = await signedIn("ledger@example.com");
    const agent = await prisma().user.create({
      data: { email: "agent-ledger@example.com", name: "Agnes Agent", role: "SUPPORT" },
      select: { id: true },
    });
    await prisma().auditEvent.create({
      data: {
        actorId: agent.id,
        actorRole: "SUPPORT",
        action: "ticket.view",
        subjectUserId: u.id,
        target: "ticket:t1",
        purpose: "t1",
      },
      select: { id: true },
    });
    const page = await pageText(await u.b.get("/account/privacy"));
    expect(page).toContain("Support agent");
    expect(page).toContain("Read your support request");
    expect(page).not.toContain("Agnes");
    expect(page).not.toContain("agent-ledger@example.com");
  });
});

describe("the dev-only erasure clock", () => {
  it("is refused in production", async () => {
    const prod = await startTestServer({
      NODE_ENV: "production",
      MAIL_TRANSPORT: "outbox",
      SESSION_SECRET: "x".repeat(48),
      TRUST_PROXY: "1",
    });
    try {
      const b = new Browser(prod, {
        ip: nextIp(),
        origin: prod.config.appUrl,
        headers: { "x-forwarded-host": new URL(prod.config.appUrl).host },
      });
      expect((await b.get("/dev/erasures")).status).toBe(404);
      expect((await b.post("/dev/erasures", { days: "30" })).status).toBe(404);
    } finally {
      await prod.stop();
    }
  }, 120_000);
});
