import { Form } from "@remix-run/react";
import { useState } from "react";
import { allTimeZones, zoneLabel, zoneName } from "~/utils/time";
import { Button } from "./ui/Button";

/**
 * A searchable time-zone picker: a text field with the zones as suggestions ("New York time (GMT-5)"), the
 * detected zone filled in. A plain GET form, so it works without JavaScript; with it, choosing a suggestion
 * applies at once. The server accepts a zone's id or its name in words.
 */
export function ZonePicker({ current, hidden }: { current: string | null; hidden: Record<string, string | null> }) {
  // The suggestions are built in the browser (its zone list need not match the server's), and only when the field
  // is first used: labelling ~400 zones builds ~400 formatters, which blocked the page for a few hundred ms right
  // after it loaded on a slow phone (Lighthouse's total blocking time), for a field most people never touch.
  const [zones, setZones] = useState<{ id: string; label: string }[]>([]);
  const loadZones = () => {
    if (zones.length === 0) setZones(allTimeZones().map((z) => ({ id: z, label: zoneLabel(z) })));
  };
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
          onFocus={(e) => {
            loadZones();
            e.currentTarget.select();
          }}
          onPointerDown={loadZones}
        />
        <Button variant="secondary" type="submit">
          Show times
        </Button>
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
