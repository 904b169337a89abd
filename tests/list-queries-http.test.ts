// No N+1 on the list pages: the SQL statements one whole request sends (session check, loader, layout)
// are counted with core/platform/testing/query-count.ts while the page lists a few items and while it lists many; the two
// counts must be equal and small. Pages: /sessions (a client's sessions), /expert (an expert's sessions), /help (a
// person's support tickets), and the back-office ticket queue (core's ticketQueue, which the console's procedure
// returns as is). The directory and the slot lists are covered in core/catalog and core/scheduling.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "../core/identity/sessions.ts";
import { queueFilterSchema, ticketQueue } from "../core/support/tickets.ts";
import { countQueries } from "../core/platform/testing/query-count.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let srv: TestServer;
const HOUR = 3_600_000;
let slotCursor = 0;

beforeAll(async () => {
  srv = await startTestServer({}, { seed: true });
  // Any policy-notice work the start queued (none with the demo seed, which joins its accounts under the version in
  // force) would be counted with a page's queries: wait until none is left, so only pages are measured.
  for (let i = 0; i < 600; i++) {
    const [row] = await srv.running.services.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pgboss.job WHERE name LIKE 'privacy.policy-notice%' AND state IN ('created', 'retry', 'active')",
    );
    if (row?.n === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 180_000);
afterAll(async () => {
  await srv?.stop();
});

const prisma = () => srv.running.services.db.prisma;
const device = { ip: null, userAgent: "test", browser: null, os: null, device: null };

async function personWithSession(role: "USER" | "EXPERT" = "USER", existingUserId?: string) {
  const userId =
    existingUserId ??
    (
      await prisma().user.create({
        data: {
          email: `lists-${crypto.randomUUID()}@test.mindnamo.test`,
          name: "List Person",
          emailVerifiedAt: new Date(),
          role,
        },
        select: { id: true },
      })
    ).id;
  const session = await createSession(prisma(), { userId, role, device });
  return { userId, cookie: `mn_session=${session.token}` };
}

/** `count` bookings, half upcoming and half past, across every expert and topic; never overlapping. */
async function addBookings(count: number, opts: { userId?: string; expertId?: string }) {
  const experts = await prisma().expertProfile.findMany({
    select: { id: true, categories: { select: { categoryId: true } } },
  });
  const clients = opts.userId
    ? [opts.userId]
    : (await Promise.all([1, 2, 3].map(() => personWithSession()))).map((p) => p.userId);
  const data = Array.from({ length: count }, (_, i) => {
    const expert = opts.expertId ? experts.find((e) => e.id === opts.expertId)! : experts[i % experts.length]!;
    slotCursor++;
    const startsAt = new Date(Date.now() + (i % 2 === 0 ? 1 : -1) * (400 + slotCursor * 3) * HOUR);
    const endsAt = new Date(startsAt.getTime() + 50 * 60_000);
    return {
      userId: clients[i % clients.length]!,
      expertId: expert.id,
      categoryId: expert.categories[i % expert.categories.length]!.categoryId,
      startsAt,
      endsAt,
      blockedUntil: endsAt,
      status: i % 2 === 0 ? ("CONFIRMED" as const) : ("COMPLETED" as const),
      roomName: crypto.randomBytes(16).toString("hex"),
    };
  });
  await prisma().booking.createMany({ data });
}

async function addTickets(count: number, requesterId: string) {
  const ids = Array.from({ length: count }, () => crypto.randomUUID());
  await prisma().supportTicket.createMany({
    data: ids.map((id, i) => ({
      id,
      requesterId,
      subject: `Question ${i}`,
      category: "BOOKING" as const,
      channel: "WEB" as const,
      firstResponseDueAt: new Date(Date.now() + HOUR),
      resolutionDueAt: new Date(Date.now() + 48 * HOUR),
    })),
  });
  await prisma().ticketMessage.createMany({
    data: ids.map((ticketId) => ({ ticketId, authorId: requesterId, body: "Hello" })),
  });
}

async function queriesFor(path: string, cookie: string): Promise<number> {
  await fetch(`${srv.url}${path}`, { headers: { cookie } }).then((r) => r.text()); // warm: first renders, session sliding
  const { result, queries, sql } = await countQueries(async () => {
    const res = await fetch(`${srv.url}${path}`, { headers: { cookie } });
    return { status: res.status, html: await res.text() };
  });
  expect(result.status, `${path} answered ${result.status}`).toBe(200);
  if (process.env.SHOW_SQL) console.log(path, sql.map((s) => s.slice(0, 140)).join("\n"));
  return queries;
}

describe("list pages send the same few queries for few and for many items", () => {
  it("/sessions", async () => {
    const me = await personWithSession();
    await addBookings(2, { userId: me.userId });
    const few = await queriesFor("/sessions", me.cookie);
    await addBookings(40, { userId: me.userId });
    const many = await queriesFor("/sessions", me.cookie);
    expect(many).toBe(few);
    // The session with its user (one statement, shared by the root and the page) and one per list (upcoming, past:
    // relations, the review included, joined in): 12 on 2026-11-29, 4 then 3 on 2026-12-02. SHOW_SQL=1 prints them.
    expect(many).toBeLessThanOrEqual(3);
    // A lower bound too: a counter that stopped counting would read 0 and pass the checks above.
    expect(many).toBeGreaterThanOrEqual(3);
  });

  it("/expert", async () => {
    const expert = await prisma().user.findUniqueOrThrow({
      where: { email: "amara-okafor@experts.mindnamo.test" },
      select: { id: true, expertProfile: { select: { id: true } } },
    });
    const me = await personWithSession("EXPERT", expert.id);
    const few = await queriesFor("/expert", me.cookie);
    await addBookings(40, { expertId: expert.expertProfile!.id });
    const many = await queriesFor("/expert", me.cookie);
    expect(many).toBe(few);
    // 10 on 2026-11-29; 4 on 2026-12-02; 3 since 2026-12-03 (session, profile with the upcoming list, past list)
    expect(many).toBeLessThanOrEqual(3);
    expect(many).toBeGreaterThanOrEqual(3);
  });

  it("/help", async () => {
    const me = await personWithSession();
    await addTickets(2, me.userId);
    const few = await queriesFor("/help", me.cookie);
    await addTickets(40, me.userId);
    const many = await queriesFor("/help", me.cookie);
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(2); // 3 on 2026-11-29 (session 2, tickets 1); 2 since 2026-12-02
    expect(many).toBeGreaterThanOrEqual(2);
  });

  it("the booking page and the account page (signed in, rendered per request)", async () => {
    const me = await personWithSession();
    // The session and the health-data consent; the expert with their relations and schedule (rules, time off,
    // bookings), read by the warm-up request, is kept until something about them changes (ADR 0019): 12 statements
    // on 2026-12-01, 4 on 2026-12-02, 3 and then 2 on 2026-12-03.
    const book = await queriesFor("/book/amara-okafor", me.cookie);
    expect(book).toBeLessThanOrEqual(2);
    expect(book).toBeGreaterThanOrEqual(2);
    // A booking with the expert, written straight to the database: the server hears of it from the database's
    // trigger and reads the expert again on the next request.
    const expert = await prisma().expertProfile.findUniqueOrThrow({ where: { slug: "amara-okafor" } });
    await addBookings(1, { expertId: expert.id });
    const until = Date.now() + 1_000;
    while (srv.running.services.bookingPages.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    const { queries: afterBooking } = await countQueries(() =>
      fetch(`${srv.url}/book/amara-okafor`, { headers: { cookie: me.cookie } }).then((r) => r.text()),
    );
    expect(afterBooking).toBe(3);
    // The session, and the account page's data (preferences with their relations, e-mail settings, avatar) in
    // one statement: 8 on 2026-12-01, 4 and then 2 on 2026-12-02.
    const account = await queriesFor("/account", me.cookie);
    expect(account).toBeLessThanOrEqual(2);
    expect(account).toBeGreaterThanOrEqual(2);
  });

  it("the back-office ticket queue", async () => {
    const admin = await prisma().user.findUniqueOrThrow({
      where: { email: "admin@mindnamo.test" },
      select: { id: true },
    });
    const actor = { id: admin.id, role: "ADMIN" as const, ip: "127.0.0.1" };
    const requester = await personWithSession();
    await addTickets(3, requester.userId);
    const few = await countQueries(() => ticketQueue(prisma(), actor, queueFilterSchema.parse({})));
    await addTickets(40, requester.userId);
    // Some assigned, so the assignee relation has rows to load.
    await prisma().supportTicket.updateMany({
      where: { requesterId: requester.userId, subject: { startsWith: "Question 1" } },
      data: { assigneeId: admin.id },
    });
    const many = await countQueries(() => ticketQueue(prisma(), actor, queueFilterSchema.parse({})));
    expect(many.result.length).toBeGreaterThan(few.result.length);
    expect(many.queries).toBe(few.queries);
    expect(many.queries).toBeLessThanOrEqual(2);
    expect(many.queries).toBeGreaterThanOrEqual(1);
  });
});
