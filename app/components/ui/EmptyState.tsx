import type { ReactNode } from "react";

/** What to show when a list is empty: what it means and the one thing to do next. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children ? <p>{children}</p> : null}
      {action ?? null}
    </div>
  );
}
