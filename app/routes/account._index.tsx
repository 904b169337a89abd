import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Field, FormAlert, Notice, Submit } from "~/components/forms";
import { EmailPreferencesForm } from "~/components/EmailPreferencesForm";
import {
  deps,
  accounts,
  clearPreferences,
  accountPage,
  removeAvatar,
  setAvatar,
  setEmailPreferences,
} from "~/core.server";
import { isMultipart, readAvatarUpload } from "~/utils/avatar-upload.server";
import { parseEmailPreferences, preferencesSavedMessage } from "~/utils/communications.server";
import { field, formAction, formHeaders, unknownIntent } from "~/utils/forms.server";
import { accountDeps, requireSession } from "~/utils/session.server";

export const headers = formHeaders;

export const meta: MetaFunction = () => [{ title: "Your account — Mind Namo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const { db } = deps(context);
  const {
    avatarVersion: photoVersion,
    preferences,
    emailPreferences: settings,
  } = await accountPage(db, session.userId);
  return {
    user: {
      name: session.user.name,
      email: session.user.email,
      role: session.user.role,
      verified: Boolean(session.user.emailVerifiedAt),
    },
    avatarVersion: photoVersion,
    preferences: preferences.map((p) => ({
      key: `${p.kind}:${p.category?.slug ?? p.expert?.slug}`,
      text: p.category ? `Topic browsed: ${p.category.name}` : `Expert: ${p.expert?.name ?? "unknown"}`,
      count: p.count,
    })),
    emailPrefs: settings,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const { db } = deps(context);
  if (isMultipart(request)) {
    return formAction(async () => {
      await setAvatar(db, session.userId, await readAvatarUpload(request));
      return { saved: "Your picture was updated." };
    });
  }
  const form = await request.formData();
  const intent = field(form, "intent");
  if (intent === "remove-avatar") {
    await removeAvatar(db, session.userId);
    return { saved: "Your picture was removed." };
  }
  if (intent === "clear-preferences") {
    const n = await clearPreferences(db, session.userId);
    return { saved: n === 0 ? "There was nothing to clear." : "Your wellness preferences were cleared." };
  }
  if (intent === "email-preferences") {
    const prefs = await setEmailPreferences(db, session.userId, parseEmailPreferences(form), "SETTINGS");
    return { saved: preferencesSavedMessage(prefs) };
  }
  if (intent !== "name") throw unknownIntent();
  const values = { name: field(form, "name", 200) };
  return formAction(async () => {
    await accounts.updateName(accountDeps(context), session, values);
    return { saved: "Your name was saved." };
  }, values);
}

export default function Account() {
  const { user, avatarVersion, preferences, emailPrefs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors = actionData && "error" in actionData ? actionData : undefined;
  const saved = actionData && "saved" in actionData ? actionData.saved : null;
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">Your account</h1>
      {params.get("welcome") ? <Notice>Your email is confirmed. Welcome to Mind Namo, {user.name}.</Notice> : null}
      {saved ? <Notice>{saved}</Notice> : null}
      <FormAlert actionData={errors} />

      <section aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <Form method="post" className="form" noValidate>
          <Field
            label="Name"
            name="name"
            autoComplete="name"
            required
            maxLength={100}
            defaultValue={user.name}
            actionData={errors}
          />
          <Submit name="intent" value="name" busy="Saving…">
            Save name
          </Submit>
        </Form>
      </section>

      <section aria-labelledby="picture-title">
        <h2 id="picture-title">Profile picture</h2>
        <div className="row">
          {avatarVersion ? (
            <img className="avatar" src={`/account/avatar?v=${avatarVersion}`} alt={user.name} width={96} height={96} />
          ) : (
            <p className="empty">No picture yet.</p>
          )}
        </div>
        <Form method="post" encType="multipart/form-data" className="form">
          <Field
            label="Upload a picture"
            name="avatar"
            type="file"
            accept="image/png,image/jpeg,image/webp"
            hint="PNG, JPEG or WebP, up to 5 MB. We remove location and camera details from it."
            actionData={errors}
          />
          <Submit busy="Uploading…">Upload picture</Submit>
        </Form>
        {avatarVersion ? (
          <Form method="post">
            <Submit variant="secondary" name="intent" value="remove-avatar" busy="Removing…">
              Remove picture
            </Submit>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="prefs-title">
        <h2 id="prefs-title">Your wellness preferences</h2>
        <p className="hint">
          The topics you browse and experts you look at, counted, so we can suggest experts for you. Only you see this
          list.
        </p>
        {preferences.length === 0 ? (
          <p className="empty">Nothing recorded yet.</p>
        ) : (
          <>
            <ul data-testid="preferences">
              {preferences.map((p) => (
                <li key={p.key}>
                  {p.text} ({p.count}×)
                </li>
              ))}
            </ul>
            <Form method="post">
              <Submit variant="secondary" name="intent" value="clear-preferences" busy="Clearing…">
                Clear my preferences
              </Submit>
            </Form>
          </>
        )}
      </section>

      <section aria-labelledby="email-title">
        <h2 id="email-title">Emails</h2>
        <EmailPreferencesForm
          reminders={emailPrefs.reminders}
          newsletter={emailPrefs.newsletter}
          details={emailPrefs.details}
        />
        <p>
          <Link to="/account/communications">All email and privacy choices, and your consent history</Link>
        </p>
      </section>

      <section aria-labelledby="signin-title">
        <h2 id="signin-title">Sign-in and security</h2>
        <p>
          Email: <strong data-testid="account-email">{user.email}</strong>
        </p>
        <ul className="links">
          <li>
            <Link to="/account/email">Change email</Link>
          </li>
          <li>
            <Link to="/account/password">Change password</Link>
          </li>
          <li>
            <Link to="/account/sessions">Devices and sessions</Link>
          </li>
        </ul>
        <Form method="post" action="/logout">
          <Submit variant="secondary" busy="Signing out…">
            Sign out
          </Submit>
        </Form>
      </section>

      <section aria-labelledby="privacy-center-title">
        <h2 id="privacy-center-title">Your data and privacy</h2>
        <p>
          See what we hold about you and who on our staff accessed it; download a copy, ask for a correction or delete
          your account in <Link to="/account/privacy">your privacy center</Link>.
        </p>
      </section>
    </section>
  );
}
