import { fieldError, type ActionError } from "~/components/forms";

/**
 * "What are you asking for?" on the help and contact forms, so a privacy question reaches the Data Protection
 * Officer as the right kind of request. The stylesheet shows it only while "Privacy and my data" is the chosen
 * category (`.privacy-type`, with `:has()`); without that it is always there, optional, and its hint says it only
 * matters for privacy questions. The server ignores it under any other category.
 */
export function PrivacyTypeField({
  choices,
  actionData,
}: {
  choices: ReadonlyArray<{ value: string; label: string }>;
  actionData?: ActionError | undefined;
}) {
  const message = fieldError(actionData, "privacyType");
  const describedBy = ["f-privacyType-hint", message ? "f-privacyType-error" : null].filter(Boolean).join(" ");
  return (
    <div className="field privacy-type">
      <label htmlFor="f-privacyType">What are you asking for? (optional)</label>
      <p className="hint" id="f-privacyType-hint">
        Only for privacy questions: it tells our Data Protection Officer what to do. You can explain more in your
        message.
      </p>
      <select
        id="f-privacyType"
        name="privacyType"
        aria-invalid={message ? true : undefined}
        aria-describedby={describedBy}
        defaultValue={actionData?.values?.privacyType || "OTHER"}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {message ? (
        <p className="field-error" id="f-privacyType-error" role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}
