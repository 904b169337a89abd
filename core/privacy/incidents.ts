// Personal-data breaches (GDPR Art. 33, 34; docs/breach-runbook.md): the DPO's record of each one, in the console.
// An incident is opened with the moment we became aware (the 72-hour clock starts there, not when the
// investigation ends), assessed (free text and the risk to people), the supervisory authority notified (a late
// notification needs its reason), the people told when the risk is high, and closed with the lessons learned.
// Every transition is audited with the incident as purpose; a transition that the law or the order of the steps
// does not allow is refused with a sentence saying what to do instead. The record names no person: categories
// and approximate numbers only; who made each step is in the audit trail.
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { IncidentRisk, IncidentStatus } from "../generated/prisma/enums.ts";
import { recordAudit, type AuditActor } from "../audit/index.ts";
import { DomainError } from "../errors/index.ts";

export const NOTIFY_WITHIN_HOURS = 72;
const HOUR = 3_600_000;
/** Clocks of different machines disagree a little: an awareness time a few minutes ahead is still "now". */
const SKEW = 5 * 60_000;

export interface IncidentDeps {
  db: PrismaClient;
  now?: () => Date;
}
const clock = (deps: IncidentDeps) => deps.now?.() ?? new Date();

/** Art. 33(1): within 72 hours of becoming aware. */
export const authorityDeadline = (awareAt: Date) => new Date(awareAt.getTime() + NOTIFY_WITHIN_HOURS * HOUR);

/** Whether the authority still has to be notified: not yet notified, and not assessed as unlikely to be a risk. */
export function awaitsAuthority(i: { status: IncidentStatus; risk: IncidentRisk | null }) {
  return (i.status === "OPEN" || i.status === "ASSESSED") && i.risk !== "UNLIKELY";
}

const text = (what: string, min: number, max: number) =>
  z
    .string({ error: `Write the ${what}.` })
    .trim()
    .min(min, `Write the ${what} (at least ${min} characters).`)
    .max(max, `Keep the ${what} under ${max.toLocaleString("en")} characters.`);
const moment = (what: string) =>
  z.coerce.date({ error: `Give the date and time ${what}.` }).refine((d) => !Number.isNaN(d.getTime()), {
    message: `Give the date and time ${what}.`,
  });

const openSchema = z.object({
  title: text("title", 5, 200),
  description: text("description of what happened", 20, 8000),
  awareAt: moment("we became aware"),
});
const assessSchema = z.object({
  assessment: text("assessment", 20, 8000),
  risk: z.enum(["UNLIKELY", "RISK", "HIGH"], { error: "Choose how likely and severe the risk to people is." }),
});
const authoritySchema = z.object({
  notifiedAt: moment("the authority was notified").optional(),
  reference: text("authority's reference or how it was sent", 3, 500),
  lateReason: z.string().trim().max(2000, "Keep the reason under 2,000 characters.").optional(),
});
const peopleSchema = z.object({
  notifiedAt: moment("the people were told").optional(),
  notice: text("note of how the people were told and how many", 10, 4000),
});
const closeSchema = z.object({ closingNote: text("lessons learned and the fix", 20, 8000) });

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = typeof issue?.path[0] === "string" ? issue.path[0] : undefined;
  throw new DomainError("VALIDATION", issue?.message ?? "Check the form and try again.", field ? { field } : undefined);
}

const select = {
  id: true,
  title: true,
  description: true,
  status: true,
  awareAt: true,
  openedAt: true,
  assessment: true,
  risk: true,
  assessedAt: true,
  authorityNotifiedAt: true,
  authorityReference: true,
  lateReason: true,
  peopleNotifiedAt: true,
  peopleNotice: true,
  closedAt: true,
  closingNote: true,
} as const;

type Row = { status: IncidentStatus; risk: IncidentRisk | null; awareAt: Date; authorityNotifiedAt: Date | null };

