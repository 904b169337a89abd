import { useNavigation } from "@remix-run/react";
import type { InputHTMLAttributes, ReactNode } from "react";
import { buttonClass, type ButtonVariant } from "./ui/Button";
import { Notice as UiNotice, type NoticeTone } from "./ui/Notice";

export interface ActionError {
  error?: string;
  field?: string;
  /** Every field's problem when the whole form was checked (shown at once, each next to its field). */
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

/** Whether the form's errors are listed above it (then each field's message is not announced again). */
const summarised = (a: ActionError | undefined) => !!a?.errors && Object.keys(a.errors).length > 1;

/** The message for one field, from a whole-form check or a single-field error. */
export function fieldError(actionData: ActionError | undefined, name: string): string | undefined {
  return actionData?.errors?.[name] ?? (actionData?.field === name ? actionData.error : undefined);
}

/** A labelled input; the action's error is announced and tied to the field it concerns. */
export function Field({
  label,
  name,
  hint,
  actionData,
  ...input
}: {
  label: string;
  name: string;
  hint?: ReactNode;
  actionData?: ActionError | undefined;
} & InputHTMLAttributes<HTMLInputElement>) {
  const id = input.id ?? `f-${name}`;
  const message = fieldError(actionData, name);
  const invalid = message !== undefined;
  const describedBy =
    [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        defaultValue={input.type === "password" ? undefined : actionData?.values?.[name]}
        {...input}
      />
      {invalid ? (
        <p className="field-error" id={`${id}-error`} role={summarised(actionData) ? undefined : "alert"}>
          {message}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Above the form, announced at once: an error not tied to one field (rate limits, expired links), or — when
 * fields are at fault — how many, with a link to each, so nobody has to hunt for them (GOV.UK's error summary).
 */
export function FormAlert({
  actionData,
  labels = {},
}: {
  actionData?: ActionError | undefined;
  /** Field names → their labels, for the summary's links. */
  labels?: Record<string, string>;
}) {
  if (!actionData?.error) return null;
  const fields = actionData.errors && Object.keys(actionData.errors).length > 1 ? actionData.errors : null;
  // One field at fault: its own message, next to it, is announced; nothing to summarise.
  if (!fields && actionData.field) return null;
  if (!fields) {
    return (
      <p className="alert" role="alert">
        {actionData.error}
      </p>
    );
  }
  const entries = Object.entries(fields);
  return (
    <div className="alert error-summary" role="alert">
      <div>
        <p className="field-label">{`Please fix these ${entries.length} things below:`}</p>
        <ul>
          {entries.map(([name, message]) => (
            <li key={name}>
              <a href={`#f-${name}`}>{labels[name] ? `${labels[name]}: ${message}` : message}</a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** A submit button that shows progress while the form is on its way. */
export function Submit({
  children,
  busy,
  name,
  value,
  variant = "primary",
  small,
}: {
  children: ReactNode;
  busy?: string;
  name?: string;
  value?: string;
  /** The Button's look; "link" for a secondary action written as a link in running text. */
  variant?: ButtonVariant | "link";
  small?: boolean;
}) {
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && (!name || navigation.formData?.get(name) === value);
  return (
    <button
      type="submit"
      className={variant === "link" ? "link-button" : buttonClass(variant, { small })}
      name={name}
      value={value}
      disabled={submitting}
      aria-busy={submitting || undefined}
    >
      {submitting ? (busy ?? "Working…") : children}
    </button>
  );
}

/** The result of what the person just did; pass another tone when it is not good news. */
export function Notice({ children, tone = "success" }: { children: ReactNode; tone?: NoticeTone }) {
  return <UiNotice tone={tone}>{children}</UiNotice>;
}

/** A new password: the rules people need to know, stated up front (8 to 128 characters). */
export function NewPasswordField({
  label = "New password",
  actionData,
  hint = "8 to 128 characters.",
}: {
  label?: string;
  actionData?: ActionError | undefined;
  hint?: string;
}) {
  return (
    <Field
      label={label}
      name="password"
      type="password"
      autoComplete="new-password"
      required
      minLength={8}
      maxLength={128}
      hint={hint}
      actionData={actionData}
    />
  );
}
