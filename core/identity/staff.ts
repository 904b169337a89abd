// Staff management for admins: list staff, change a role (ends that person's sessions), deactivate an account
// (ends its sessions too). Every change leaves an AuditEvent. Authorization is the back-office's job.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import { recordAudit, type AuditActor } from "../audit/index.ts";
import { DomainError } from "../errors/index.ts";
import { STAFF_ROLES } from "./sessions.ts";
import crypto from "node:crypto";
import { z } from "zod";
import { isUniqueViolation } from "../errors/index.ts";
import { layout } from "../mail/templates.ts";
import type { MailQueue } from "../platform/mail/queue.ts";
import { issueCode } from "./codes.ts";
import { findAccountByEmail, nameSchema, newAccountEmailSchema } from "./users.ts";
import { endEverywhere } from "./owner-device.ts";

/** A role in the words of an email to the person who now holds it. */
const ROLE_WORDS: Record<Role, string> = {
  USER: "client",
  EXPERT: "expert",
  SUPPORT: "support agent",
  DPO: "Data Protection Officer",
  ADMIN: "administrator",
};

export function listStaff(db: PrismaClient) {
  return db.user.findMany({
    where: { role: { in: [...STAFF_ROLES] } },
    orderBy: [{ role: "asc" }, { name: "asc" }],
    take: 500,
    select: {
      id: true,
      name: true,
      email: true,
      role: true,
      status: true,
      staffTotp: { select: { confirmedAt: true } },
    },
  });
}

export async function findUserByEmail(db: PrismaClient, email: string) {
  return db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, name: true, email: true, role: true, status: true },
  });
}

export async function changeUserRole(
  db: PrismaClient,
  actor: AuditActor & { id: string },
  input: { userId: string; role: Role },
) {
  if (actor.id === input.userId) throw new DomainError("PRECONDITION", "You cannot change your own role.");
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, role: true } });
  if (!user) throw new DomainError("NOT_FOUND", "No account with that id.");
  const [updated, ended] = await db.$transaction([
    db.user.update({ where: { id: input.userId }, data: { role: input.role }, select: { id: true, role: true } }),
    ...endEverywhere(db, input.userId),
  ]);
  await recordAudit(db, actor, {
    action: `staff.role.${user.role}->${input.role}`,
    target: `user:${user.id}`,
    subjectUserId: user.id,
  });
  return { ...updated, sessionsEnded: ended.count };
}

export async function deactivateUser(db: PrismaClient, actor: AuditActor & { id: string }, input: { userId: string }) {
  if (actor.id === input.userId) throw new DomainError("PRECONDITION", "You cannot deactivate your own account.");
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true } });
  if (!user) throw new DomainError("NOT_FOUND", "No account with that id.");
  await db.$transaction([
    db.user.update({ where: { id: user.id }, data: { status: "SUSPENDED" }, select: { id: true } }),
    ...endEverywhere(db, user.id),
  ]);
  await recordAudit(db, actor, { action: "staff.deactivate", target: `user:${user.id}`, subjectUserId: user.id });
}

/** Lifts a deactivation (the undo of deactivateUser); the person signs in again themselves. Audited. */
export async function reactivateUser(db: PrismaClient, actor: AuditActor & { id: string }, input: { userId: string }) {
  const { count } = await db.user.updateMany({
    where: { id: input.userId, status: "SUSPENDED" },
    data: { status: "ACTIVE" },
  });
  if (count !== 1) throw new DomainError("CONFLICT", "This account is not deactivated any more.");
  await recordAudit(db, actor, {
    action: "staff.reactivate",
    target: `user:${input.userId}`,
    subjectUserId: input.userId,
  });
}

// ------------------------------------------------------------------------------------------------ undo
// A role change or deactivation can be undone for two minutes by the admin who made it, without a second TOTP
// code (they just gave one). The undo is a signed, expiring statement of exactly what to reverse; it only applies
// while the account is still in the state the change left it in, so replaying it does nothing.

export const UNDO_SECONDS = 120;

const undoSchema = z.object({
  actorId: z.string(),
  userId: z.string(),
  kind: z.enum(["role", "deactivate"]),
  from: z.string(),
  to: z.string(),
  exp: z.number(),
});
export type UndoStatement = z.infer<typeof undoSchema>;

function undoMac(key: Uint8Array, body: string) {
  const k = crypto.hkdfSync("sha256", key, "mindnamo", "staff-undo", 32);
  return crypto.createHmac("sha256", Buffer.from(k)).update(body).digest("base64url");
}

export function signUndo(key: Uint8Array, statement: Omit<UndoStatement, "exp">, now = new Date()): string {
  const body = Buffer.from(
    JSON.stringify({ ...statement, exp: Math.floor(now.getTime() / 1000) + UNDO_SECONDS }),
  ).toString("base64url");
  return `${body}.${undoMac(key, body)}`;
}

