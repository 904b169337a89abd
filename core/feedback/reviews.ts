// Reviews and ratings (privacy promise P4). After a COMPLETED session its client may rate it 1-5 and comment, once
// per booking, and edit or delete their review for 14 days. The public sees an expert's average and count, and the
// comments without any name or exact date, only once at least 3 visible reviews exist, so that no single session
// can be traced. Nobody but the author ever sees who wrote a review: experts never, support only the text (to hide
// an abusive one, with a reason, audited; the author is told by email).
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { recordAudit, type AuditActor } from "../audit/index.ts";
import { DomainError, isUniqueViolation, parseInput } from "../errors/index.ts";
import type { MailMessage } from "../platform/mail/index.ts";
import { layout } from "../mail/templates.ts";

export const REVIEW_EDIT_DAYS = 14;
export const PUBLIC_RATING_MIN_REVIEWS = 3;
const DAY = 86_400_000;

export interface ReviewDeps {
  db: PrismaClient;
  mail: { enqueue(message: MailMessage): void };
  now?: () => Date;
  /** Called when what public pages show may have changed (the anonymous page cache is cleared). */
  onPublicChange?: () => void;
}
const nowOf = (deps: { now?: () => Date }) => deps.now?.() ?? new Date();

const ratingSchema = z.coerce
  .number({ error: "Choose a rating from 1 to 5." })
  .int("Choose a rating from 1 to 5.")
  .min(1, "Choose a rating from 1 to 5.")
  .max(5, "Choose a rating from 1 to 5.");
const commentSchema = z.string().trim().max(2000, "Keep your comment under 2,000 characters.");
const idSchema = z.string().trim().min(1).max(64);

export const editableUntil = (createdAt: Date) => new Date(createdAt.getTime() + REVIEW_EDIT_DAYS * DAY);

/** The user's own booking (another person's id, or an unknown one, is NOT_FOUND), with its review if any. */
async function ownBooking(db: PrismaClient, userId: string, bookingId: string) {
  const id = idSchema.safeParse(bookingId);
  const b = id.success
    ? await db.booking.findFirst({
        where: { id: id.data, userId },
        select: {
          id: true,
          status: true,
          startsAt: true,
          expertId: true,
          category: { select: { name: true } },
          expert: { select: { slug: true, user: { select: { name: true } } } },
          review: {
            select: {
              id: true,
              rating: true,
              comment: true,
              createdAt: true,
              updatedAt: true,
              hiddenAt: true,
              hiddenReason: true,
            },
          },
        },
      })
    : null;
  if (!b) throw new DomainError("NOT_FOUND", "We could not find that session.");
  return b;
}

/** What the review page of one of the user's sessions shows. */
export async function getReviewPage(
  db: PrismaClient,
  { userId, bookingId }: { userId: string; bookingId: string },
  now = new Date(),
) {
  const b = await ownBooking(db, userId, bookingId);
  const r = b.review;
  return {
    booking: {
      id: b.id,
      status: b.status,
      startsAt: b.startsAt,
      category: b.category.name,
      expert: { slug: b.expert.slug, name: b.expert.user.name },
    },
    reviewable: b.status === "COMPLETED",
    review: r
      ? {
          rating: r.rating,
          comment: r.comment,
          createdAt: r.createdAt,
          hidden: r.hiddenAt !== null,
          hiddenReason: r.hiddenReason,
          editableUntil: editableUntil(r.createdAt),
          editable: now < editableUntil(r.createdAt),
        }
      : null,
  };
}

