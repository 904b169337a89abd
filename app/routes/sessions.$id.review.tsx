// Reviewing one of the person's own past sessions (P4): rate 1-5 and comment once the session is COMPLETED, with an
// optional short survey stored apart from the review (no link to the person); edit or delete for 14 days.
// Scoped by owner: another person's booking id is a 404, exactly like an id that does not exist.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/Link";
import { FormAlert, Notice, Submit } from "~/components/forms";
import { SurveyFields } from "~/components/SurveyFields";
import { reviews, submitSurvey, SURVEYS } from "~/core.server";
import { reviewDeps, surveyAnswers } from "~/utils/feedback.server";
import { field, formAction, formHeaders, notFoundAs404, unknownIntent } from "~/utils/forms.server";
import { requireSession } from "~/utils/session.server";
import { formatDate, formatDateTime } from "~/utils/time";
import { accountViewer } from "~/utils/viewer.server";

export const headers = formHeaders;
export const meta: MetaFunction = () => [{ title: "Review your session — Mind Namo" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const { db } = reviewDeps(context);
  const page = await notFoundAs404(() =>
    reviews.getReviewPage(db, { userId: session.userId, bookingId: String(params.id ?? "").slice(0, 64) }),
  );
  const { timezone } = session.user;
  const viewer = accountViewer(request, timezone);
  const when = formatDateTime(page.booking.startsAt, viewer);
  return {
    booking: { id: page.booking.id, when, category: page.booking.category, expert: page.booking.expert },
    reviewable: page.reviewable,
    review: page.review
      ? {
          ...page.review,
          createdAt: page.review.createdAt.toISOString(),
          editableUntil: formatDate(page.review.editableUntil, viewer),
        }
      : null,
    survey: SURVEYS.POST_SESSION,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const bookingId = String(params.id ?? "").slice(0, 64);
  const form = await request.formData();
  const intent = field(form, "intent", 20);
  const deps = reviewDeps(context);
  const values = { comment: field(form, "comment", 2000) };
  const input = { rating: field(form, "rating", 2), comment: values.comment };
  return notFoundAs404(() =>
    formAction(async () => {
      if (intent === "create") {
        await reviews.submitReview(deps, { userId: session.userId, bookingId, ...input });
        // Stored with no link to the person or the booking.
        const survey = await submitSurvey(deps.db, "POST_SESSION", surveyAnswers(form));
        return {
          message: survey.stored ? "Thank you for your review and your answers." : "Thank you for your review.",
        };
      }
      if (intent === "update") {
        await reviews.updateReview(deps, { userId: session.userId, bookingId, ...input });
        return { message: "Your review was updated." };
      }
      if (intent === "delete") {
        await reviews.deleteReview(deps, { userId: session.userId, bookingId });
        return { message: "Your review was deleted." };
      }
      throw unknownIntent();
    }, values),
  );
}

function RatingField({ current, invalid, error }: { current?: number; invalid: boolean; error?: string }) {
  return (
    <fieldset aria-describedby={invalid ? "rating-error" : "rating-hint"}>
      <legend>Your rating</legend>
      <p className="hint" id="rating-hint">
        1 = poor, 5 = excellent
      </p>
      <div className="row">
        {[1, 2, 3, 4, 5].map((r) => (
          <label key={r} className="choice">
            <input type="radio" name="rating" value={r} required defaultChecked={current === r} /> {r}
          </label>
        ))}
      </div>
      {invalid ? (
        <p className="field-error" id="rating-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function CommentField({ value }: { value?: string | null }) {
  return (
    <div className="field">
      <label htmlFor="f-comment">Comment (optional)</label>
      <p className="hint" id="f-comment-hint">
        Shown on the expert's profile without your name once they have at least 3 reviews. Please do not include names
        or personal details.
      </p>
      <textarea
        id="f-comment"
        name="comment"
        rows={4}
        maxLength={2000}
        aria-describedby="f-comment-hint"
        defaultValue={value ?? ""}
      />
    </div>
  );
}

export default function ReviewSession() {
  const { booking, reviewable, review, survey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const error = actionData && "error" in actionData ? actionData : undefined;
  const confirmDelete = params.get("confirm") === "delete";
  return (
    <section aria-labelledby="title" className="stack">
      <p>
        <Link to="/sessions">← My sessions</Link>
      </p>
      <h1 id="title">Your session with {booking.expert.name}</h1>
      <p>
        {booking.when} · {booking.category}
      </p>
      {actionData && "message" in actionData ? <Notice>{actionData.message}</Notice> : null}
      <FormAlert actionData={error} />
      {!reviewable ? (
        <p className="empty">You can review a session once it has taken place.</p>
      ) : review === null ? (
        <Form method="post" className="stack" aria-labelledby="review-title">
          <h2 id="review-title">Rate this session</h2>
          <p className="hint">
            {booking.expert.name} never sees who wrote a review. You can change or delete it for 14 days.
          </p>
          <RatingField invalid={error?.field === "rating"} error={error?.error} />
          <CommentField value={error?.values?.comment} />
          <details>
            <summary>{survey.title} (optional)</summary>
            <p className="hint">Your answers are stored separately, with no link to you or this session.</p>
            <SurveyFields questions={survey.questions} invalidField={error?.field} error={error?.error} />
          </details>
          <Submit name="intent" value="create" busy="Sending…">
            Send review
          </Submit>
        </Form>
      ) : (
        <section aria-labelledby="yours-title" className="stack">
          <h2 id="yours-title">Your review</h2>
          <p data-testid="my-review">
            You rated this session <strong>{review.rating} out of 5</strong>.
            {review.comment ? ` “${review.comment}”` : ""}
          </p>
          {review.hidden ? (
            <p className="alert" role="status">
              Our support team hid this review, so it is not shown on the expert's profile. Reason:{" "}
              {review.hiddenReason}
            </p>
          ) : null}
          {review.editable ? (
            <>
              {!review.hidden ? (
                <Form method="post" className="stack" aria-labelledby="edit-title">
                  <h3 id="edit-title">Change your review</h3>
                  <p className="hint">You can change or delete it until {review.editableUntil}.</p>
                  <RatingField current={review.rating} invalid={error?.field === "rating"} error={error?.error} />
                  <CommentField value={review.comment} />
                  <Submit name="intent" value="update" busy="Saving…">
                    Save changes
                  </Submit>
                </Form>
              ) : null}
              {confirmDelete ? (
                <Form method="post" className="stack">
                  <p>Delete your review? This cannot be undone.</p>
                  <div className="row">
                    <Submit variant="danger" name="intent" value="delete" busy="Deleting…">
                      Yes, delete my review
                    </Submit>
                    <Link to={`/sessions/${booking.id}/review`}>Keep it</Link>
                  </div>
                </Form>
              ) : (
                <p>
                  <Link to={`/sessions/${booking.id}/review?confirm=delete`}>Delete my review</Link>
                </p>
              )}
            </>
          ) : (
            <p className="hint">Reviews can be changed or deleted for 14 days after they are written.</p>
          )}
        </section>
      )}
    </section>
  );
}
