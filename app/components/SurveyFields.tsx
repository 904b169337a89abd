// The questions of a survey (every one optional): scales as a group of radio buttons, free text as a text area.
export interface SurveyQuestionView {
  id: string;
  type: "scale" | "text";
  label: string;
  low?: string;
  high?: string;
}

export function SurveyFields({
  questions,
  invalidField,
  error,
}: {
  questions: SurveyQuestionView[];
  invalidField?: string;
  error?: string;
}) {
  return (
    <>
      {questions.map((q) =>
        q.type === "scale" ? (
          <fieldset key={q.id} className="scale" aria-describedby={`q-${q.id}-hint`}>
            <legend>{q.label} (optional)</legend>
            <p className="hint" id={`q-${q.id}-hint`}>
              1 = {q.low}, 5 = {q.high}
            </p>
            <div className="row">
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n} className="choice">
                  <input type="radio" name={`q_${q.id}`} value={n} /> {n}
                </label>
              ))}
            </div>
            {invalidField === q.id ? (
              <p className="field-error" role="alert">
                {error}
              </p>
            ) : null}
          </fieldset>
        ) : (
          <div key={q.id} className="field">
            <label htmlFor={`q-${q.id}`}>{q.label} (optional)</label>
            <textarea id={`q-${q.id}`} name={`q_${q.id}`} rows={3} maxLength={2000} />
          </div>
        ),
      )}
    </>
  );
}
