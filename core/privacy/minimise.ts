// Data minimisation helpers shared by the areas that hand a person's data to someone else (privacy promises P17,
// P27): an expert and the video processor need a name to greet someone by, not their full identity.
import { FORMER_CLIENT_NAME } from "./erase.ts";

/**
 * The first name only: what experts and LiveKit see of a client (never the surname, email or account id). The
 * shared placeholder of erased accounts is not a person's name and stays whole.
 */
export function firstName(fullName: string): string {
  const name = fullName.trim();
  if (name === FORMER_CLIENT_NAME) return name;
  return name.split(/\s+/)[0] ?? "";
}
