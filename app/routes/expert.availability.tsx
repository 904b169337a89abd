import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/Link";
import { useEffect, useRef } from "react";
import { Field, FormAlert, Notice, Submit } from "~/components/forms";
import { SelectField } from "~/components/workspace";
import { expertWorkspace, deps } from "~/core.server";
import { formatTimeOff, requireExpert, todayIn } from "~/utils/expert.server";
import { zoneLabel } from "~/utils/time";
import { field, formAction, formHeaders, unknownIntent } from "~/utils/forms.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Availability and time off — Mind Namo for experts" }];

/** Monday first, as most calendars people use do; AvailabilityRule.weekday is 0 = Sunday .. 6 = Saturday. */
const WEEK = [1, 2, 3, 4, 5, 6, 0];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session, profile } = await requireExpert(request, context);
  const { db } = deps(context);
  const now = new Date();
  const [rules, timeOff] = await Promise.all([
    expertWorkspace.listAvailability(db, session.userId),
    expertWorkspace.listTimeOff(db, session.userId, now),
  ]);
  const label = (r: { startMinute: number; endMinute: number }) =>
    `${expertWorkspace.formatTimeOfDay(r.startMinute)}–${expertWorkspace.formatTimeOfDay(r.endMinute)}`;
  return {
    zone: zoneLabel(profile.timezone, now),
    today: todayIn(profile.timezone, now),
    days: WEEK.map((weekday) => ({
      weekday,
      name: expertWorkspace.WEEKDAY_NAMES[weekday] ?? "",
      windows: rules.filter((r) => r.weekday === weekday).map((r) => ({ id: r.id, label: label(r) })),
    })),
    timeOff: timeOff.map((t) => ({
      id: t.id,
      label: formatTimeOff(t.startsAt, t.endsAt, profile.timezone),
      reason: t.reason,
    })),
  };
}

const INTENTS = ["add-window", "remove-window", "add-time-off", "remove-time-off"] as const;
type Intent = (typeof INTENTS)[number];

export async function action({ request, context }: ActionFunctionArgs) {
  const { session } = await requireExpert(request, context);
  const { db, onPublicChange } = deps(context);
  const form = await request.formData();
  const raw = field(form, "intent");
  // The public profile lists the next free times and is cached for visitors without a session: every saved change
  // clears that cache, so the profile never offers a time the expert has just taken away (the booking page checks
  // again either way).
  const intent: Intent | undefined = INTENTS.find((i) => i === raw);
  switch (intent) {
    case "add-window": {
      const values = {
        intent,
        weekday: field(form, "weekday", 10),
        start: field(form, "start", 10),
        end: field(form, "end", 10),
      };
      return formAction(async () => {
        const w = await expertWorkspace.addAvailabilityRule(db, session.userId, values);
        onPublicChange();
        const day = expertWorkspace.WEEKDAY_NAMES[w.weekday];
        return {
          intent,
          saved: `Added ${day} ${expertWorkspace.formatTimeOfDay(w.startMinute)}–${expertWorkspace.formatTimeOfDay(w.endMinute)}.`,
        };
      }, values);
    }
    case "remove-window":
      return formAction(
        async () => {
          await expertWorkspace.removeAvailabilityRule(db, {
            expertUserId: session.userId,
            ruleId: field(form, "ruleId", 64),
          });
          onPublicChange();
          return { intent, saved: "The window was removed." };
        },
        { intent },
      );
    case "add-time-off": {
      const values = {
        intent,
        startDate: field(form, "startDate", 20),
        startTime: field(form, "startTime", 10),
        endDate: field(form, "endDate", 20),
        endTime: field(form, "endTime", 10),
        reason: field(form, "reason", 300),
      };
      return formAction(async () => {
        await expertWorkspace.addLocalTimeOff(db, session.userId, values);
        onPublicChange();
        return { intent, saved: "Your time off was added. No new bookings can be made in it." };
      }, values);
    }
    case "remove-time-off":
      return formAction(
        async () => {
          await expertWorkspace.removeTimeOff(db, {
            expertUserId: session.userId,
            timeOffId: field(form, "timeOffId", 64),
          });
          onPublicChange();
          return { intent, saved: "The time off was removed." };
        },
        { intent },
      );
    default:
      throw unknownIntent();
  }
}

