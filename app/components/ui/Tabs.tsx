import { NavLink } from "~/components/Link";

/**
 * Sibling pages as tabs. They are links (each tab is its own page, so it works without JavaScript and the URL says
 * where you are); the current one gets aria-current="page".
 */
export function Tabs({ label, tabs }: { label: string; tabs: { to: string; label: string; end?: boolean }[] }) {
  return (
    <nav className="tabs" aria-label={label}>
      <ul>
        {tabs.map((t) => (
          <li key={t.to}>
            <NavLink to={t.to} end={t.end ?? true} prefetch="intent">
              {t.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
