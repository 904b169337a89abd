// Form controls the expert workspace needs besides <Field>: a labelled text area and a labelled select, with the
// same hint and error wiring (the action's error is announced and tied to the control it concerns).
import type { ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import type { ActionError } from "./forms";
import { Tabs } from "~/components/ui/Tabs";

function describedBy(id: string, hint: ReactNode, invalid: boolean) {
  return [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

function Hint({ id, hint }: { id: string; hint: ReactNode }) {
  return hint ? (
    <p className="hint" id={`${id}-hint`}>
      {hint}
    </p>
  ) : null;
}

function FieldError({ id, name, actionData }: { id: string; name: string; actionData?: ActionError | undefined }) {
  return actionData?.field === name ? (
    <p className="field-error" id={`${id}-error`}>
      {actionData.error}
    </p>
  ) : null;
}

export function TextAreaField({
  label,
  name,
  hint,
  actionData,
  ...textarea
}: {
  label: string;
  name: string;
  hint?: ReactNode;
  actionData?: ActionError | undefined;
} & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = textarea.id ?? `f-${name}`;
  const invalid = actionData?.field === name;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <Hint id={id} hint={hint} />
      <textarea
        id={id}
        name={name}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, hint, invalid)}
        defaultValue={actionData?.values?.[name]}
        {...textarea}
      />
      <FieldError id={id} name={name} actionData={actionData} />
    </div>
  );
}

export function SelectField({
  label,
  name,
  hint,
  actionData,
  options,
  ...select
}: {
  label: string;
  name: string;
  hint?: ReactNode;
  actionData?: ActionError | undefined;
  options: { value: string; label: string }[];
} & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = select.id ?? `f-${name}`;
  const invalid = actionData?.field === name;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <Hint id={id} hint={hint} />
      <select
        id={id}
        name={name}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, hint, invalid)}
        defaultValue={actionData?.values?.[name]}
        {...select}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={id} name={name} actionData={actionData} />
    </div>
  );
}

/** The workspace's own navigation, under the site header: its pages as tabs. */
export function WorkspaceNav() {
  return (
    <Tabs
      label="Expert workspace"
      tabs={[
        { to: "/expert", label: "Sessions" },
        { to: "/expert/profile", label: "Profile" },
        { to: "/expert/availability", label: "Availability" },
      ]}
    />
  );
}
