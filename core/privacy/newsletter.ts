// The newsletter (privacy promise P24): admins compose it in the back-office; it goes through the job queue ONLY to
// accounts that opted in (User.newsletterEnabled, off by default) and are active — never to someone who opted out
// or never opted in, never to a suspended or deleted account. Each email carries its own signed one-click
// unsubscribe link and the List-Unsubscribe headers (RFC 8058).
//
//   queueNewsletter (admin, audited) → job "newsletter.fanout" → one job "newsletter.deliver" per recipient →
//   deliverNewsletter re-checks the person is still opted in and active at send time, and records a
//   NewsletterDelivery in the same transaction as the send, so each person gets it once even when jobs retry.
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { recordAudit, type AuditActor } from "../audit/index.ts";
import { DomainError, isUniqueViolation } from "../errors/index.ts";
import type { JobQueue } from "../platform/jobs/queue.ts";
import type { Mailer, MailMessage } from "../platform/mail/index.ts";
import { escapeHtml } from "../mail/templates.ts";
import { unsubscribeHeaders, unsubscribeUrl } from "../notifications/unsubscribe.ts";
import { DPO_LINE } from "./dpo.ts";

export interface NewsletterDeps {
  db: PrismaClient;
  jobs: JobQueue;
  appUrl: string;
  unsubscribeKey: Uint8Array;
  now?: () => Date;
}

export const newsletterInputSchema = z.object({
  subject: z
    .string()
    .trim()
    .min(3, "Write a subject of at least 3 characters.")
    .max(150, "Keep the subject under 150 characters."),
  body: z
    .string()
    .trim()
    .min(10, "Write at least 10 characters.")
    .max(20_000, "Keep the newsletter under 20,000 characters."),
});
export type NewsletterInput = z.infer<typeof newsletterInputSchema>;

export interface NewsletterFanOutJob {
  newsletterId: string;
}
export interface NewsletterDeliveryJob {
  newsletterId: string;
  userId: string;
}

/** The only people a newsletter may reach: opted in, active, verified address, not deleted. */
export const newsletterAudience = {
  newsletterEnabled: true,
  status: "ACTIVE",
  deletedAt: null,
  emailVerifiedAt: { not: null },
} satisfies Prisma.UserWhereInput;

