import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CrisisNotice } from "~/components/CrisisNotice";
import { crisisFor } from "~/utils/crisis.server";
import { FormAlert, Submit } from "~/components/forms";
import { FieldAlert, SlotPicker } from "~/components/SlotPicker";
import { TimeZoneSync } from "~/components/TimeZoneSync";
import {
  afterBooked,
  bookSlot,
  getPublishedExpert,
  giveHealthConsent,
  hasHealthConsent,
  HEALTH_CONSENT_TEXT,
  isValidTimeZone,
  recordExpertEngaged,
} from "~/core.server";
import { notificationDeps, notifyAfter, slotsByDay, viewerTimeZone } from "~/utils/bookings.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { requireSession } from "~/utils/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Book ${data.expert.name} — Mind Namo` : "Book — Mind Namo" },
];
export const headers = formHeaders;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const prisma = context.services.db.prisma;
  const expert = await getPublishedExpert(prisma, params.slug ?? "");
  if (!expert)
    throw new Response("We could not find this expert. They may no longer be taking bookings.", { status: 404 });
  const account = session.user;
  const zone = viewerTimeZone(new URL(request.url), account.timezone);
  const [{ days, zoneName }, healthConsent, crisis] = await Promise.all([
    slotsByDay(context, expert.id, zone.tz),
    hasHealthConsent(prisma, session.userId),
    crisisFor(request, context),
  ]);
  return {
    crisis,
    expert: {
      slug: expert.slug,
      name: expert.name,
      headline: expert.headline,
      sessionMinutes: expert.sessionMinutes,
      cancelWindowHours: expert.cancelWindowHours,
      categories: expert.categories,
      id: expert.id,
    },
    zone,
    zoneName,
    days,
    canBook: account.role === "USER" && Boolean(account.emailVerifiedAt),
    role: account.role,
    idempotencyKey: crypto.randomUUID(),
    // The explicit health-data consent is asked on this form until given (never pre-ticked, never with the terms).
    healthConsent,
    healthConsentText: HEALTH_CONSENT_TEXT,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const form = await request.formData();
  const values = { categorySlug: field(form, "categorySlug", 80), startsAt: field(form, "startsAt", 40) };
  return formAction(async () => {
    const prisma = context.services.db.prisma;
    // The person ticked the separate health-data consent on this form: record it (with its text version) first;
    // without it bookSlot refuses.
    if (field(form, "healthConsent", 8) === "yes") await giveHealthConsent(prisma, session.userId, "BOOKING");
    const booking = await bookSlot(prisma, session, {
      expertSlug: params.slug ?? "",
      categorySlug: values.categorySlug,
      startsAt: values.startsAt,
      idempotencyKey: field(form, "idempotencyKey", 64) || undefined,
    });
    // The zone the person saw the times in becomes their account's zone: emails use it.
    const tz = field(form, "tz", 64);
    if (tz && isValidTimeZone(tz)) await prisma.user.update({ where: { id: session.userId }, data: { timezone: tz } });
    await notifyAfter(context, () => afterBooked(notificationDeps(context), booking.id));
    const expert = await prisma.expertProfile.findUnique({ where: { slug: params.slug ?? "" }, select: { id: true } });
    if (expert) {
      await notifyAfter(context, async () => {
        await recordExpertEngaged(prisma, session.userId, expert.id);
      });
    }
    return redirect(`/sessions?booked=${booking.id}`);
  }, values);
}

export default function Book() {
  const { expert, zone, zoneName, days, canBook, role, idempotencyKey, healthConsent, healthConsentText, crisis } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const chosenTopic =
    actionData?.values?.categorySlug ?? (expert.categories.length === 1 ? expert.categories[0]!.slug : "");
  const chosenStart = actionData?.values?.startsAt ?? "";
  return (
    <section aria-labelledby="title" className="stack">
      <TimeZoneSync current={zone.tz} fromBrowser={zone.fromBrowser} />
      <div>
        <h1 id="title">Book a session with {expert.name}</h1>
        <p className="lead">
          {expert.sessionMinutes} minutes by end-to-end encrypted video, never recorded. Free cancellation up to{" "}
          {expert.cancelWindowHours} hours before.
        </p>
      </div>
      {!canBook ? (
        <p className="notice" role="status">
          {role === "USER" ? (
            <>
              Please confirm your email address before booking. <Link to="/account">Go to your account</Link>.
            </>
          ) : (
            "Bookings are made from a personal (client) account."
          )}
        </p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <FormAlert actionData={actionData} />
        {actionData?.field === "healthConsent" ? null : <FieldAlert actionData={actionData} />}
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <input type="hidden" name="tz" value={zone.tz} />
        <fieldset>
          <legend>What would you like to talk about?</legend>
          {expert.categories.map((c) => (
            <label key={c.slug} className="choice">
              <input type="radio" name="categorySlug" value={c.slug} defaultChecked={chosenTopic === c.slug} required />{" "}
              {c.name}
            </label>
          ))}
        </fieldset>
        <SlotPicker
          legend="Choose a time"
          days={days}
          zone={zone.tz}
          zoneName={zoneName}
          chosen={chosenStart}
          emptyText="No free times in the next two weeks. Please check back soon, or choose another expert."
        />
        {healthConsent ? null : (
          <fieldset className="stack" aria-describedby="health-consent-why">
            <legend>Your health information</legend>
            <p id="health-consent-why">
              The topic you choose says something about your health. We need your explicit consent to keep it with your
              booking. This is separate from our terms, and you can withdraw it in your{" "}
              <Link to="/account/privacy">privacy center</Link>; your bookings stay.
            </p>
            {actionData?.field === "healthConsent" ? (
              <p className="alert" role="alert" id="health-consent-error">
                {actionData.error}
              </p>
            ) : null}
            <label className="choice">
              <input
                type="checkbox"
                name="healthConsent"
                value="yes"
                aria-invalid={actionData?.field === "healthConsent" ? true : undefined}
                aria-errormessage={actionData?.field === "healthConsent" ? "health-consent-error" : undefined}
              />{" "}
              {healthConsentText}
            </label>
          </fieldset>
        )}
        <Submit busy="Booking…">Book this session</Submit>
      </Form>
      <CrisisNotice crisis={crisis} />
    </section>
  );
}
