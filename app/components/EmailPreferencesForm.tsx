import { Form } from "@remix-run/react";
import { Submit } from "~/components/forms";

/** The optional emails, as checkboxes (reminders on by default, the newsletter off until chosen). */
export function EmailPreferencesForm({
  reminders,
  newsletter,
  details,
  action,
}: {
  reminders: boolean;
  newsletter: boolean;
  details: boolean;
  action?: string;
}) {
  return (
    <Form method="post" action={action} className="form">
      <input type="hidden" name="intent" value="email-preferences" />
      <fieldset>
        <legend>Optional emails</legend>
        <label className="choice">
          <input type="checkbox" name="reminders" value="on" defaultChecked={reminders} /> Remind me 24 hours and 1 hour
          before my sessions
        </label>
        <label className="choice">
          <input type="checkbox" name="newsletter" value="on" defaultChecked={newsletter} /> Send me the Mind Namo
          newsletter (about once a month)
        </label>
      </fieldset>
      <fieldset>
        <legend>Privacy of booking emails</legend>
        <label className="choice">
          <input type="checkbox" name="details" value="on" defaultChecked={details} /> Name my expert and topic in
          booking emails and calendar entries
        </label>
        <p className="hint">
          Off by default: subjects and calendar entries only say &ldquo;Mind Namo session&rdquo;, so someone who sees
          your inbox or calendar learns nothing more.
        </p>
      </fieldset>
      <p className="hint">
        Booking confirmations and changes, security notices and sign-in codes are always sent. Every optional email has
        a one-click unsubscribe link.
      </p>
      <Submit variant="secondary" busy="Saving…">
        Save email settings
      </Submit>
    </Form>
  );
}
