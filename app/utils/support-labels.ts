// Shared by server and browser (not a .server module: the browser build empties those).
export const statusLabels: Record<string, string> = {
  NEW: "Received",
  OPEN: "In progress",
  PENDING_USER: "Waiting for your answer",
  ON_HOLD: "On hold",
  RESOLVED: "Resolved",
  CLOSED: "Closed",
};

/** How each status looks: a request waiting for the person's answer stands out; finished ones recede. */
export const statusTones: Record<string, "accent" | "neutral" | "warning"> = {
  NEW: "accent",
  OPEN: "accent",
  PENDING_USER: "warning",
  ON_HOLD: "neutral",
  RESOLVED: "neutral",
  CLOSED: "neutral",
};