/** Ids of the people the newsletter goes to, in id order (bounded pages; the fan-out walks them all). */
export async function newsletterRecipientIds(
  db: PrismaClient,
  opts: { after?: string; take?: number } = {},
): Promise<string[]> {
  const rows = await db.user.findMany({
    where: { ...newsletterAudience, ...(opts.after ? { id: { gt: opts.after } } : {}) },
    orderBy: { id: "asc" },
    take: opts.take ?? 500,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

export async function countNewsletterAudience(db: PrismaClient): Promise<number> {
  return db.user.count({ where: newsletterAudience });
}

/** An admin queues a newsletter: stored, audited, and handed to the job queue. */
export async function queueNewsletter(
  deps: NewsletterDeps,
  actor: AuditActor,
  input: NewsletterInput,
): Promise<{ id: string }> {
  const parsed = newsletterInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError("VALIDATION", issue?.message ?? "Check the newsletter.", {
      field: String(issue?.path[0] ?? "body"),
    });
  }
  const now = deps.now?.() ?? new Date();
  const newsletter = await deps.db.newsletter.create({
    data: { subject: parsed.data.subject, body: parsed.data.body, createdAt: now },
    select: { id: true },
  });
  await recordAudit(deps.db, actor, { action: "newsletter.send", target: `newsletter:${newsletter.id}` }, now);
  await deps.jobs.send<NewsletterFanOutJob>(
    "newsletter.fanout",
    { newsletterId: newsletter.id },
    { singletonKey: `newsletter:${newsletter.id}` },
  );
  return newsletter;
}

/** Lists the recipients and queues one delivery job each. Runs once per newsletter (a retry does nothing new). */
export async function fanOutNewsletter(deps: NewsletterDeps, job: NewsletterFanOutJob): Promise<number> {
  const newsletter = await deps.db.newsletter.findUnique({
    where: { id: job.newsletterId },
    select: { id: true, fannedOutAt: true },
  });
  if (!newsletter || newsletter.fannedOutAt) return 0;
  let after: string | undefined;
  let count = 0;
  for (;;) {
    const ids = await newsletterRecipientIds(deps.db, { after, take: 500 });
    if (ids.length === 0) break;
    for (const userId of ids) {
      await deps.jobs.send<NewsletterDeliveryJob>(
        "newsletter.deliver",
        { newsletterId: newsletter.id, userId },
        { singletonKey: `${newsletter.id}:${userId}` },
      );
    }
    count += ids.length;
    after = ids.at(-1);
  }
  await deps.db.newsletter.update({
    where: { id: newsletter.id },
    data: { fannedOutAt: deps.now?.() ?? new Date(), recipientCount: count },
    select: { id: true },
  });
  return count;
}

export function newsletterEmail(
  to: string,
  name: string,
  subject: string,
  body: string,
  unsubscribe: string,
): MailMessage {
  const paragraphs = [
    `Hello ${name},`,
    ...body
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean),
  ];
  const why = "You get this because you turned on the Mind Namo newsletter. You can turn it off at any time.";
  const optOut = `Unsubscribe with one click: ${unsubscribe}`;
  const text = [...paragraphs, "", "—", why, optOut, DPO_LINE].join("\n\n");
  const html =
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937">${paragraphs
      .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
      .join("")}<hr><p style="font-size:12px;color:#6b7280">${escapeHtml(why)} ` +
    `<a href="${escapeHtml(unsubscribe)}">Unsubscribe with one click</a>.</p>` +
    `<p style="font-size:12px;color:#6b7280">${escapeHtml(DPO_LINE)}</p></body></html>`;
  return { to, subject, text, html, template: "newsletter", headers: unsubscribeHeaders(unsubscribe) };
}

/**
 * Sends one newsletter to one person, if they are still in the audience when the job runs. The delivery row and
 * the send share a transaction: a failed send records nothing (the job retries), a repeated job sends nothing.
 */
export async function deliverNewsletter(
  deps: Pick<NewsletterDeps, "db" | "appUrl" | "unsubscribeKey">,
  mailer: Mailer,
  job: NewsletterDeliveryJob,
): Promise<"sent" | "not-in-audience" | "gone" | "already-sent"> {
  const [newsletter, user] = await Promise.all([
    deps.db.newsletter.findUnique({ where: { id: job.newsletterId }, select: { id: true, subject: true, body: true } }),
    deps.db.user.findFirst({
      where: { id: job.userId, ...newsletterAudience },
      select: { id: true, email: true, name: true },
    }),
  ]);
  if (!newsletter) return "gone";
  if (!user) return "not-in-audience";
  try {
    await deps.db.$transaction(async (tx) => {
      await tx.newsletterDelivery.create({
        data: { newsletterId: newsletter.id, userId: user.id },
        select: { id: true },
      });
      await mailer.send(
        newsletterEmail(
          user.email,
          user.name,
          newsletter.subject,
          newsletter.body,
          unsubscribeUrl(deps.appUrl, deps.unsubscribeKey, { userId: user.id, list: "newsletter" }),
        ),
      );
    });
    return "sent";
  } catch (error) {
    if (isUniqueViolation(error)) return "already-sent";
    throw error;
  }
}

/** The back-office list: what was sent, when, to how many (counts only, no recipients). */
export async function listNewsletters(db: PrismaClient, take = 50) {
  const rows = await db.newsletter.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      subject: true,
      createdAt: true,
      fannedOutAt: true,
      recipientCount: true,
      _count: { select: { deliveries: true } },
    },
  });
  return rows.map(({ _count, ...r }) => ({ ...r, delivered: _count.deliveries }));
}
