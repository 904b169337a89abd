// The audit trail's vocabulary: every action recordAudit may write, with its words for the two people who read
// the trail. `staff` is the console's audit search (staff reading what staff did); `person` is the privacy
// center's staff-access ledger (a person reading what staff did with their data), or null for actions that never
// concern one person's data. Writers take the typed AuditAction, so a new action fails the type check until it
// is named here. Pure data and string functions only: admin/shared/labels.ts (bundled into the console) reads it.
import type { Role, TicketChannel, TicketPriority, TicketStatus } from "../generated/prisma/enums.ts";

export const AUDIT_ACTIONS = {
  "ticket.view": { staff: "Viewed a ticket", person: "Read your support request" },
  "ticket.reply": { staff: "Replied to a ticket", person: "Replied to your support request" },
  "ticket.note": { staff: "Added an internal note", person: "Added a staff note to your support request" },
  "ticket.assign": { staff: "Assigned a ticket", person: "Assigned your support request" },
  // The requester panel beside a ticket (core/support/desk.ts requesterPanel): name, account state, other tickets.
  "ticket.requester.view": { staff: "Viewed the requester panel", person: "Read your support request" },
  "canned_reply.save": { staff: "Saved a canned reply", person: null },
  "canned_reply.delete": { staff: "Deleted a canned reply", person: null },
  "category.create": { staff: "Created a category", person: null },
  "category.update": { staff: "Edited a category", person: null },
  "category.delete": { staff: "Deleted a category", person: null },
  "expert.onboard": { staff: "Onboarded an expert", person: "Set up your expert profile" },
  "expert.publish": { staff: "Published an expert profile", person: "Published your expert profile" },
  "expert.unpublish": { staff: "Unpublished an expert profile", person: "Unpublished your expert profile" },
  "newsletter.send": { staff: "Sent a newsletter", person: null },
  "privacy.erasure.completed": { staff: "Erasure completed", person: "Completed the deletion of your data" },
  "privacy.hold.place": { staff: "Placed a legal hold", person: "Placed a legal hold on one of your records" },
  "privacy.hold.release": { staff: "Released a legal hold", person: "Released a legal hold on one of your records" },
  "privacy.queue.list": { staff: "Listed privacy requests", person: null },
  "privacy.request.extend": {
    staff: "Extended a privacy request",
    person: "Extended the deadline of your privacy request",
  },
  "privacy.request.identity_check": {
    staff: "Recorded an identity check",
    person: "Recorded an identity check for your privacy request",
  },
  "privacy.request.view": { staff: "Viewed a privacy request", person: "Opened your privacy request" },
  "privacy.request.ticket.view": {
    staff: "Read a privacy request's messages",
    person: "Read the messages of your privacy request",
  },
  "privacy.request.approve": { staff: "Approved a privacy request", person: "Approved your privacy request" },
  "privacy.request.reject": { staff: "Rejected a privacy request", person: "Declined your privacy request" },
  "privacy.request.correct": { staff: "Corrected a person's name", person: "Corrected your name as you asked" },
  "privacy.tickets.list": { staff: "Listed privacy tickets", person: null },
  "incident.open": { staff: "Opened a breach incident", person: null },
  "incident.assess": { staff: "Assessed a breach incident", person: null },
  "incident.notify_authority": { staff: "Recorded the authority's notification", person: null },
  "incident.notify_people": { staff: "Recorded that the people were told", person: null },
  "incident.close": { staff: "Closed a breach incident", person: null },
  "review.hide": { staff: "Hid a review", person: "Hid one of your reviews" },
  "security.feed.view": { staff: "Read the security feed", person: null },
  "audit.search": { staff: "Searched the audit log", person: "Looked up what staff did with your data" },
  "staff.deactivate": { staff: "Deactivated an account", person: "Changed your staff role or account" },
  "staff.reactivate": { staff: "Reactivated an account", person: "Changed your staff role or account" },
  "staff.account.lookup": {
    staff: "Looked up an account by email",
    person: "Looked up your account to give it a staff role",
  },
  "mfa.enrol": { staff: "Set up two-factor sign-in", person: null },
  "mfa.recovery_code.use": { staff: "Signed in with a recovery code", person: null },
  "mfa.recovery_codes.regenerate": { staff: "Made new recovery codes", person: null },
} as const satisfies Record<string, { staff: string; person: string | null }>;

export type FixedAuditAction = keyof typeof AUDIT_ACTIONS;

/** Why a signed-in caller was refused a back-office procedure (recorded as `authz.denied.<reason>`). */
export type DenialReason = "MFA_REQUIRED" | "NOT_STAFF" | "MISSING_PERMISSION";

/** Every action the trail may hold: the fixed ones and the families carrying a value. */
export type AuditAction =
  | FixedAuditAction
  | `staff.role.${Role}->${Role}`
  | `staff.invite.${Role}`
  | `ticket.status.${TicketStatus}`
  | `ticket.priority.${TicketPriority}`
  | `ticket.log.${TicketChannel}`
  | `authz.denied.${DenialReason}`;

/** The families' words for the person whose data it was (the console composes its own, with its enum labels). */
const PERSON_FAMILIES: [prefix: string, label: string][] = [
  ["ticket.status.", "Changed the status of your support request"],
  ["ticket.priority.", "Changed the priority of your support request"],
  ["ticket.log.", "Logged a request you made by email or phone"],
  ["staff.", "Changed your staff role or account"],
];

export const isFixedAuditAction = (action: string): action is FixedAuditAction => Object.hasOwn(AUDIT_ACTIONS, action);

/** Never a dotted code on a screen: an action this version does not know becomes words. */
export function auditActionWords(action: string): string {
  const words = action.replace(/[._>-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

/** What a stored action means to the person whose data it touched (the privacy center's ledger). */
export function auditActionForPerson(action: string): string {
  if (isFixedAuditAction(action)) {
    const { staff, person } = AUDIT_ACTIONS[action];
    return person ?? staff;
  }
  const family = PERSON_FAMILIES.find(([prefix]) => action.startsWith(prefix));
  return family ? family[1] : auditActionWords(action);
}
