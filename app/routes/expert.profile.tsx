import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Field, FormAlert, Notice, Submit } from "~/components/forms";
import { TextAreaField } from "~/components/workspace";
import { Avatar } from "~/components/ui/Avatar";
import { avatarVersion, expertWorkspace, initials, removeAvatar, setAvatar, deps } from "~/core.server";
import { isMultipart, readAvatarUpload } from "~/utils/avatar-upload.server";
import { requireExpert } from "~/utils/expert.server";
import { field, formAction, formHeaders } from "~/utils/forms.server";
import { Card } from "~/components/ui/Card";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Your expert profile — Mind Namo" }];

const FIELDS = [
  "headline",
  "bio",
  "languages",
  "timezone",
  "sessionMinutes",
  "bufferMinutes",
  "minNoticeHours",
  "cancelWindowHours",
] as const;
type ProfileField = (typeof FIELDS)[number];

function formValues(p: expertWorkspace.ExpertWorkspaceProfile): Record<ProfileField, string> {
  return {
    headline: p.headline,
    bio: p.bio,
    languages: p.languages.join(", "),
    timezone: p.timezone,
    sessionMinutes: String(p.sessionMinutes),
    bufferMinutes: String(p.bufferMinutes),
    minNoticeHours: String(p.minNoticeHours),
    cancelWindowHours: String(p.cancelWindowHours),
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { profile, session } = await requireExpert(request, context);
  const photoVersion = await avatarVersion(deps(context).db, session.userId);
  return {
    photoVersion,
    name: session.user.name,
    initials: initials(session.user.name),
    slug: profile.slug,
    published: profile.published,
    values: formValues(profile),
    zones: [...Intl.supportedValuesOf("timeZone"), "UTC"],
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { session } = await requireExpert(request, context);
  const { db, onPublicChange } = deps(context);
  // The profile, its photo and the directory are cached for visitors without a session: a saved change clears
  // that cache, so what the expert is told clients see is what they see.
  if (isMultipart(request)) {
    return formAction(async () => {
      await setAvatar(db, session.userId, await readAvatarUpload(request));
      onPublicChange();
      return { saved: "Your photo was updated. Clients see it on your profile and in the directory." };
    });
  }
  const form = await request.formData();
  if (field(form, "intent") === "remove-photo") {
    await removeAvatar(db, session.userId);
    onPublicChange();
    return { saved: "Your photo was removed. Clients see your initials instead." };
  }
  // Everything typed comes back with an error, so nothing is lost.
  const values = Object.fromEntries(
    FIELDS.map((name) => [name, field(form, name, name === "bio" ? 5000 : 300)]),
  ) as Record<ProfileField, string>;
  return formAction(async () => {
    await expertWorkspace.updateExpertProfile(db, session.userId, values);
    onPublicChange();
    return { saved: "Your profile was saved." };
  }, values);
}

export default function ExpertProfile() {
  const { slug, published, values, zones, photoVersion, name, initials: monogram } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData && "error" in actionData ? actionData : undefined;
  const saved = actionData && "saved" in actionData ? actionData.saved : null;
  // What the person typed wins over what is saved (after an error nothing typed is lost).
  const value = (name: ProfileField) => errors?.values?.[name] ?? values[name];

  return (
    <section aria-labelledby="title" className="stack">
      <div>
        <h1 id="title">Your profile</h1>
        <p className="lead">
          What clients read before they book you
          {published ? (
            <>
              {" "}
              on <Link to={`/experts/${slug}`}>your public page</Link>
            </>
          ) : null}
          .
        </p>
      </div>
      {saved ? <Notice>{saved}</Notice> : null}
      <FormAlert actionData={errors} />
      <Card as="section" className="stack" aria-labelledby="photo-title">
        <h2 id="photo-title">Your photo</h2>
        <div className="row">
          {/* What clients see: the photo, or the monogram on the brand tone until there is one. */}
          <Avatar name={name} initials={monogram} src={photoVersion ? `/account/avatar?v=${photoVersion}` : null} />
          <p className="hint">
            {photoVersion
              ? "Clients see this photo on your profile, in the directory and when they book."
              : "No photo yet: clients see your initials. A friendly, recent face helps people choose."}
          </p>
        </div>
        <Form method="post" encType="multipart/form-data" className="form">
          <Field
            label={photoVersion ? "Replace your photo" : "Upload a photo"}
            name="avatar"
            type="file"
            accept="image/png,image/jpeg,image/webp"
            hint="PNG, JPEG or WebP, up to 5 MB. We crop it square and remove location and camera details."
            actionData={errors}
          />
          <div>
            <Submit busy="Uploading…">Upload photo</Submit>
          </div>
        </Form>
        {photoVersion ? (
          <Form method="post">
            <Submit variant="secondary" name="intent" value="remove-photo" busy="Removing…">
              Remove photo
            </Submit>
          </Form>
        ) : null}
      </Card>
      {/* Keyed by what is saved: after a save the form shows the values as stored (trimmed, languages tidied). */}
      <Form method="post" className="form form-wide" noValidate key={JSON.stringify(values)}>
        <fieldset>
          <legend>About you</legend>
          <Field
            label="Headline"
            name="headline"
            required
            maxLength={120}
            defaultValue={value("headline")}
            hint="One line under your name, 5 to 120 characters."
            actionData={errors}
          />
          <TextAreaField
            label="Bio"
            name="bio"
            required
            rows={8}
            maxLength={4000}
            defaultValue={value("bio")}
            hint="How you work and whom you help, 20 to 4000 characters."
            actionData={errors}
          />
          <Field
            label="Languages"
            name="languages"
            required
            autoComplete="off"
            defaultValue={value("languages")}
            hint="The languages you hold sessions in, separated by commas, e.g. English, Hindi."
            actionData={errors}
          />
          <Field
            label="Time zone"
            name="timezone"
            required
            autoComplete="off"
            spellCheck={false}
            list="time-zones"
            defaultValue={value("timezone")}
            hint={
              "Your weekly hours are in this zone. Type a city, such as London or Kolkata, or pick a name from " +
              "the list; your hours keep their local times if you change it."
            }
            actionData={errors}
          />
          <datalist id="time-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </fieldset>
        <fieldset>
          <legend>Sessions and bookings</legend>
          <Field
            label="Session length (minutes)"
            name="sessionMinutes"
            type="number"
            inputMode="numeric"
            min={15}
            max={180}
            required
            defaultValue={value("sessionMinutes")}
            hint="15 to 180 minutes."
            actionData={errors}
          />
          <Field
            label="Break between sessions (minutes)"
            name="bufferMinutes"
            type="number"
            inputMode="numeric"
            min={0}
            max={120}
            required
            defaultValue={value("bufferMinutes")}
            hint="Kept free after each session, 0 to 120 minutes."
            actionData={errors}
          />
          <Field
            label="Minimum booking notice (hours)"
            name="minNoticeHours"
            type="number"
            inputMode="numeric"
            min={0}
            max={720}
            required
            defaultValue={value("minNoticeHours")}
            hint="How long before a session clients can still book it, 0 to 720 hours."
            actionData={errors}
          />
          <Field
            label="Cancellation window (hours)"
            name="cancelWindowHours"
            type="number"
            inputMode="numeric"
            min={0}
            max={720}
            required
            defaultValue={value("cancelWindowHours")}
            hint="Clients can cancel or move a session up to this many hours before it starts, 0 to 720."
            actionData={errors}
          />
        </fieldset>
        <div>
          <Submit busy="Saving…">Save profile</Submit>
        </div>
      </Form>
    </section>
  );
}
