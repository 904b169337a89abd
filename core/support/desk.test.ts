// The agents' desk against a real database: queue search and filters, the SLA clock per priority, saved views with
// their counts (each staff member sees only their own), bulk changes and their undo (every ticket audited), the
// requester panel (audited, privacy tickets withheld from support), editing canned replies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDomainError } from "../errors/index.ts";
import { createUser } from "../identity/users.ts";
import { createTestAccounts, type TestAccounts } from "../platform/testing/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import {
  bulkUpdateTickets,
  deleteView,
  listSavedViews,
  requesterPanel,
  restoreTickets,
  saveView,
  updateCannedReply,
} from "./desk.ts";
import {
  addInternalNote,
  createCannedReply,
  dueTimes,
  getMyTicket,
  listMyTickets,
  logTicketOnBehalf,
  openTicket,
  replyAsRequester,
  replyAsStaff,
  setTicketPriority,
  setTicketStatus,
  slaClock,
  SLA_HOURS,
  submitContactForm,
  ticketQueue,
  type StaffActor,
} from "./tickets.ts";

let t: TestDatabase;
let a: TestAccounts;
const db = () => t.db.prisma;
const HOUR = 3_600_000;

let seq = 0;
async function person(role: "USER" | "SUPPORT" | "DPO", name = `Person ${++seq}`) {
  const email = `desk${++seq}@example.com`;
  const u = await createUser(db(), { email, name, role, emailVerified: true });
  const actor: StaffActor = { id: u.id, role, ip: "203.0.113.9" };
  return { id: u.id, email, name, actor };
}
const queue = (actor: StaffActor, f: Record<string, unknown> = {}) =>
  ticketQueue(db(), actor, { includeClosed: false, limit: 100, ...f });

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  throw new Error("expected a refusal");
}

let agent: Awaited<ReturnType<typeof person>>;
let other: Awaited<ReturnType<typeof person>>;
let dpo: Awaited<ReturnType<typeof person>>;
let wren: Awaited<ReturnType<typeof person>>;
let login: string;
let refund: string;
let privacy: string;
let phone: string;
let visitor: string;

beforeAll(async () => {
  t = await createTestDatabase();
  a = createTestAccounts(t.db.prisma);
  agent = await person("SUPPORT", "Agent Smith");
  other = await person("SUPPORT", "Other Agent");
  dpo = await person("DPO", "Dana Dpo");
  wren = await person("USER", "Wren Quillfeather");
  login = (
    await openTicket(a.deps, wren.id, {
      subject: "Cannot sign in",
      category: "ACCOUNT",
      message: "The code never arrives in my mailbox.",
    })
  ).id;
  refund = (
    await openTicket(a.deps, wren.id, {
      subject: "Session moved",
      category: "BOOKING",
      message: "My expert moved the session twice.",
    })
  ).id;
  privacy = (
    await openTicket(a.deps, wren.id, {
      subject: "Delete my mood diary",
      category: "PRIVACY",
      message: "Please erase the mailbox notes too.",
    })
  ).id;
  phone = (
    await logTicketOnBehalf(a.deps, agent.actor, {
      channel: "PHONE",
      email: "caller-nobody@example.com",
      subject: "Called about a video room",
      category: "TECHNICAL",
      message: "Camera stays black.",
      priority: "URGENT",
    })
  ).id;
  visitor = (
    await submitContactForm(
      a.deps,
      {
        email: "visitor@example.com",
        name: "Vera Visitor",
        subject: "A question before signing up",
        category: "OTHER",
        message: "Do you offer sessions in Dutch?",
      },
      "198.51.100.4",
    )
  ).id;
}, 60_000);
afterAll(async () => {
  await a?.deps.mail.drain(); // deferred work and mail finish before the outbox and the database go
  a?.cleanup();
  await t?.cleanup();
});

