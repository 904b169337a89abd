import { Link } from "~/components/Link";
import type { CrisisView } from "~/utils/crisis.server";

/** Mind Namo is not an emergency service: the lines for the person's region, and where to change it. */
export function CrisisNotice({ crisis }: { crisis: CrisisView }) {
  return (
    <aside className="crisis" aria-labelledby="crisis-title" data-region={crisis.region}>
      <h2 id="crisis-title">In crisis or need help right now?</h2>
      <p>
        Mind Namo is not an emergency service. If you are in danger or thinking about harming yourself, please reach out
        now:
      </p>
      <CrisisLines lines={crisis.lines} />
      <p className="hint">
        Lines for {crisis.regionName}. <Link to="/help-now">Somewhere else? Choose your country</Link>
      </p>
    </aside>
  );
}

export function CrisisLines({ lines }: { lines: CrisisView["lines"] }) {
  return (
    <ul className="helplines">
      {lines.map((line) => (
        <li key={line.href} className={line.emergency ? "helpline helpline-emergency" : "helpline"}>
          <a className="helpline-action" href={line.href}>
            {line.action}
          </a>
          <span className="helpline-name">{line.name}</span>
          <span className="helpline-hours">{line.hours}</span>
        </li>
      ))}
    </ul>
  );
}

/** For pages shared by every visitor (and cached): no region-specific numbers, one tap to them. */
export function CrisisLink() {
  return (
    <aside className="crisis crisis-compact" aria-label="Crisis help">
      <p>
        Mind Namo is not an emergency service. <Link to="/help-now">Get help now</Link> — free crisis lines for your
        country, open day and night.
      </p>
    </aside>
  );
}
