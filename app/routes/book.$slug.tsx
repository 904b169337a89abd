import type {
  ActionFunctionArgs,
  HeadersFunction,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Link } from "~/components/Link";
import { CrisisNotice } from "~/components/CrisisNotice";
import { crisisFor } from "~/utils/crisis.server";
import { FormAlert, Submit } from "~/components/forms";
import { FieldAlert } from "~/components/SlotPicker";
import { ZonePicker } from "~/components/ZonePicker";
import { Skeleton } from "~/components/ui/Skeleton";
import {
  BOOKING_DAYS,
  deps,
  afterBooked,
  bookSlot,
  giveHealthConsent,
  hasHealthConsent,
  HEALTH_CONSENT_TEXT,
  listPublishedExperts,
  nextSlotsForExperts,
  recordPreferenceBySlug,
  setAccountTimeZone,
} from "~/core.server";
import bookingStyles from "~/styles/booking.css";
import {
  describeDay,
  groupByDay,
  isDaytime,
  notificationDeps,
  notifyAfter,
  type SlotDay,
} from "~/utils/bookings.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { getSession, requireSession } from "~/utils/session.server";
import {
  dayKey,
  formatDate,
  formatMonth,
  formatWeekday,
  formatSession,
  formatTime,
  hourCycleOf,
  zoneLabel,
  zoneName,
  type Viewer,
} from "~/utils/time";
import { cookieZone, resolveViewer, zoneCookie } from "~/utils/viewer.server";
import { Button } from "~/components/ui/Button";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Book ${data.expert.name} — Mind Namo` : "Book — Mind Namo" },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: bookingStyles }];

// The zone the visitor picks here is remembered for the visit (the loader's Set-Cookie), besides the action's
// Retry-After.
export const headers: HeadersFunction = (args) => {
  const h = formHeaders(args) as Headers;
  const cookie = args.loaderHeaders.get("Set-Cookie");
  if (cookie) h.set("Set-Cookie", cookie);
  return h;
};

const WEEKS = 5;

interface CalendarCell {
  key: string;
  day: number;
  label: string;
  free: boolean;
  inRange: boolean;
}

// The calendar is the same for every visitor on the same day with the same free days (35 dates formatted each
// time): kept, bounded. Its objects are only read (serialised into the page), never changed.
const calendars = new Map<string, ReturnType<typeof buildCalendar>>();
function calendar(today: string, days: SlotDay[], locale: string) {
  const key = `${today}|${locale}|${days.map((d) => d.day).join(",")}`;
  let found = calendars.get(key);
  if (!found) {
    found = buildCalendar(today, days, locale);
    if (calendars.size >= 500) calendars.clear();
    calendars.set(key, found);
  }
  return found;
}

/** Weeks (Monday first) from this week on, every day marked free or not; dates are tz-free wall-calendar days. */
function buildCalendar(today: string, days: SlotDay[], locale: string) {
  const free = new Set(days.map((d) => d.day));
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  const todayUtc = Date.UTC(y, m - 1, d, 12);
  const mondayOffset = (new Date(todayUtc).getUTCDay() + 6) % 7;
  const start = todayUtc - mondayOffset * 86_400_000;
  const utc: Viewer = { tz: "UTC", locale };
  const cells: CalendarCell[] = [];
  for (let i = 0; i < WEEKS * 7; i++) {
    const at = new Date(start + i * 86_400_000);
    const key = at.toISOString().slice(0, 10);
    const offset = (at.getTime() - todayUtc) / 86_400_000;
    cells.push({
      key,
      day: at.getUTCDate(),
      label: formatDate(at, utc),
      free: free.has(key),
      inRange: offset >= 0 && offset < BOOKING_DAYS,
    });
  }
  const first = new Date(start);
  const last = new Date(start + (WEEKS * 7 - 1) * 86_400_000);
  const months = [formatMonth(first, utc), formatMonth(last, utc)];
  const weekdays = Array.from({ length: 7 }, (_, i) => formatWeekday(new Date(start + i * 86_400_000), utc));
  return { cells, title: months[0] === months[1] ? months[0]! : `${months[0]} – ${months[1]}`, weekdays };
}

/** Other experts (sharing a topic) with free times in the visitor's daytime, when this one has none. */
async function daytimeAlternatives(
  context: LoaderFunctionArgs["context"],
  expert: { id: string; categories: { slug: string }[] },
  viewer: Viewer,
) {
  const { db } = deps(context);
  const { experts } = await listPublishedExperts(db, { categorySlug: expert.categories[0]?.slug, take: 24 });
  const others = experts.filter((e) => e.id !== expert.id);
  const now = new Date();
  const slots = await nextSlotsForExperts(
    db,
    others.map((e) => e.id),
    { from: now, to: new Date(now.getTime() + 14 * 86_400_000), now, limitPerExpert: 80 },
  );
  const found: { slug: string; name: string; next: string }[] = [];
  for (const e of others) {
    const s = slots.get(e.id)?.find((x) => isDaytime(x.startsAt, viewer.tz));
    if (s)
      found.push({
        slug: e.slug,
        name: e.name,
        next: `${formatDate(s.startsAt, viewer)}, ${formatTime(s.startsAt, viewer)}`,
      });
    if (found.length === 3) break;
  }
  return found;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // Public: anyone may look at the times and choose one; confirming needs an account (the action).
  const session = await getSession(request, context);
  const { db, bookingPages } = deps(context);
  const account = session?.user ?? null;
  const viewer = resolveViewer(request, account?.timezone);
  const now = new Date();
  // The expert and their free times, kept per instance for seconds and dropped as soon as anything about them
  // changes (core/catalog/booking-page.ts), beside the consent: at most two round trips after the session's.
  const [found, healthConsent, crisis] = await Promise.all([
    bookingPages.read(db, params.slug ?? "", now),
    session ? hasHealthConsent(db, session.userId) : Promise.resolve(false),
    crisisFor(request, context),
  ]);
  if (!found)
    throw new Response("We could not find this expert. They may no longer be taking bookings.", { status: 404 });
  const { expert } = found;
  const url = new URL(request.url);
  const topics = expert.categories;
  const asked = url.searchParams.get("topic");
  const topic = topics.find((c) => c.slug === asked)?.slug ?? (topics.length === 1 ? topics[0]!.slug : null);
  const base = {
    crisis,
    // The explicit health-data consent is asked on the confirm step until given (never pre-ticked, never with the
    // terms).
    healthConsent,
    healthConsentText: HEALTH_CONSENT_TEXT,
    expert: {
      slug: expert.slug,
      name: expert.name,
      headline: expert.headline,
      sessionMinutes: expert.sessionMinutes,
      cancelWindowHours: expert.cancelWindowHours,
      categories: topics,
    },
    topic,
    visitor: !session,
    canBook: account?.role === "USER" && Boolean(account.emailVerifiedAt),
    role: account?.role ?? null,
  };
  if (!viewer) return { ...base, zone: null, booking: null };

  // Times are shown only once the visitor's zone is known.
  const days = groupByDay(found.slots, viewer);
  const today = dayKey(now, viewer.tz);
  const askedDate = url.searchParams.get("date");
  const shown = days.find((d) => d.day === askedDate) ?? days[0];
  // Only the day on screen is written out: formatting is most of what a slot costs.
  const selected = shown ? describeDay(shown, viewer) : null;
  const start = url.searchParams.get("start");
  let chosen: { startsAt: string; when: string; date: string; time: string } | null = null;
  if (start) {
    const slot = days.flatMap((d) => d.slots).find((s) => s.startsAt.toISOString() === start);
    if (slot) {
      const at = slot.startsAt;
      const end = new Date(at.getTime() + expert.sessionMinutes * 60_000);
      chosen = {
        startsAt: start,
        when: formatSession(at, end, viewer),
        date: formatDate(at, viewer),
        time: `${formatTime(at, viewer)} – ${formatTime(end, viewer)}`,
      };
    }
  }
  const anyDaytime = days.some((d) => d.slots.some((s) => isDaytime(s.startsAt, viewer.tz)));
  const alternatives = anyDaytime ? [] : await daytimeAlternatives(context, expert, viewer);
  const body = {
    ...base,
    zone: { tz: viewer.tz, name: zoneName(viewer.tz), label: zoneLabel(viewer.tz), hourCycle: hourCycleOf(viewer) },
    booking: {
      calendar: calendar(today, days, viewer.locale),
      selected: selected ? { day: selected.day, date: selected.date, slots: selected.slots } : null,
      chosen,
      startWasTaken: Boolean(start && !chosen),
      anyDaytime,
      alternatives,
      hasTimes: days.length > 0,
    },
    idempotencyKey: crypto.randomUUID(),
    // The explicit health-data consent is asked on this form until given (never pre-ticked, never with the terms).
    healthConsent,
    healthConsentText: HEALTH_CONSENT_TEXT,
  };
  // A zone picked here is kept for the rest of the visit, so every other page follows it.
  if (viewer.source === "choice" && cookieZone(request) !== viewer.tz)
    return data(body, { headers: { "Set-Cookie": zoneCookie(context, viewer.tz) } });
  return body;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const form = await request.formData();
  const values = { categorySlug: field(form, "categorySlug", 80), startsAt: field(form, "startsAt", 40) };
  return formAction(async () => {
    const { db } = deps(context);
    // The person ticked the separate health-data consent on this form: record it (with its text version) first;
    // without it bookSlot refuses. bookSlot checks everything else again: the expert, the topic, the time still
    // free, the person's account.
    if (field(form, "healthConsent", 8) === "yes") await giveHealthConsent(db, session.userId, "BOOKING");
    const booking = await bookSlot(db, session, {
      expertSlug: params.slug ?? "",
      categorySlug: values.categorySlug,
      startsAt: values.startsAt,
      idempotencyKey: field(form, "idempotencyKey", 64) || undefined,
    });
    // The zone the person saw the times in becomes their account's zone: emails use it.
    const tz = field(form, "tz", 64);
    if (tz) await setAccountTimeZone({ db, userId: session.userId, timezone: tz });
    await notifyAfter(context, () => afterBooked(notificationDeps(context), booking.id));
    await notifyAfter(context, async () => {
      await recordPreferenceBySlug({ db, userId: session.userId, kind: "expert", slug: params.slug ?? "" });
    });
    return redirect(`/sessions/${booking.id}/booked`);
  }, values);
}

/** The current URL with some search parameters changed (null removes one). */
function useHref() {
  const location = useLocation();
  return (patch: Record<string, string | null>) => {
    const p = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) p.delete(k);
      else p.set(k, v);
    }
    const q = p.toString();
    return `${location.pathname}${q ? `?${q}` : ""}`;
  };
}

export default function Book() {
  const loaded = useLoaderData<typeof loader>();
  const { expert, topic, zone, booking, visitor, canBook, role, crisis } = loaded;
  const actionData = useActionData<typeof action>();
  const href = useHref();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const topicName = expert.categories.find((c) => c.slug === topic)?.name ?? null;
  // A day picked in the calendar is a navigation to this page with another date: until its times arrive, the
  // column shows placeholders instead of the previous day's times under the new day's highlight.
  const navigation = useNavigation();
  const nextDate =
    navigation.state === "loading" && navigation.location.pathname === location.pathname
      ? new URLSearchParams(navigation.location.search).get("date")
      : null;
  const loadingDay = nextDate && booking?.selected && nextDate !== booking.selected.day ? nextDate : null;

  return (
    <section aria-labelledby="title" className="booker stack">
      <header className="booker-head">
        <h1 id="title">Book a session with {expert.name}</h1>
        <p className="lead">
          {expert.sessionMinutes} minutes by end-to-end encrypted video, never recorded. Free cancellation up to{" "}
          {expert.cancelWindowHours} hours before.
        </p>
      </header>

      <nav aria-labelledby="topic-title" className="booker-topics">
        <h2 id="topic-title" className="booker-step">
          1. What would you like to talk about?
        </h2>
        <ul className="chips">
          {expert.categories.map((c) => (
            <li key={c.slug}>
              <Link
                className="chip"
                to={href({ topic: c.slug })}
                aria-current={topic === c.slug ? "true" : undefined}
                preventScrollReset
                replace
              >
                {c.name}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {!zone || !booking ? (
        <div className="booker-panel" data-testid="times-placeholder">
          <h2 className="booker-step">2. Choose a time</h2>
          <p className="hint time-placeholder">Free times appear here in your own time zone.</p>
          <ZonePicker current={null} hidden={{ topic }} />
        </div>
      ) : (
        <div className="booker-panel">
          <div className="booker-toolbar">
            <h2 className="booker-step">2. Choose a time</h2>
            <ZonePicker current={zone.tz} hidden={{ topic, start: booking.chosen?.startsAt ?? null, h: null }} />
            {/* Same-page links like the zone picker: the page stays where the person is, never back to the top. */}
            <p className="hour-toggle" aria-label="Clock">
              <Link
                to={href({ h: "12" })}
                aria-current={zone.hourCycle === "12" ? "true" : undefined}
                preventScrollReset
                replace
              >
                12h
              </Link>
              <Link
                to={href({ h: "24" })}
                aria-current={zone.hourCycle === "24" ? "true" : undefined}
                preventScrollReset
                replace
              >
                24h
              </Link>
            </p>
          </div>
          <p className="hint" data-testid="zone-note">
            Times are in {zone.label}.
          </p>
          {booking.startWasTaken ? (
            <p className="alert" role="alert">
              That time is no longer free. Please choose another.
            </p>
          ) : null}
          {!booking.hasTimes ? (
            <p className="empty">
              No free times in the next four weeks. Please check back soon, or choose another expert.
            </p>
          ) : (
            <div className="booker-grid">
              <section className="booker-calendar" aria-labelledby="cal-title">
                <h3 id="cal-title">{booking.calendar.title}</h3>
                <table className="calendar">
                  <thead>
                    <tr>
                      {booking.calendar.weekdays.map((w) => (
                        <th key={w} scope="col">
                          {w}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {Array.from({ length: booking.calendar.cells.length / 7 }, (_, week) => (
                      <tr key={week}>
                        {booking.calendar.cells.slice(week * 7, week * 7 + 7).map((c) => (
                          <td key={c.key}>
                            {c.free ? (
                              <Link
                                className="cal-day free"
                                to={href({ date: c.key, start: null })}
                                aria-label={`${c.label}, free times`}
                                aria-current={booking.selected?.day === c.key ? "date" : undefined}
                                preventScrollReset
                                replace
                              >
                                {c.day}
                              </Link>
                            ) : (
                              <span
                                className={c.inRange ? "cal-day" : "cal-day out"}
                                aria-label={`${c.label}, no free times`}
                              >
                                {c.day}
                              </span>
                            )}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="hint cal-legend">
                  <span className="cal-dot" aria-hidden="true" /> Days with free times
                </p>
              </section>
              {booking.selected ? (
                <section
                  className="booker-slots"
                  aria-labelledby="slots-title"
                  aria-busy={loadingDay ? true : undefined}
                >
                  <h3 id="slots-title">{loadingDay ? "Free times" : booking.selected.date}</h3>
                  {loadingDay ? (
                    <div data-testid="slots-loading">
                      <Skeleton lines={6} label="Loading the free times of the day you chose…" />
                    </div>
                  ) : (
                    <ul className="slot-list" data-testid="slot-list">
                      {booking.selected.slots.map((s) => (
                        <li key={s.startsAt}>
                          <Link
                            className="slot-button"
                            to={`${href({ start: s.startsAt, date: booking.selected!.day })}#summary`}
                            aria-label={`${s.time}, ${s.label}`}
                            aria-current={booking.chosen?.startsAt === s.startsAt ? "true" : undefined}
                            data-starts-at={s.startsAt}
                          >
                            {s.time}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              ) : null}
            </div>
          )}
          {booking.hasTimes && !booking.anyDaytime ? (
            <div className="notice daytime-notice" role="note" data-testid="no-daytime">
              <p>
                {expert.name} has no free times between 8 am and 9 pm {zone.name} in the next four weeks.
                {booking.alternatives.length > 0 ? " These experts have daytime times for you:" : ""}
              </p>
              {booking.alternatives.length > 0 ? (
                <ul>
                  {booking.alternatives.map((a) => (
                    <li key={a.slug}>
                      <Link to={`/book/${a.slug}`}>{a.name}</Link> — next free {a.next}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </div>
      )}

      {booking?.chosen ? (
        <section className="booker-summary" aria-labelledby="summary-title" id="summary">
          <h2 id="summary-title" className="booker-step">
            3. Check and confirm
          </h2>
          <dl className="summary-list" data-testid="booking-summary">
            <div>
              <dt>Expert</dt>
              <dd>{expert.name}</dd>
            </div>
            <div>
              <dt>Topic</dt>
              <dd>{topicName ?? "Choose a topic above"}</dd>
            </div>
            <div>
              <dt>When</dt>
              <dd>
                {booking.chosen.date}
                <br />
                {booking.chosen.time} {zone?.name}
              </dd>
            </div>
            <div>
              <dt>How</dt>
              <dd>{expert.sessionMinutes}-minute private video session, end-to-end encrypted, never recorded</dd>
            </div>
          </dl>
          {visitor ? (
            <div className="stack">
              <p>Create a free account to confirm. Your topic and time stay chosen while you do.</p>
              <p className="row">
                <Button to={`/signup?next=${encodeURIComponent(here)}`}>Create an account to confirm</Button>
                <Link to={`/login?next=${encodeURIComponent(here)}`}>I already have an account</Link>
              </p>
            </div>
          ) : !canBook ? (
            <p className="notice" role="status">
              {role === "USER" ? (
                <>
                  Please confirm your email address before booking. <Link to="/account">Go to your account</Link>.
                </>
              ) : (
                "Bookings are made from a personal (client) account."
              )}
            </p>
          ) : (
            <Form method="post" className="stack" noValidate>
              <FormAlert actionData={actionData} />
              {actionData?.field === "healthConsent" ? null : <FieldAlert actionData={actionData} />}
              <input type="hidden" name="idempotencyKey" value={loaded.booking ? loaded.idempotencyKey : ""} />
              <input type="hidden" name="tz" value={zone?.tz ?? ""} />
              <input type="hidden" name="startsAt" value={booking.chosen.startsAt} />
              <input type="hidden" name="categorySlug" value={topic ?? ""} />
              {loaded.healthConsent ? null : (
                <fieldset className="stack" aria-describedby="health-consent-why">
                  <legend>Your health information</legend>
                  <p id="health-consent-why">
                    The topic you choose says something about your health. We need your explicit consent to keep it with
                    your booking. This is separate from our terms, and you can withdraw it in your{" "}
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
                    {loaded.healthConsentText}
                  </label>
                </fieldset>
              )}
              {topic ? (
                <Submit busy="Booking…">Confirm booking</Submit>
              ) : (
                <p className="alert" role="alert">
                  Please choose what you would like to talk about (step 1) first.
                </p>
              )}
            </Form>
          )}
        </section>
      ) : null}
      <CrisisNotice crisis={crisis} />
    </section>
  );
}