describe("queue search and filters", () => {
  it("finds words in the subject, in any message, and the requester's name — never in privacy tickets for support", async () => {
    const ids = async (q: string) => (await queue(agent.actor, { q })).map((r) => r.id).sort();
    expect(await ids("sign in")).toEqual([login]);
    expect(await ids("MAILBOX")).toEqual([login]); // the privacy ticket's message says "mailbox" too
    expect(await ids("quillfeather")).toEqual([login, refund].sort());
    expect(await ids("vera")).toEqual([visitor]);
    // A privacy ticket's subject is the DPO's: support neither reads it in the queue nor finds it by searching.
    expect(await ids("mood diary")).toEqual([]);
    expect((await queue(agent.actor, {})).find((r) => r.id === privacy)?.subject).not.toMatch(/mood/i);
    expect((await queue(dpo.actor, { q: "mood diary" })).map((r) => r.id)).toEqual([privacy]);
    await addInternalNote(db(), agent.actor, { ticketId: refund, body: "Checked the calendar sync" });
    expect(await ids("calendar sync")).toEqual([refund]);
  });

  it("filters by channel, category, priority, assignee (me, none) and overdue", async () => {
    expect((await queue(agent.actor, { channel: "PHONE" })).map((r) => r.id)).toEqual([phone]);
    expect((await queue(agent.actor, { channel: "CONTACT_FORM" })).map((r) => r.id)).toEqual([visitor]);
    expect((await queue(agent.actor, { category: "BOOKING" })).map((r) => r.id)).toEqual([refund]);
    expect((await queue(agent.actor, { priority: "URGENT" })).map((r) => r.id)).toEqual([phone]);
    await bulkUpdateTickets({ db: db(), actor: agent.actor, ticketIds: [login], assigneeId: agent.id });
    expect((await queue(agent.actor, { assignee: "me" })).map((r) => r.id)).toEqual([login]);
    expect((await queue(other.actor, { assignee: "me" })).map((r) => r.id)).toEqual([]);
    expect((await queue(agent.actor, { assignee: "none" })).map((r) => r.id)).not.toContain(login);
    // Nothing is overdue yet; two hours later the urgent call has missed its one-hour first response.
    expect(await queue(agent.actor, { overdue: true })).toEqual([]);
    const later = new Date(Date.now() + 2 * HOUR);
    const overdue = await ticketQueue(db(), agent.actor, { includeClosed: false, limit: 100, overdue: true }, later);
    expect(overdue.map((r) => r.id)).toEqual([phone]);
    expect(overdue[0]!.overdue).toBe(true);
  });
});