export function readUndo(
  key: Uint8Array,
  { token, actorId }: { token: string; actorId: string },
  now = new Date(),
): UndoStatement {
  const [body, mac] = token.split(".");
  const expected = body ? undoMac(key, body) : "";
  const invalid = () =>
    new DomainError("PRECONDITION", "This change can no longer be undone here. Change it again instead.");
  if (
    !body ||
    !mac ||
    mac.length !== expected.length ||
    !crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(expected))
  )
    throw invalid();
  const parsed = undoSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
  if (!parsed.success || parsed.data.actorId !== actorId || parsed.data.exp * 1000 < now.getTime()) throw invalid();
  return parsed.data;
}

/** Reverses a role change or deactivation described by a valid undo statement, if nothing changed since. */
export async function applyUndo(db: PrismaClient, actor: AuditActor & { id: string }, u: UndoStatement) {
  const user = await db.user.findUnique({ where: { id: u.userId }, select: { role: true, status: true } });
  if (!user) throw new DomainError("NOT_FOUND", "No account with that id.");
  if (u.kind === "role") {
    if (user.role !== u.to)
      throw new DomainError("CONFLICT", "The role was changed again since; undo is not possible.");
    const role = z.enum(["USER", "EXPERT", "SUPPORT", "DPO", "ADMIN"]).parse(u.from);
    return changeUserRole(db, actor, { userId: u.userId, role });
  }
  await reactivateUser(db, actor, { userId: u.userId });
  return null;
}

export const inviteStaffSchema = z.object({
  email: newAccountEmailSchema,
  name: nameSchema,
  role: z.enum(["SUPPORT", "DPO", "ADMIN"]),
});

/**
 * Invites a person to the back-office by email. A new address gets an account with that role and no password,
 * and an email with a link to choose one (the password-reset link, valid 1 hour; "Forgot password" sends a new
 * one). An existing account gets the role (its sessions end) and an email saying so. Audited either way.
 */
export async function inviteStaff(
  deps: { db: PrismaClient; mail: MailQueue; pepper: Uint8Array; appUrl: string },
  actor: AuditActor & { id: string },
  input: z.input<typeof inviteStaffSchema>,
): Promise<{ userId: string; created: boolean }> {
  const data = inviteStaffSchema.parse(input);
  const existing = await deps.db.user.findUnique({ where: { email: data.email }, select: { id: true, role: true } });
  if (existing) {
    if (existing.id === actor.id) throw new DomainError("PRECONDITION", "You cannot change your own role.");
    await changeUserRole(deps.db, actor, { userId: existing.id, role: data.role });
    deps.mail.enqueue(
      layout({
        to: data.email,
        subject: "You now have access to the Mind Namo back-office",
        template: "staff-role-granted",
        paragraphs: [
          `Your Mind Namo account now has the ${ROLE_WORDS[data.role]} role.`,
          `Sign in at ${deps.appUrl}/login, then open ${deps.appUrl}/admin. You will set up a second ` +
            `factor (an authenticator app) on first use.`,
        ],
      }),
    );
    return { userId: existing.id, created: false };
  }
  let userId: string;
  try {
    userId = (
      await deps.db.user.create({ data: { email: data.email, name: data.name, role: data.role }, select: { id: true } })
    ).id;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError("CONFLICT", "An account with this email was just created. Please try again.");
    throw error;
  }
  const { linkToken } = await issueCode(deps.db, deps.pepper, {
    purpose: "RESET_PASSWORD",
    email: data.email,
    userId,
    withLink: true,
  });
  await recordAudit(deps.db, actor, {
    action: `staff.invite.${data.role}`,
    target: `user:${userId}`,
    subjectUserId: userId,
  });
  deps.mail.enqueue(
    layout({
      to: data.email,
      subject: "You're invited to the Mind Namo back-office",
      template: "staff-invite",
      paragraphs: [
        `Hello ${data.name}, you have been invited to Mind Namo's back-office with the ${ROLE_WORDS[data.role]} role.`,
        `Choose your password here (the link works once, for 1 hour): ${deps.appUrl}/reset-password?token=${linkToken}`,
        `If the link has expired, use "Forgot your password?" at ${deps.appUrl}/login. You will set up a second factor on first sign-in.`,
      ],
    }),
  );
  return { userId, created: true };
}

/**
 * Finds an account by email so an admin can make it staff. The answer is a person's name, email, role and status,
 * so a match is written to the audit trail with its purpose (a miss reveals no one's data and is not).
 */
export async function lookUpAccountForInvite(db: PrismaClient, actor: AuditActor, email: string) {
  const account = await findAccountByEmail({ db, email });
  if (account)
    await recordAudit(db, actor, {
      action: "staff.account.lookup",
      target: `user:${account.id}`,
      subjectUserId: account.id,
      purpose: "staff invite",
    });
  return account;
}