export default function ExpertAvailability() {
  const { zone, today, days, timeOff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData && "error" in actionData ? actionData : undefined;
  const saved = actionData && "saved" in actionData ? actionData : undefined;
  const errorsFor = (intent: Intent) => (errors?.values?.intent === intent ? errors : undefined);
  const windowForm = useRef<HTMLFormElement>(null);
  const timeOffForm = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // After an addition succeeds, that form is cleared for the next one (the other keeps what was typed in it).
    if (navigation.state !== "idle" || !saved) return;
    if (saved.intent === "add-window") windowForm.current?.reset();
    if (saved.intent === "add-time-off") timeOffForm.current?.reset();
  }, [saved, navigation.state]);
  const hasWindows = days.some((d) => d.windows.length > 0);
  // From the loader's data: core (behind ~/core.server) does not exist in the browser.
  const dayOptions = [
    { value: "", label: "Choose a day" },
    ...days.map((d) => ({ value: String(d.weekday), label: d.name })),
  ];

  return (
    <section aria-labelledby="title" className="stack">
      <div>
        <h1 id="title">Availability and time off</h1>
        <p className="lead">
          Clients can book you inside your weekly hours, except during time off. All times are in your time zone, {zone}{" "}
          (<Link to="/expert/profile">change it on your profile</Link>).
        </p>
      </div>
      {saved ? <Notice>{saved.saved}</Notice> : null}
      <FormAlert actionData={errors} />

      <section aria-labelledby="week-title">
        <h2 id="week-title">Weekly hours</h2>
        {!hasWindows ? (
          <p className="empty">
            You have no weekly hours yet, so clients cannot book you. Add your first window below.
          </p>
        ) : null}
        <ul className="week-list">
          {days.map((d) => (
            <li key={d.weekday} className="week-day" data-testid={`day-${d.name}`}>
              <h3 className="week-day-name">{d.name}</h3>
              {d.windows.length === 0 ? (
                <p className="muted">Not available</p>
              ) : (
                <ul className="window-list">
                  {d.windows.map((w) => (
                    <li key={w.id} className="window" data-testid="window">
                      <span>{w.label}</span>
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="ruleId" value={w.id} />
                        <Submit variant="link" name="intent" value="remove-window" busy="Removing…">
                          Remove
                          <span className="visually-hidden">
                            {" "}
                            {d.name} {w.label}
                          </span>
                        </Submit>
                      </Form>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>

        <h3 id="add-window-title">Add a window</h3>
        <Form method="post" className="form form-inline" noValidate ref={windowForm} aria-labelledby="add-window-title">
          <SelectField label="Day" name="weekday" options={dayOptions} actionData={errorsFor("add-window")} />
          <Field label="From" name="start" type="time" step={300} required actionData={errorsFor("add-window")} />
          <Field
            label="Until"
            name="end"
            type="time"
            step={300}
            required
            hint="00:00 means midnight."
            actionData={errorsFor("add-window")}
          />
          <div className="form-actions">
            <Submit name="intent" value="add-window" busy="Adding…">
              Add window
            </Submit>
          </div>
        </Form>
      </section>

      <section aria-labelledby="timeoff-title">
        <h2 id="timeoff-title">Time off</h2>
        <p>
          Holidays, training, a day off: no new bookings can be made in it. Sessions already booked stay; cancel them on{" "}
          <Link to="/expert">your sessions</Link> if you need to.
        </p>
        {timeOff.length === 0 ? (
          <p className="empty">No time off planned.</p>
        ) : (
          <ul className="timeoff-list">
            {timeOff.map((t) => (
              <li key={t.id} className="timeoff" data-testid="time-off">
                <span>
                  {t.label}
                  {t.reason ? <span className="muted"> — {t.reason}</span> : null}
                </span>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="timeOffId" value={t.id} />
                  <Submit variant="link" name="intent" value="remove-time-off" busy="Removing…">
                    Remove<span className="visually-hidden"> time off {t.label}</span>
                  </Submit>
                </Form>
              </li>
            ))}
          </ul>
        )}

        <h3 id="add-timeoff-title">Add time off</h3>
        <Form
          method="post"
          className="form form-inline"
          noValidate
          ref={timeOffForm}
          aria-labelledby="add-timeoff-title"
        >
          <Field
            label="First day"
            name="startDate"
            type="date"
            min={today}
            required
            actionData={errorsFor("add-time-off")}
          />
          <Field
            label="From (optional)"
            name="startTime"
            type="time"
            step={300}
            hint="Empty: from the start of the day."
            actionData={errorsFor("add-time-off")}
          />
          <Field
            label="Last day"
            name="endDate"
            type="date"
            min={today}
            required
            hint="For a single day off, the same day."
            actionData={errorsFor("add-time-off")}
          />
          <Field
            label="Until (optional)"
            name="endTime"
            type="time"
            step={300}
            hint="Empty: to the end of the day."
            actionData={errorsFor("add-time-off")}
          />
          <Field
            label="Note (optional)"
            name="reason"
            maxLength={200}
            hint="For your own reference."
            actionData={errorsFor("add-time-off")}
          />
          <div className="form-actions">
            <Submit name="intent" value="add-time-off" busy="Adding…">
              Add time off
            </Submit>
          </div>
        </Form>
      </section>
    </section>
  );
}