describe("the SLA clock", () => {
  it("counts to the first response, then to resolution; done tickets have none", () => {
    const created = new Date("2026-03-01T09:00:00Z");
    for (const priority of ["LOW", "NORMAL", "HIGH", "URGENT"] as const) {
      const due = dueTimes(created, priority);
      const base = { status: "OPEN" as const, ...due, firstRespondedAt: null };
      const at = new Date(created.getTime() + HOUR / 2);
      const clock = slaClock(base, at)!;
      expect(clock.target).toBe("firstResponse");
      expect(clock.msLeft).toBe(SLA_HOURS[priority].firstResponse * HOUR - HOUR / 2);
      expect(clock.overdue).toBe(false);
      const answered = slaClock({ ...base, firstRespondedAt: at }, at)!;
      expect(answered.target).toBe("resolution");
      expect(answered.dueAt).toEqual(new Date(created.getTime() + SLA_HOURS[priority].resolution * HOUR));
      const late = slaClock(base, new Date(due.firstResponseDueAt.getTime() + 1))!;
      expect(late.overdue).toBe(true);
      expect(late.msLeft).toBeLessThan(0);
      expect(slaClock({ ...base, status: "RESOLVED" }, at)).toBeNull();
    }
    // Urgent is the tightest promise, low the loosest.
    expect(SLA_HOURS.URGENT.firstResponse).toBeLessThan(SLA_HOURS.HIGH.firstResponse);
    expect(SLA_HOURS.LOW.resolution).toBeGreaterThan(SLA_HOURS.NORMAL.resolution);
  });

  it("stands still while the ticket waits for the requester, and their answer moves the due times on", async () => {
    const t0 = new Date("2026-04-01T09:00:00Z");
    let clock = t0;
    const deps = { ...a.deps, now: () => clock };
    const requester = await person("USER");
    const { id } = await openTicket(deps, requester.id, {
      subject: "Cannot join my session",
      category: "TECHNICAL",
      message: "The room stays grey.",
    });
    const row = async (at: Date) =>
      (await ticketQueue(db(), agent.actor, { includeClosed: false, limit: 200 }, at)).find((r) => r.id === id)!;
    // The reply answers within the first-response promise and waits for the person (the default).
    clock = new Date(t0.getTime() + 2 * HOUR);
    await replyAsStaff(deps, agent.actor, { ticketId: id, body: "Which browser do you use?" });
    // 200 hours later the 120-hour resolution promise would be long broken, but we were waiting for them.
    const later = new Date(t0.getTime() + 200 * HOUR);
    const waiting = await row(later);
    expect(waiting).toMatchObject({ status: "PENDING_USER", overdue: false });
    expect(waiting.sla).toMatchObject({ target: "resolution", paused: true, msLeft: 118 * HOUR });
    const overdueOnes = await ticketQueue(
      db(),
      agent.actor,
      { includeClosed: false, limit: 200, overdue: true },
      later,
    );
    expect(overdueOnes.map((r) => r.id)).not.toContain(id);
    // Their answer, after 200 hours of waiting, starts the clock again with what was left.
    clock = new Date(t0.getTime() + 202 * HOUR);
    await replyAsRequester(deps, { userId: requester.id, ticketId: id, message: "Firefox, and it still fails." });
    const stored = await db().supportTicket.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ status: "OPEN", slaPausedAt: null, slaPausedMs: 200 * HOUR });
    expect(stored.resolutionDueAt).toEqual(new Date(t0.getTime() + (120 + 200) * HOUR));
    const running = await row(new Date(t0.getTime() + 203 * HOUR));
    expect(running.sla).toMatchObject({ paused: false, msLeft: 117 * HOUR });
    // A priority change keeps the credit for the time spent waiting.
    await setTicketPriority(db(), agent.actor, { ticketId: id, priority: "HIGH" });
    expect((await db().supportTicket.findUniqueOrThrow({ where: { id } })).resolutionDueAt).toEqual(
      new Date(t0.getTime() + (72 + 200) * HOUR),
    );
    // On hold (waiting on someone else) does not stop it: the person is still waiting for us.
    await setTicketStatus(db(), agent.actor, { ticketId: id, status: "ON_HOLD" }, clock);
    expect((await row(new Date(t0.getTime() + 300 * HOUR))).overdue).toBe(true);
  });

  it("the queue lists live tickets soonest due first and finished ones after them", async () => {
    const requester = await person("USER");
    const early = new Date(Date.now() - 100 * HOUR);
    const { id: done } = await openTicket({ ...a.deps, now: () => early }, requester.id, {
      subject: "Answered long ago",
      category: "OTHER",
      message: "A question from last week.",
    });
    await setTicketStatus(db(), agent.actor, { ticketId: done, status: "RESOLVED" });
    const { id: fresh } = await openTicket(a.deps, requester.id, {
      subject: "Asked just now",
      category: "OTHER",
      message: "A question from today.",
    });
    const rows = await queue(agent.actor);
    const live = rows.filter((r) => r.status !== "RESOLVED" && r.status !== "CLOSED");
    // Every live ticket comes before every finished one, the finished one included although it was due first.
    expect(rows.slice(0, live.length)).toEqual(live);
    expect(rows.findIndex((r) => r.id === done)).toBeGreaterThan(rows.findIndex((r) => r.id === fresh));
    const due = live.map((r) => r.firstResponseDueAt.getTime());
    expect(due).toEqual([...due].sort((x, y) => x - y));
  });

  it("the queue carries the clock for each open ticket", async () => {
    const row = (await queue(agent.actor, { channel: "PHONE" }))[0]!;
    expect(row.sla?.target).toBe("firstResponse");
    expect(row.sla!.msLeft).toBeLessThanOrEqual(HOUR);
  });
});

describe("saved views", () => {
  it("are per staff member, counted live, replaced by name, and deleted only by their owner", async () => {
    const mine = await saveView({ db: db(), actor: agent.actor, name: "My urgent", filters: { priority: "URGENT" } });
    await saveView({ db: db(), actor: agent.actor, name: "Account", filters: { category: "ACCOUNT" } });
    await saveView({ db: db(), actor: other.actor, name: "Theirs", filters: {} });
    let views = await listSavedViews({ db: db(), actor: agent.actor });
    expect(views.map((v) => [v.name, v.count])).toEqual([
      ["Account", 1],
      ["My urgent", 1],
    ]);
    // Same name: the filters are replaced, not duplicated.
    await saveView({ db: db(), actor: agent.actor, name: "My urgent", filters: { priority: "LOW" } });
    views = await listSavedViews({ db: db(), actor: agent.actor });
    expect(views.find((v) => v.name === "My urgent")).toMatchObject({ id: mine.id, count: 0 });
    expect(await refusal(saveView({ db: db(), actor: agent.actor, name: " ", filters: {} }))).toBe("VALIDATION");
    expect(await refusal(deleteView({ db: db(), actor: other.actor, id: mine.id }))).toBe("NOT_FOUND");
    await deleteView({ db: db(), actor: agent.actor, id: mine.id });
    expect((await listSavedViews({ db: db(), actor: agent.actor })).map((v) => v.name)).toEqual(["Account"]);
  });
});