/** Rates a COMPLETED booking of the user's own, once. */
export async function submitReview(
  deps: ReviewDeps,
  input: { userId: string; bookingId: string; rating: unknown; comment?: unknown },
) {
  const { userId, bookingId } = input;
  const rating = parseInput(ratingSchema, input.rating, "rating");
  const comment = parseInput(commentSchema, input.comment ?? "", "comment");
  const b = await ownBooking(deps.db, userId, bookingId);
  if (b.status !== "COMPLETED")
    throw new DomainError("PRECONDITION", "You can review a session once it has taken place.");
  if (b.review)
    throw new DomainError("CONFLICT", "You have already reviewed this session. You can change your review instead.");
  try {
    const at = nowOf(deps);
    const review = await deps.db.review.create({
      data: {
        bookingId: b.id,
        authorId: userId,
        expertId: b.expertId,
        rating,
        comment: comment || null,
        createdAt: at,
        updatedAt: at,
      },
      select: { id: true },
    });
    deps.onPublicChange?.();
    return review;
  } catch (error) {
    // Two submissions at once: the unique booking id lets only one through.
    if (isUniqueViolation(error))
      throw new DomainError("CONFLICT", "You have already reviewed this session. You can change your review instead.");
    throw error;
  }
}

async function ownEditableReview(deps: ReviewDeps, userId: string, bookingId: string) {
  const b = await ownBooking(deps.db, userId, bookingId);
  if (!b.review) throw new DomainError("NOT_FOUND", "You have not reviewed this session.");
  if (nowOf(deps) >= editableUntil(b.review.createdAt)) {
    throw new DomainError(
      "PRECONDITION",
      `Reviews can be changed or deleted for ${REVIEW_EDIT_DAYS} days after they are written.`,
    );
  }
  return b.review;
}

export async function updateReview(
  deps: ReviewDeps,
  input: { userId: string; bookingId: string; rating: unknown; comment?: unknown },
) {
  const { userId, bookingId } = input;
  const rating = parseInput(ratingSchema, input.rating, "rating");
  const comment = parseInput(commentSchema, input.comment ?? "", "comment");
  const r = await ownEditableReview(deps, userId, bookingId);
  // A review support hid stays hidden; its author may still delete it.
  if (r.hiddenAt)
    throw new DomainError(
      "PRECONDITION",
      "Our support team hid this review, so it cannot be changed. You can delete it.",
    );
  await deps.db.review.update({
    where: { id: r.id },
    data: { rating, comment: comment || null, updatedAt: nowOf(deps) },
    select: { id: true },
  });
  deps.onPublicChange?.();
}

export async function deleteReview(deps: ReviewDeps, { userId, bookingId }: { userId: string; bookingId: string }) {
  const r = await ownEditableReview(deps, userId, bookingId);
  await deps.db.review.delete({ where: { id: r.id }, select: { id: true } });
  deps.onPublicChange?.();
}

/** "June 2027": a comment's month, the only date a public review carries (one formatter: building one costs ~0.3 ms). */
const REVIEW_MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/**
 * An expert's public rating: average and count of VISIBLE reviews, and their comments without any name and with
 * the month only. Null below PUBLIC_RATING_MIN_REVIEWS visible reviews.
 */
export async function publicRating(db: PrismaClient, expertId: string, opts: { comments?: number } = {}) {
  const where = { expertId, hiddenAt: null };
  const agg = await db.review.aggregate({ where, _avg: { rating: true }, _count: { _all: true } });
  const count = agg._count._all;
  if (count < PUBLIC_RATING_MIN_REVIEWS) return null;
  const rows = await db.review.findMany({
    where: { ...where, comment: { not: null } },
    orderBy: { createdAt: "desc" },
    take: opts.comments ?? 10,
    select: { id: true, rating: true, comment: true, createdAt: true },
  });
  return {
    average: Math.round((agg._avg.rating ?? 0) * 10) / 10,
    count,
    comments: rows.map((r) => ({
      id: r.id,
      rating: r.rating,
      comment: r.comment ?? "",
      month: REVIEW_MONTH.format(r.createdAt),
    })),
  };
}

/**
 * Average and count for several experts at once (directory cards): one query, whatever the number of experts.
 * Only experts with at least PUBLIC_RATING_MIN_REVIEWS visible reviews appear in the map.
 */