/** The clock as the console shows it: the deadline, hours left (negative when late), and whether it is overdue. */
function withClock<T extends Row>(i: T, now: Date) {
  const deadline = authorityDeadline(i.awareAt);
  const pending = awaitsAuthority(i);
  return {
    ...i,
    deadline,
    awaitsAuthority: pending,
    hoursLeft: pending ? Math.floor((deadline.getTime() - now.getTime()) / HOUR) : null,
    overdue: pending && deadline.getTime() < now.getTime(),
    notifiedLate: i.authorityNotifiedAt !== null && i.authorityNotifiedAt.getTime() > deadline.getTime(),
  };
}

async function load(db: PrismaClient, id: string) {
  const i = await db.incident.findUnique({ where: { id }, select });
  if (!i) throw new DomainError("NOT_FOUND", "No such incident.");
  return i;
}

type IncidentStep = "open" | "assess" | "notify_authority" | "notify_people" | "close";

async function audit(deps: IncidentDeps, actor: AuditActor, id: string, step: IncidentStep, now: Date) {
  await recordAudit(
    deps.db,
    actor,
    { action: `incident.${step}` as const, target: `incident:${id}`, purpose: `incident:${id}` },
    now,
  );
}

/** Changes the status only if nobody changed it meanwhile (two DPOs on one record). */
async function move(deps: IncidentDeps, id: string, from: IncidentStatus, data: Record<string, unknown>) {
  const done = await deps.db.incident.updateMany({ where: { id, status: from }, data });
  if (done.count !== 1)
    throw new DomainError("CONFLICT", "Someone else changed this incident meanwhile. Reload it and try again.");
}

export async function openIncident(deps: IncidentDeps, actor: AuditActor, input: unknown) {
  const { title, description, awareAt } = parse(openSchema, input);
  const now = clock(deps);
  if (awareAt.getTime() > now.getTime() + SKEW)
    throw new DomainError("VALIDATION", "The moment we became aware cannot be in the future.", { field: "awareAt" });
  const created = await deps.db.incident.create({
    data: { title, description, awareAt, openedAt: now },
    select: { id: true },
  });
  await audit(deps, actor, created.id, "open", now);
  return { id: created.id, deadline: authorityDeadline(awareAt) };
}

/** Every incident, open ones first by their deadline. Not personal data, so reading is not audited per row. */
export async function listIncidents(deps: IncidentDeps) {
  const now = clock(deps);
  const rows = await deps.db.incident.findMany({
    orderBy: [{ awareAt: "desc" }],
    take: 200,
    select: {
      id: true,
      title: true,
      status: true,
      risk: true,
      awareAt: true,
      authorityNotifiedAt: true,
      closedAt: true,
    },
  });
  return rows
    .map((r) => withClock(r, now))
    .sort(
      (a, b) =>
        Number(b.status !== "CLOSED") - Number(a.status !== "CLOSED") || a.deadline.getTime() - b.deadline.getTime(),
    );
}

export async function getIncident(deps: IncidentDeps, id: string) {
  return withClock(await load(deps.db, id), clock(deps));
}

export async function assessIncident(deps: IncidentDeps, actor: AuditActor, id: string, input: unknown) {
  const { assessment, risk } = parse(assessSchema, input);
  const now = clock(deps);
  const i = await load(deps.db, id);
  if (i.status !== "OPEN")
    throw new DomainError(
      "CONFLICT",
      i.status === "CLOSED"
        ? "This incident is closed."
        : "This incident was already assessed. Add what you learned later to the notes of the next step.",
    );
  await move(deps, id, "OPEN", { status: "ASSESSED", assessment, risk, assessedAt: now });
  await audit(deps, actor, id, "assess", now);
  return getIncident(deps, id);
}

