export interface PickerDay {
  day: string;
  date: string;
  slots: { startsAt: string; time: string; label: string }[];
}

/** Free times grouped by day, as radio buttons named `startsAt`; each is labelled with its full date and zone. */
export function SlotPicker({
  legend,
  days,
  zone,
  chosen,
  emptyText,
}: {
  legend: string;
  days: PickerDay[];
  /** The zone in words: "New York time (GMT-5)". */
  zone: string;
  chosen?: string;
  emptyText: string;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <p className="hint">Times are in {zone}.</p>
      {days.length === 0 ? (
        <p className="empty">{emptyText}</p>
      ) : (
        days.map((d) => (
          <div key={d.day} className="slot-day" role="group" aria-label={d.date}>
            <h2>{d.date}</h2>
            <div className="slots">
              {d.slots.map((s) => (
                <label key={s.startsAt} className="slot">
                  <input
                    type="radio"
                    name="startsAt"
                    value={s.startsAt}
                    defaultChecked={chosen === s.startsAt}
                    required
                    aria-label={s.label}
                  />
                  <span>{s.time}</span>
                </label>
              ))}
            </div>
          </div>
        ))
      )}
    </fieldset>
  );
}

/** A field-level refusal (e.g. "this time was just taken") shown above the choices it concerns. */
export function FieldAlert({ actionData }: { actionData?: { error?: string; field?: string } | undefined }) {
  if (!actionData?.field || !actionData.error) return null;
  return (
    <p className="alert" role="alert">
      {actionData.error}
    </p>
  );
}
