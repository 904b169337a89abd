// Staff management for admins: list staff, change a role (ends that person's sessions), deactivate an account
// (ends its sessions too). Every change leaves an AuditEvent. Authorization is the back-office's job.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import { recordAudit, type AuditActor } from "../audit/index.ts";
import { DomainError } from "../errors/index.ts";
import { STAFF_ROLES } from "./sessions.ts";

export function listStaff(db: PrismaClient) {
  return db.user.findMany({
    where: { role: { in: [...STAFF_ROLES] } },
    orderBy: [{ role: "asc" }, { name: "asc" }],
    take: 500,
    select: { id: true, name: true, email: true, role: true, status: true, staffTotp: { select: { confirmedAt: true } } },
  });
}

export async function findUserByEmail(db: PrismaClient, email: string) {
  return db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, name: true, email: true, role: true, status: true } });
}

export async function changeUserRole(db: PrismaClient, actor: AuditActor & { id: string }, input: { userId: string; role: Role }) {
  if (actor.id === input.userId) throw new DomainError("PRECONDITION", "You cannot change your own role.");
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, role: true } });
  if (!user) throw new DomainError("NOT_FOUND", "No account with that id.");
  const [updated, ended] = await db.$transaction([
    db.user.update({ where: { id: input.userId }, data: { role: input.role }, select: { id: true, role: true } }),
    db.session.deleteMany({ where: { userId: input.userId } }),
  ]);
  await recordAudit(db, actor, { action: `staff.role.${user.role}->${input.role}`, target: `user:${user.id}`, subjectUserId: user.id });
  return { ...updated, sessionsEnded: ended.count };
}

export async function deactivateUser(db: PrismaClient, actor: AuditActor & { id: string }, input: { userId: string }) {
  if (actor.id === input.userId) throw new DomainError("PRECONDITION", "You cannot deactivate your own account.");
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true } });
  if (!user) throw new DomainError("NOT_FOUND", "No account with that id.");
  await db.$transaction([
    db.user.update({ where: { id: user.id }, data: { status: "SUSPENDED" }, select: { id: true } }),
    db.session.deleteMany({ where: { userId: user.id } }),
  ]);
  await recordAudit(db, actor, { action: "staff.deactivate", target: `user:${user.id}`, subjectUserId: user.id });
}
