// Shared by server and browser (not a .server module: the browser build empties those).
import type { BadgeTone } from "~/components/ui/Badge";

export const statusLabels: Record<string, string> = {
  NEW: "Received",
  OPEN: "In progress",
  PENDING_USER: "Waiting for your answer",
  ON_HOLD: "On hold",
  RESOLVED: "Resolved",
  CLOSED: "Closed",
};

/** How each status looks: a request waiting for the person's answer stands out; finished ones recede. */
export const statusTones: Record<string, BadgeTone> = {
  NEW: "accent",
  OPEN: "accent",
  PENDING_USER: "warning",
  ON_HOLD: "neutral",
  RESOLVED: "neutral",
  CLOSED: "neutral",
};