describe("bulk changes", () => {
  it("close and assign several tickets, each audited, and undo puts them back", async () => {
    const ids = [refund, visitor];
    const { before } = await bulkUpdateTickets({ db: db(), actor: agent.actor, ticketIds: ids, status: "CLOSED" });
    expect(before.map((b) => b.status)).toEqual(["NEW", "NEW"]);
    const closed = await db().supportTicket.findMany({ where: { id: { in: ids } }, select: { status: true } });
    expect(closed.map((c) => c.status)).toEqual(["CLOSED", "CLOSED"]);
    const audits = await db().auditEvent.findMany({
      where: { actorId: agent.id, action: "ticket.status.CLOSED" },
      select: { purpose: true },
    });
    expect(audits.map((x) => x.purpose).sort()).toEqual([...ids].sort());
    await restoreTickets({ db: db(), actor: agent.actor, states: before });
    const back = await db().supportTicket.findMany({
      where: { id: { in: ids } },
      select: { status: true, closedAt: true, assigneeId: true },
    });
    expect(back).toEqual([
      { status: "NEW", closedAt: null, assigneeId: null },
      { status: "NEW", closedAt: null, assigneeId: null },
    ]);

    const assigned = await bulkUpdateTickets({ db: db(), actor: agent.actor, ticketIds: ids, assigneeId: other.id });
    await restoreTickets({ db: db(), actor: agent.actor, states: assigned.before });
    expect(
      (
        await db().supportTicket.findMany({ where: { id: { in: ids } }, select: { assigneeId: true, status: true } })
      ).map((x) => [x.assigneeId, x.status]),
    ).toEqual([
      [null, "NEW"],
      [null, "NEW"],
    ]);
    expect(
      await refusal(bulkUpdateTickets({ db: db(), actor: agent.actor, ticketIds: ids, assigneeId: wren.id })),
    ).toBe("VALIDATION"); // only support agents take tickets
    expect(
      await refusal(
        bulkUpdateTickets({
          db: db(),
          actor: agent.actor,
          ticketIds: ["00000000-0000-7000-8000-000000000000"],
          status: "CLOSED",
        }),
      ),
    ).toBe("NOT_FOUND");
  });
});

describe("the requester panel", () => {
  it("shows name, account state and other tickets, audited with the ticket as purpose; privacy stays the DPO's", async () => {
    const panel = await requesterPanel({ db: db(), actor: agent.actor, ticketId: login });
    expect(panel).toMatchObject({ kind: "account", name: "Wren Quillfeather", accountStatus: "ACTIVE" });
    if (panel.kind !== "account") throw new Error("expected an account");
    const others = panel.otherTickets;
    expect(others.map((o) => o.id)).toContain(refund);
    const hidden = others.find((o) => o.category === "PRIVACY")!;
    expect(hidden).toMatchObject({ id: null, subject: null });
    expect(JSON.stringify(panel)).not.toContain("mood diary");
    const audit = await db().auditEvent.findFirst({
      where: { actorId: agent.id, action: "ticket.requester.view" },
      select: { subjectUserId: true, purpose: true, target: true },
    });
    expect(audit).toEqual({ subjectUserId: wren.id, purpose: login, target: `ticket:${login}` });

    // A privacy ticket's own panel reads nothing for support, and leaves no read in the trail.
    const before = await db().auditEvent.count({ where: { actorId: agent.id, action: "ticket.requester.view" } });
    expect(await requesterPanel({ db: db(), actor: agent.actor, ticketId: privacy })).toEqual({ kind: "privacy" });
    expect(await db().auditEvent.count({ where: { actorId: agent.id, action: "ticket.requester.view" } })).toBe(before);
    // The DPO sees it in full.
    const forDpo = await requesterPanel({ db: db(), actor: dpo.actor, ticketId: login });
    if (forDpo.kind !== "account") throw new Error("expected an account");
    expect(forDpo.otherTickets.find((o) => o.category === "PRIVACY")?.subject).toBe("Delete my mood diary");
  });

  it("a visitor's panel names them and finds their other messages by address", async () => {
    const second = await submitContactForm(
      a.deps,
      {
        email: "visitor@example.com",
        name: "Vera Visitor",
        subject: "Follow-up question",
        category: "OTHER",
        message: "And in French?",
      },
      "198.51.100.5",
    );
    const panel = await requesterPanel({ db: db(), actor: agent.actor, ticketId: visitor });
    expect(panel).toMatchObject({ kind: "visitor", name: "Vera Visitor" });
    if (panel.kind !== "visitor") throw new Error("expected a visitor");
    expect(panel.otherTickets.map((o) => o.id)).toEqual([second.id]);
  });
});