export async function publicRatings(
  db: PrismaClient,
  expertIds: string[],
): Promise<Map<string, { average: number; count: number }>> {
  const out = new Map<string, { average: number; count: number }>();
  if (expertIds.length === 0) return out;
  const rows = await db.review.groupBy({
    by: ["expertId"],
    where: { expertId: { in: expertIds.slice(0, 200) }, hiddenAt: null },
    _avg: { rating: true },
    _count: { _all: true },
  });
  for (const r of rows) {
    if (r._count._all >= PUBLIC_RATING_MIN_REVIEWS)
      out.set(r.expertId, { average: Math.round((r._avg.rating ?? 0) * 10) / 10, count: r._count._all });
  }
  return out;
}

// ---------------------------------------------------------------- support (back-office)

export interface ModerationActor {
  id: string;
  role: AuditActor["role"];
  ip: string;
}

export const moderationListSchema = z.object({
  status: z.enum(["visible", "hidden", "all"]).default("visible"),
  limit: z.number().int().min(1).max(200).default(100),
});

/** Reviews for moderation: the text, the rating and the expert. Never the author. */
export async function listReviewsForModeration(db: PrismaClient, f: z.infer<typeof moderationListSchema>) {
  return db.review.findMany({
    where: f.status === "visible" ? { hiddenAt: null } : f.status === "hidden" ? { hiddenAt: { not: null } } : {},
    orderBy: { createdAt: "desc" },
    take: f.limit,
    select: {
      id: true,
      rating: true,
      comment: true,
      createdAt: true,
      hiddenAt: true,
      hiddenReason: true,
      expert: { select: { slug: true, user: { select: { name: true } } } },
    },
  });
}

export const hideReviewSchema = z.object({
  reviewId: idSchema,
  reason: z
    .string()
    .trim()
    .min(5, "Give the reason in a few words (at least 5 characters).")
    .max(500, "Keep the reason under 500 characters."),
});

/** Hides an abusive review with a reason: no longer public or counted. Audited; the author is told by email. */
export async function hideReview(deps: ReviewDeps, actor: ModerationActor, input: z.infer<typeof hideReviewSchema>) {
  const { reviewId, reason } = parseInput(hideReviewSchema, input, "reason");
  const r = await deps.db.review.findUnique({
    where: { id: reviewId },
    select: {
      id: true,
      hiddenAt: true,
      authorId: true,
      author: { select: { email: true, status: true } },
      expert: { select: { user: { select: { name: true } } } },
    },
  });
  if (!r) throw new DomainError("NOT_FOUND", "No review with that id.");
  if (r.hiddenAt) throw new DomainError("CONFLICT", "This review is already hidden.");
  const at = nowOf(deps);
  await deps.db.review.update({
    where: { id: r.id },
    data: { hiddenAt: at, hiddenReason: reason, hiddenById: actor.id },
    select: { id: true },
  });
  await recordAudit(
    deps.db,
    { id: actor.id, role: actor.role, ip: actor.ip },
    {
      action: "review.hide",
      target: `review:${r.id}`,
      subjectUserId: r.authorId,
      purpose: `moderation of review:${r.id}`,
    },
    at,
  );
  if (r.author.status === "ACTIVE") deps.mail.enqueue(reviewHiddenEmail(r.author.email, r.expert.user.name, reason));
  deps.onPublicChange?.();
}

export function reviewHiddenEmail(to: string, expertName: string, reason: string): MailMessage {
  return layout({
    to,
    subject: "Your review was hidden",
    template: "review-hidden",
    paragraphs: [
      `Our support team hid the review you wrote about your session with ${expertName}. It no longer ` +
        `appears on the expert's profile or counts in their rating.`,
      `The reason: ${reason}`,
      "You can still read or delete it from your past sessions. If you think this was a mistake, reply through the help page.",
    ],
  });
}
