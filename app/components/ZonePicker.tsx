import { Form } from "@remix-run/react";
import { useEffect, useState } from "react";
import { allTimeZones, zoneLabel, zoneName } from "~/utils/time";

/**
 * A searchable time-zone picker: a text field with the zones as suggestions ("New York time (GMT-5)"), the
 * detected zone filled in. A plain GET form, so it works without JavaScript; with it, choosing a suggestion
 * applies at once. The server accepts a zone's id or its name in words.
 */
export function ZonePicker({ current, hidden }: { current: string | null; hidden: Record<string, string | null> }) {
  // The suggestions are built in the browser after hydration: the browser's zone list need not match the server's.
  const [zones, setZones] = useState<{ id: string; label: string }[]>([]);
  useEffect(() => setZones(allTimeZones().map((z) => ({ id: z, label: zoneLabel(z) }))), []);
  return (
    <Form method="get" className="zone-picker" preventScrollReset replace>
      {Object.entries(hidden).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
      <label htmlFor="tz-input">Time zone</label>
      <div className="zone-row">
        <input
          id="tz-input"
          name="tz"
          list="tz-options"
          autoComplete="off"
          spellCheck={false}
          defaultValue={current ? zoneLabel(current) : ""}
          placeholder="Type a city, e.g. London"
          onChange={(e) => {
            const form = e.currentTarget.form;
            if (form && zones.some((z) => z.label === e.currentTarget.value)) form.requestSubmit();
          }}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="submit" className="button secondary">
          Show times
        </button>
      </div>
      <datalist id="tz-options">
        {zones.map((z) => (
          <option key={z.id} value={z.label}>
            {zoneName(z.id) === "UTC" ? "Coordinated Universal Time" : z.id.split("/")[0]}
          </option>
        ))}
      </datalist>
    </Form>
  );
}