describe("canned replies", () => {
  it("are edited by id, a title stays unique, and each save is audited", async () => {
    const first = await createCannedReply(db(), agent.actor, { title: "Greeting", body: "Hello!" });
    await createCannedReply(db(), agent.actor, { title: "Goodbye", body: "Take care." });
    await updateCannedReply({ db: db(), actor: agent.actor, id: first.id, title: "Welcome", body: "Hello there!" });
    expect(await db().cannedReply.findUnique({ where: { id: first.id }, select: { title: true, body: true } })).toEqual(
      { title: "Welcome", body: "Hello there!" },
    );
    expect(
      await refusal(updateCannedReply({ db: db(), actor: agent.actor, id: first.id, title: "Goodbye", body: "x" })),
    ).toBe("CONFLICT");
    expect(
      await refusal(
        updateCannedReply({
          db: db(),
          actor: agent.actor,
          id: "00000000-0000-7000-8000-000000000000",
          title: "Nope",
          body: "x",
        }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      await db().auditEvent.count({
        where: { actorId: agent.id, action: "canned_reply.save", target: `canned:${first.id}` },
      }),
    ).toBe(2);
  });

  it("replying still works after bulk changes (the desk does not break the thread)", async () => {
    await replyAsStaff(a.deps, agent.actor, { ticketId: login, body: "Try the code again now." });
    const row = (await queue(agent.actor, { q: "sign in" }))[0]!;
    expect(row.sla?.target).toBe("resolution");
  });
});

describe("a person's own tickets (/help)", () => {
  it("include tickets from their verified address by contact form, email or phone; never another account's, never by an unverified address", async () => {
    const me = await person("USER", "Maren Oakes");
    const someone = await person("USER", "Sam Else");
    const mk = (data: { contactEmail?: string; requesterId?: string; subject: string; channel: "EMAIL" | "PHONE" }) =>
      db().supportTicket.create({
        data: {
          ...data,
          category: "OTHER",
          firstResponseDueAt: new Date(),
          resolutionDueAt: new Date(),
          messages: { create: { body: `About ${data.subject}`, fromStaff: true } },
        },
        select: { id: true },
      });
    const form = await submitContactForm(
      a.deps,
      { email: me.email, name: "Maren", subject: "Before my account", category: "OTHER", message: "Hello there" },
      "203.0.113.40",
    );
    const emailed = await mk({ contactEmail: me.email.toUpperCase(), subject: "Emailed in", channel: "EMAIL" });
    const phoned = await mk({ contactEmail: me.email, subject: "Phoned in", channel: "PHONE" });
    // The same address on a ticket of another account is that account's ticket, not mine.
    const theirs = await mk({
      contactEmail: me.email,
      requesterId: someone.id,
      subject: "Theirs with my address",
      channel: "PHONE",
    });
    const elsewhere = await mk({ contactEmail: someone.email, subject: "Someone else's", channel: "EMAIL" });

    const subjects = (await listMyTickets(db(), me.id)).map((x) => x.subject).sort();
    expect(subjects).toEqual(["Before my account", "Emailed in", "Phoned in"]);
    for (const id of [form.id, emailed.id, phoned.id])
      expect((await getMyTicket(db(), { userId: me.id, ticketId: id })).id).toBe(id);
    for (const id of [theirs.id, elsewhere.id])
      expect(await refusal(getMyTicket(db(), { userId: me.id, ticketId: id }))).toBe("NOT_FOUND");
    expect((await listMyTickets(db(), someone.id)).map((x) => x.subject).sort()).toEqual([
      "Someone else's",
      "Theirs with my address",
    ]);

    // Until the address is verified, it matches nothing (anyone can type an address into a sign-up form).
    await db().user.update({ where: { id: me.id }, data: { emailVerifiedAt: null } });
    expect(await listMyTickets(db(), me.id)).toEqual([]);
    expect(await refusal(getMyTicket(db(), { userId: me.id, ticketId: phoned.id }))).toBe("NOT_FOUND");
  });
});
