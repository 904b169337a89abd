// "An email to every account when the policy changes" (Art. 12-14: people are told of changes to how their data is
// processed). At start the server calls announcePolicyVersion: the first time a version is seen, a PolicyNotice row
// is created and one fan-out job queued (the row's primary key makes this once per version, however many
// processes start). The fan-out queues one delivery job per active account that existed when the version was
// announced, carrying only the version and the user id: someone who signs up afterwards read this version when
// they joined, and a fan-out that runs late (a busy queue) must not tell them it changed. The delivery reads the
// address when it sends, so a person who left in between gets nothing. This is an essential service message (not
// marketing): it goes to every such account, newsletter or not.
import type { PrismaClient, Prisma } from "../generated/prisma/client.ts";
import { isUniqueViolation } from "../errors/index.ts";
import { layout } from "../mail/templates.ts";
import type { JobQueue } from "../platform/jobs/queue.ts";
import type { Mailer, MailMessage } from "../platform/mail/index.ts";
import { DPO_LINE } from "./dpo.ts";
import { POLICY_CHANGES, policyDate, PRIVACY_POLICY_VERSION } from "./policy.ts";

export interface PolicyNoticeFanOutJob {
  version: string;
}
export interface PolicyNoticeDeliveryJob {
  version: string;
  userId: string;
}

export const policyNoticeAudience = {
  status: "ACTIVE",
  deletedAt: null,
  emailVerifiedAt: { not: null },
} satisfies Prisma.UserWhereInput;

/** Queues the announcement of `version` once; returns whether this call queued it. */
export async function announcePolicyVersion(
  db: PrismaClient,
  jobs: Pick<JobQueue, "send">,
  version: string = PRIVACY_POLICY_VERSION,
): Promise<boolean> {
  try {
    await db.policyNotice.create({ data: { version }, select: { version: true } });
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
  await jobs.send<PolicyNoticeFanOutJob>("privacy.policy-notice", { version }, { singletonKey: `policy:${version}` });
  return true;
}

/**
 * Lists every active account created before the version was announced and queues one delivery each; once per
 * version (a retry does nothing new).
 */
export async function fanOutPolicyNotice(
  deps: { db: PrismaClient; jobs: Pick<JobQueue, "send">; now?: () => Date },
  job: PolicyNoticeFanOutJob,
): Promise<number> {
  const notice = await deps.db.policyNotice.findUnique({
    where: { version: job.version },
    select: { version: true, createdAt: true, fannedOutAt: true },
  });
  if (!notice || notice.fannedOutAt) return 0;
  let after: string | undefined;
  let count = 0;
  for (;;) {
    const rows = await deps.db.user.findMany({
      where: {
        ...policyNoticeAudience,
        createdAt: { lt: notice.createdAt },
        ...(after ? { id: { gt: after } } : {}),
      },
      orderBy: { id: "asc" },
      take: 500,
      select: { id: true },
    });
    if (rows.length === 0) break;
    for (const { id } of rows) {
      await deps.jobs.send<PolicyNoticeDeliveryJob>(
        "privacy.policy-notice.deliver",
        { version: notice.version, userId: id },
        { singletonKey: `policy:${notice.version}:${id}` },
      );
    }
    count += rows.length;
    after = rows.at(-1)!.id;
  }
  await deps.db.policyNotice.update({
    where: { version: notice.version },
    data: { fannedOutAt: deps.now?.() ?? new Date(), recipientCount: count },
    select: { version: true },
  });
  return count;
}

export function policyChangedEmail(to: string, name: string, version: string, appUrl: string): MailMessage {
  const change = POLICY_CHANGES.find((c) => c.date === version);
  return layout({
    to,
    subject: "We changed our privacy policy",
    template: "privacy-policy-changed",
    footer: `Mind Namo — a service message about how we handle your data. ${DPO_LINE}`,
    paragraphs: [
      `Hello ${name.trim().split(/\s+/)[0] ?? ""},`,
      `We updated our privacy policy on ${policyDate(version)}. What changed:`,
      ...(change?.summary ?? []).map((s) => `• ${s}`),
      `Read the whole policy: ${appUrl}/privacy — and the providers who receive data: ${appUrl}/privacy/processors`,
      DPO_LINE,
    ],
  });
}

/** Sends the notice to one person if they are still an active account; the address is read now. */
export async function deliverPolicyNotice(
  deps: { db: PrismaClient; appUrl: string },
  mailer: Mailer,
  job: PolicyNoticeDeliveryJob,
): Promise<"sent" | "not-in-audience"> {
  const user = await deps.db.user.findFirst({
    where: { id: job.userId, ...policyNoticeAudience },
    select: { email: true, name: true },
  });
  if (!user) return "not-in-audience";
  await mailer.send(policyChangedEmail(user.email, user.name, job.version, deps.appUrl));
  return "sent";
}
