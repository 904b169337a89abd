import { useNavigation } from "@remix-run/react";
import type { InputHTMLAttributes, ReactNode } from "react";

export interface ActionError {
  error?: string;
  field?: string;
  values?: Record<string, string>;
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
  const invalid = actionData?.field === name;
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
        <p className="field-error" id={`${id}-error`} role="alert">
          {actionData?.error}
        </p>
      ) : null}
    </div>
  );
}

/** Errors not tied to one field (rate limits, expired links) appear above the form, announced at once. */
export function FormAlert({ actionData }: { actionData?: ActionError | undefined }) {
  if (!actionData?.error || actionData.field) return null;
  return (
    <p className="alert" role="alert">
      {actionData.error}
    </p>
  );
}

/** A submit button that shows progress while the form is on its way. */
export function Submit({
  children,
  busy,
  name,
  value,
  className,
}: {
  children: ReactNode;
  busy?: string;
  name?: string;
  value?: string;
  className?: string;
}) {
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && (!name || navigation.formData?.get(name) === value);
  return (
    <button
      type="submit"
      className={className ?? "button"}
      name={name}
      value={value}
      disabled={submitting}
      aria-busy={submitting || undefined}
    >
      {submitting ? (busy ?? "Working…") : children}
    </button>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
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
