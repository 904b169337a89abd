// A wide table's box that scrolls on its own on a phone instead of widening the page. A region that scrolls must be
// reachable by keyboard (axe scrollable-region-focusable): it is focusable and named.
import type { ReactNode } from "react";

export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be focusable
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
