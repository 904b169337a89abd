// Shared by server and browser (not a .server module: the browser build empties those).
export const statusLabels: Record<string, string> = {
  NEW: "Received",
  OPEN: "In progress",
  PENDING_USER: "Waiting for your answer",
  ON_HOLD: "On hold",
  RESOLVED: "Resolved",
  CLOSED: "Closed",
};
