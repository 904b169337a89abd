import type { ReactNode } from "react";

export type BadgeTone = "accent" | "neutral" | "warm" | "warning" | "danger";

/** A short label (a topic, a status). Never the only carrier of meaning: its text says it. */
export function Badge({ tone = "accent", children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={tone === "accent" ? "badge" : `badge badge-${tone}`}>{children}</span>;
}
