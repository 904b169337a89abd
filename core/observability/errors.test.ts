import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import {
  fingerprintOf,
  listErrorGroups,
  purgeErrorReports,
  recordError,
  recordServerError,
  scrub,
  scrubLocation,
} from "./errors.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.cleanup();
});
const prisma = () => t.db.prisma;

// Secrets and personal data a careless error message could carry.
const PLANTED = {
  email: "ana.perez+test@example.com",
  encodedEmail: "ana.perez%40example.com",
  jwt: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFuYSJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  bearer: "Bearer abcDEF123456ghiJKL789",
  sessionToken: "abcdefghijklmnopqrstuvwxyz234567.abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst",
  hex: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  base64url: "Zm9vYmFyYmF6cXV4LXF1dXgtY29ycG9yYXRl_0123456789",
  code8: "48213907",
  code8spaced: "4821 3907",
  code6: "730519",
  query: "?token=s3cr3t-value&email=someone",
  password: "password=hunter2hunter2",
  uuid: "0190f3c2-7b7e-7c5d-9b2a-3f1e2d4c5b6a",
};

describe("error reports are scrubbed", () => {
  it("removes planted emails, JWTs, bearer tokens, session tokens, long hex and base64url, 6-8 digit codes, query strings and ids", async () => {
    const message =
      `Failed for ${PLANTED.email} (${PLANTED.encodedEmail}) with ${PLANTED.jwt}; header ${PLANTED.bearer}; ` +
      `cookie mn_session=${PLANTED.sessionToken}; key ${PLANTED.hex} / ${PLANTED.base64url}; your ` +
      `code ${PLANTED.code8} or ${PLANTED.code8spaced} or ${PLANTED.code6}; ${PLANTED.password}; ` +
      `ticket ${PLANTED.uuid}`;
    const stack = `Error: boom\n    at load (http://localhost:3000/reset-password${PLANTED.query}:10:5)\n    at ${PLANTED.email}`;
    await recordError(prisma(), { kind: "CLIENT_CRASH", message, stack, location: `/reset-password${PLANTED.query}` });
    const rows = await prisma().errorReport.findMany({ where: { kind: "CLIENT_CRASH" } });
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0]);
    for (const [name, secret] of Object.entries(PLANTED)) expect(stored, name).not.toContain(secret);
    for (const piece of [
      "ana.perez",
      "hunter2",
      "s3cr3t",
      "someone",
      "48213907",
      "3907",
      "730519",
      "SflKxw",
      "9f86d081",
    ])
      expect(stored, piece).not.toContain(piece);
    expect(rows[0]!.location).toBe("/reset-password");
    expect(rows[0]!.message).toContain("[email]");
    expect(rows[0]!.message).toContain("[code]");
  });

  it("keeps what makes an error useful", () => {
    expect(scrub("TypeError: Cannot read properties of undefined (reading 'name')")).toBe(
      "TypeError: Cannot read properties of undefined (reading 'name')",
    );
    expect(scrub("Are you sure? Yes.")).toBe("Are you sure? Yes.");
    expect(scrubLocation("http://localhost:3000/experts/anna-k?topic=sleep#x")).toBe("/experts/anna-k");
    expect(scrubLocation("/build/routes/experts._index-ABCD1234.js")).toBe("/build/routes/experts._index-ABCD1234.js");
    expect(scrub("at row 12:345 of 20 items")).toBe("at row 12:345 of 20 items");
  });

  it("stores no user, IP or cookie: the table has no column for them", async () => {
    const columns = await prisma().$queryRawUnsafe<{ column_name: string }[]>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'ErrorReport' ORDER BY column_name`,
    );
    expect(columns.map((c) => c.column_name).sort()).toEqual([
      "createdAt",
      "fingerprint",
      "id",
      "kind",
      "location",
      "message",
      "stack",
      "status",
    ]);
  });

  it("server errors are recorded without throwing, scrubbed", async () => {
    await recordServerError(prisma(), new Error(`lookup failed for ${PLANTED.email}`), `/account${PLANTED.query}`);
    const row = await prisma().errorReport.findFirst({ where: { kind: "SERVER_ERROR" } });
    expect(row?.message).toBe("Error: lookup failed for [email]");
    expect(row?.location).toBe("/account");
    // A database that fails does not turn reporting into a second error.
    const broken = { errorReport: { create: () => Promise.reject(new Error("down")) } } as unknown as Parameters<
      typeof recordServerError
    >[0];
    let reported: unknown;
    await expect(recordServerError(broken, new Error("x"), null, (e) => (reported = e))).resolves.toBeUndefined();
    expect(String(reported)).toContain("down");
  });
});

describe("error groups", () => {
  it("group by kind + normalized message + location, with counts and first/last seen", async () => {
    const day = (d: number) => new Date(Date.UTC(2026, 10, d, 12));
    await recordError(
      prisma(),
      { kind: "API_FAILURE", message: "POST /help failed with 502 for a@example.com", location: "/help", status: 502 },
      day(20),
    );
    await recordError(
      prisma(),
      { kind: "API_FAILURE", message: "POST /help failed with 503 for b@example.org", location: "/help", status: 503 },
      day(22),
    );
    await recordError(
      prisma(),
      { kind: "API_FAILURE", message: "POST /help failed with 502 for c@example.net", location: "/help", status: 502 },
      day(25),
    );
    await recordError(
      prisma(),
      { kind: "API_FAILURE", message: "POST /help failed with 502", location: "/contact", status: 502 },
      day(23),
    );
    await recordError(
      prisma(),
      { kind: "LOAD_FAILURE", message: "POST /help failed with 502", location: "/help" },
      day(21),
    );
    const groups = await listErrorGroups(prisma(), { kind: "API_FAILURE" });
    const help = groups.find((g) => g.location === "/help")!;
    expect(help.count).toBe(3);
    expect(help.firstSeen.toISOString()).toBe(day(20).toISOString());
    expect(help.lastSeen.toISOString()).toBe(day(25).toISOString());
    expect(help.message).toBe("POST /help failed with 502 for [email]");
    expect(groups.find((g) => g.location === "/contact")!.count).toBe(1);
    expect(groups).toHaveLength(2);
    // Newest group first.
    expect(groups[0]!.location).toBe("/help");
    expect(fingerprintOf({ kind: "LOAD_FAILURE", message: "x", location: "/help" })).not.toBe(
      fingerprintOf({ kind: "API_FAILURE", message: "x", location: "/help" }),
    );
    expect((await listErrorGroups(prisma(), { kind: "LOAD_FAILURE" })).map((g) => g.count)).toEqual([1]);
  });
});

describe("retention", () => {
  it("reports older than 30 days are purged; younger ones stay", async () => {
    const now = new Date(Date.UTC(2026, 11, 31, 12));
    const old = await recordError(
      prisma(),
      { kind: "CLIENT_CRASH", message: "old crash" },
      new Date(now.getTime() - 31 * 86_400_000),
    );
    const young = await recordError(
      prisma(),
      { kind: "CLIENT_CRASH", message: "young crash" },
      new Date(now.getTime() - 29 * 86_400_000),
    );
    const deleted = await purgeErrorReports(prisma(), now);
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await prisma().errorReport.count({ where: { fingerprint: old.fingerprint } })).toBe(0);
    expect(await prisma().errorReport.count({ where: { fingerprint: young.fingerprint } })).toBe(1);
  });
});