export async function recordAuthorityNotified(deps: IncidentDeps, actor: AuditActor, id: string, input: unknown) {
  const parsed = parse(authoritySchema, input);
  const now = clock(deps);
  const notifiedAt = parsed.notifiedAt ?? now;
  const i = await load(deps.db, id);
  if (i.status === "OPEN")
    throw new DomainError(
      "CONFLICT",
      "Assess the incident first: the notification says what happened, to whom and what it may mean for them.",
    );
  if (i.status !== "ASSESSED")
    throw new DomainError(
      "CONFLICT",
      i.status === "CLOSED" ? "This incident is closed." : "The authority was already notified.",
    );
  if (notifiedAt.getTime() > now.getTime() + SKEW)
    throw new DomainError("VALIDATION", "The notification cannot be in the future.", { field: "notifiedAt" });
  if (notifiedAt.getTime() < i.awareAt.getTime())
    throw new DomainError("VALIDATION", "The notification cannot be before we became aware.", {
      field: "notifiedAt",
    });
  const late = notifiedAt.getTime() > authorityDeadline(i.awareAt).getTime();
  const lateReason = parsed.lateReason ? parsed.lateReason : null;
  if (late && (!lateReason || lateReason.length < 10))
    throw new DomainError(
      "VALIDATION",
      "More than 72 hours passed since we became aware: say why the notification is late (Art. 33(1), at least 10 characters).",
      { field: "lateReason" },
    );
  await move(deps, id, "ASSESSED", {
    status: "AUTHORITY_NOTIFIED",
    authorityNotifiedAt: notifiedAt,
    authorityReference: parsed.reference,
    lateReason: late ? lateReason : null,
  });
  await audit(deps, actor, id, "notify_authority", now);
  return getIncident(deps, id);
}

export async function recordPeopleNotified(deps: IncidentDeps, actor: AuditActor, id: string, input: unknown) {
  const parsed = parse(peopleSchema, input);
  const now = clock(deps);
  const notifiedAt = parsed.notifiedAt ?? now;
  const i = await load(deps.db, id);
  if (i.status === "OPEN" || i.status === "ASSESSED")
    throw new DomainError(
      "CONFLICT",
      i.status === "OPEN"
        ? "Assess the incident first."
        : "Record the notification to the authority first: it comes before telling the people.",
    );
  if (i.status !== "AUTHORITY_NOTIFIED")
    throw new DomainError(
      "CONFLICT",
      i.status === "CLOSED" ? "This incident is closed." : "The people were already told.",
    );
  if (notifiedAt.getTime() > now.getTime() + SKEW)
    throw new DomainError("VALIDATION", "The date the people were told cannot be in the future.", {
      field: "notifiedAt",
    });
  if (notifiedAt.getTime() < i.awareAt.getTime())
    throw new DomainError("VALIDATION", "The people cannot have been told before we became aware.", {
      field: "notifiedAt",
    });
  await move(deps, id, "AUTHORITY_NOTIFIED", {
    status: "PEOPLE_NOTIFIED",
    peopleNotifiedAt: notifiedAt,
    peopleNotice: parsed.notice,
  });
  await audit(deps, actor, id, "notify_people", now);
  return getIncident(deps, id);
}

/**
 * Closes the record. The law decides what must have happened first: an incident unlikely to be a risk may close
 * once assessed; a risk needs the authority notified; a high risk also needs the people told.
 */
export async function closeIncident(deps: IncidentDeps, actor: AuditActor, id: string, input: unknown) {
  const { closingNote } = parse(closeSchema, input);
  const now = clock(deps);
  const i = await load(deps.db, id);
  if (i.status === "CLOSED") throw new DomainError("CONFLICT", "This incident is already closed.");
  if (i.status === "OPEN")
    throw new DomainError("CONFLICT", "Assess the incident before closing it: the record needs the assessment.");
  if (i.status === "ASSESSED" && i.risk !== "UNLIKELY")
    throw new DomainError(
      "CONFLICT",
      "The assessment found a risk to people: notify the authority (Art. 33) before closing the incident.",
    );
  if (i.status === "AUTHORITY_NOTIFIED" && i.risk === "HIGH")
    throw new DomainError(
      "CONFLICT",
      "The assessment found a high risk to people: tell them (Art. 34) before closing the incident.",
    );
  await move(deps, id, i.status, { status: "CLOSED", closedAt: now, closingNote });
  await audit(deps, actor, id, "close", now);
  return getIncident(deps, id);
}
