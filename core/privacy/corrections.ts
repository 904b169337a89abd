// Correction that corrects (P22): from a CORRECTION request the DPO changes the data itself, not only the request's
// status. Today a name is what a request can correct in place (the rest of an account the person edits on
// /account). The name is stored once, on the account, and every place that shows it reads it when it is shown:
// the expert's workspace and room page (first name), emails rendered when they are sent (the job payloads hold ids
// only), and LiveKit, which gets the first name in each join token. So the corrected name reaches experts with
// upcoming sessions and the processors at once; nothing holds a copy to update. docs/privacy.md says what each
// processor holds.
import { z } from "zod";
import { recordAudit, type AuditActor } from "../audit/index.ts";
import { DomainError } from "../errors/index.ts";
import * as mail from "./mail.ts";
import { clock, type PrivacyDeps } from "./requests.ts";

// A part of a name: letters of any script, marks, spaces, apostrophes, hyphens and dots ("Anne-Marie", "O'Brien",
// "J. R."). No digits or symbols: a correction is typed by staff, and a name is shown to experts and in emails.
const NAME_PART = /^[\p{L}\p{M}][\p{L}\p{M}'’. -]*$/u;

const part = (what: string, max: number) =>
  z
    .string({ error: `Enter the ${what}.` })
    .transform((s) => s.trim().replace(/\s+/g, " "))
    .pipe(
      z
        .string()
        .min(1, `Enter the ${what}.`)
        .max(max, `Use at most ${max} characters for the ${what}.`)
        .regex(NAME_PART, `The ${what} may contain letters, spaces, apostrophes, hyphens and dots only.`),
    );

export const nameCorrectionSchema = z.object({
  firstName: part("first name", 50),
  // Some people have one name only: an empty last name is allowed.
  lastName: z.union([z.literal(""), part("last name", 50)]).default(""),
  reason: z
    .string({ error: "Say what you corrected and why: the person reads it." })
    .trim()
    .min(10, "Say what you corrected and why (at least 10 characters): the person reads it.")
    .max(2000, "Keep it under 2,000 characters."),
});

/** What holds the name outside our database, and what a correction means for it (shown to the DPO, in docs). */
export const NAME_PROCESSORS = [
  {
    processor: "LiveKit (video)",
    effect:
      "Receives the first name in each join token, made when someone joins; the next join carries the corrected name. Nothing to update.",
  },
  {
    processor: "Resend (email)",
    effect:
      "Emails are written when they are sent, so every email from now on uses the corrected name. Emails already sent stay in Resend's logs until they expire (30 days); they cannot be changed.",
  },
] as const;

function refusal(issue: z.core.$ZodIssue | undefined): never {
  const field = typeof issue?.path[0] === "string" ? issue.path[0] : undefined;
  throw new DomainError("VALIDATION", issue?.message ?? "Check the form and try again.", field ? { field } : undefined);
}

/**
 * Applies a name correction asked for in a CORRECTION request: the account's name changes and the request is
 * completed with the DPO's reason, in one transaction; audited with the request as purpose; the person is emailed.
 * A DPO never applies their own request; only a pending correction of an existing account can be applied.
 */
export async function applyNameCorrection(deps: PrivacyDeps, actor: AuditActor, requestId: string, input: unknown) {
  const parsed = nameCorrectionSchema.safeParse(input);
  if (!parsed.success) refusal(parsed.error.issues[0]);
  const { firstName, lastName, reason } = parsed.data;
  const name = lastName ? `${firstName} ${lastName}` : firstName;
  const now = clock(deps);
  const r = await deps.db.privacyRequest.findUnique({
    where: { id: requestId },
    select: {
      id: true,
      type: true,
      status: true,
      userId: true,
      user: { select: { id: true, name: true, email: true, status: true } },
    },
  });
  if (!r) throw new DomainError("NOT_FOUND", "No such request.");
  if (r.type !== "CORRECTION")
    throw new DomainError(
      "CONFLICT",
      "This is not a correction request: only a correction request can change the person's data.",
    );
  if (r.userId !== null && r.userId === actor.id)
    throw new DomainError("FORBIDDEN", "You cannot handle your own privacy request: another DPO must decide it.");
  if (r.status !== "PENDING")
    throw new DomainError("CONFLICT", "This request was already decided, cancelled or completed.");
  if (!r.user || r.user.status === "DELETED" || !actor.id)
    throw new DomainError("CONFLICT", "This request has no account to correct any more.");
  if (r.user.name === name)
    throw new DomainError("VALIDATION", "That is already the name on the account.", { field: "firstName" });
  const user = r.user;
  const reviewerId = actor.id;

  await deps.db.$transaction(async (tx) => {
    const done = await tx.privacyRequest.updateMany({
      where: { id: requestId, status: "PENDING" },
      data: {
        status: "COMPLETED",
        decision: "APPROVED",
        decisionReason: reason,
        decidedAt: now,
        completedAt: now,
        reviewerId,
      },
    });
    if (done.count !== 1)
      throw new DomainError("CONFLICT", "This request was already decided, cancelled or completed.");
    await tx.user.update({ where: { id: user.id }, data: { name }, select: { id: true } });
  });
  await recordAudit(
    deps.db,
    actor,
    {
      action: "privacy.request.correct",
      target: `user:${user.id}:name`,
      subjectUserId: user.id,
      purpose: `privacy-request:${requestId}`,
    },
    now,
  );
  deps.mail.enqueue(mail.correctionAppliedEmail(user.email, { name, reason, appUrl: deps.appUrl }));
  return { status: "COMPLETED" as const, name, processors: NAME_PROCESSORS };
}
