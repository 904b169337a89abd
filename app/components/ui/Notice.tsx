import type { ReactNode } from "react";

export type NoticeTone = "success" | "info" | "warning" | "danger";

/**
 * A message about what just happened or what to know. The tone is shown by colour AND by the words (never colour
 * alone); success is announced politely (status), danger at once (alert).
 */
export function Notice({ tone = "info", title, children }: { tone?: NoticeTone; title?: string; children: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === "danger" ? "alert" : "status"} data-tone={tone}>
      <div>
        {title ? <p className="field-label">{title}</p> : null}
        {typeof children === "string" ? <p>{children}</p> : children}
      </div>
    </div>
  );
}
