// The console's words for stored values: every status, channel, category, role and audit action a staff member
// sees goes through here, so no raw enum or dotted action name reaches the screen. Typed against the schema's
// enums (client-safe `enums.ts`), so a new enum value fails the type check until it has a label.
import type {
  PrivacyRequestSource,
  PrivacyRequestStatus,
  PrivacyRequestType,
  Role,
  TicketCategory,
  TicketChannel,
  TicketPriority,
  TicketStatus,
  UserStatus,
} from "../../core/generated/prisma/enums.ts";

export const ROLE_LABEL: Record<Role, string> = {
  USER: "Client",
  EXPERT: "Expert",
  SUPPORT: "Support agent",
  DPO: "Data protection officer",
  ADMIN: "Administrator",
};

export const USER_STATUS_LABEL: Record<UserStatus, string> = {
  ACTIVE: "Active",
  SUSPENDED: "Deactivated",
  DELETED: "Deleted",
};

export const TICKET_STATUS_LABEL: Record<TicketStatus, string> = {
  NEW: "New",
  OPEN: "Open",
  PENDING_USER: "Waiting for requester",
  ON_HOLD: "On hold",
  RESOLVED: "Resolved",
  CLOSED: "Closed",
};

export const TICKET_PRIORITY_LABEL: Record<TicketPriority, string> = {
  LOW: "Low",
  NORMAL: "Normal",
  HIGH: "High",
  URGENT: "Urgent",
};

export const TICKET_CHANNEL_LABEL: Record<TicketChannel, string> = {
  WEB: "Help page",
  CONTACT_FORM: "Contact form",
  EMAIL: "Email",
  PHONE: "Phone",
};

export const TICKET_CATEGORY_LABEL: Record<TicketCategory, string> = {
  ACCOUNT: "Account",
  BOOKING: "Booking",
  PAYMENT: "Payment",
  PRIVACY: "Privacy",
  TECHNICAL: "Technical",
  OTHER: "Other",
};

export const PRIVACY_TYPE_LABEL: Record<PrivacyRequestType, string> = {
  ACCESS: "Access (copy of data)",
  CORRECTION: "Correction",
  DELETION: "Deletion",
  OPT_OUT: "Opt-out",
  OTHER: "Other privacy request",
};

export const PRIVACY_STATUS_LABEL: Record<PrivacyRequestStatus, string> = {
  AWAITING_IDENTITY: "Awaiting identity check",
  PENDING: "Pending",
  APPROVED: "Approved",
  REJECTED: "Rejected",
  CANCELLED: "Cancelled",
  COMPLETED: "Completed",
};

export const PRIVACY_SOURCE_LABEL: Record<PrivacyRequestSource, string> = {
  ACCOUNT: "Privacy center",
  TICKET: "Help ticket",
  CONTACT_FORM: "Contact form",
  EMAIL: "Email (logged by support)",
  PHONE: "Phone call (logged by support)",
};

/** Fixed audit actions. Parameterised ones (role changes, statuses) are composed in auditActionLabel. */
export const AUDIT_ACTION_LABEL = {
  "ticket.view": "Viewed a ticket",
  "ticket.reply": "Replied to a ticket",
  "ticket.note": "Added an internal note",
  "ticket.assign": "Assigned a ticket",
  "ticket.requester.view": "Viewed the requester panel",
  "canned_reply.save": "Saved a canned reply",
  "canned_reply.delete": "Deleted a canned reply",
  "category.create": "Created a category",
  "category.update": "Edited a category",
  "category.delete": "Deleted a category",
  "expert.onboard": "Onboarded an expert",
  "newsletter.send": "Sent a newsletter",
  "privacy.erasure.completed": "Erasure completed",
  "privacy.hold.place": "Placed a legal hold",
  "privacy.hold.release": "Released a legal hold",
  "privacy.queue.list": "Listed privacy requests",
  "privacy.request.extend": "Extended a privacy request",
  "privacy.request.identity_check": "Recorded an identity check",
  "privacy.request.view": "Viewed a privacy request",
  "privacy.request.ticket.view": "Read a privacy request's messages",
  "privacy.request.approve": "Approved a privacy request",
  "privacy.request.reject": "Rejected a privacy request",
  "privacy.tickets.list": "Listed privacy tickets",
  "review.hide": "Hid a review",
  "security.feed.view": "Read the security feed",
  "staff.deactivate": "Deactivated an account",
  "staff.reactivate": "Reactivated an account",
  "mfa.enrol": "Set up two-factor sign-in",
  "mfa.recovery_code.use": "Signed in with a recovery code",
  "mfa.recovery_codes.regenerate": "Made new recovery codes",
} as const satisfies Record<string, string>;

const DENIAL_LABEL: Record<string, string> = {
  MFA_REQUIRED: "Refused: second factor missing",
  NOT_STAFF: "Refused: not a staff account",
  MISSING_PERMISSION: "Refused: not part of the role",
};

const isRole = (v: string): v is Role => v in ROLE_LABEL;

/** A sentence for any stored audit action, including the parameterised ones; unknown actions stay readable. */
export function auditActionLabel(action: string): string {
  if (action in AUDIT_ACTION_LABEL) return AUDIT_ACTION_LABEL[action as keyof typeof AUDIT_ACTION_LABEL];
  const role = /^staff\.role\.(\w+)->(\w+)$/.exec(action);
  if (role && isRole(role[1]!) && isRole(role[2]!))
    return `Changed a role: ${ROLE_LABEL[role[1]]} → ${ROLE_LABEL[role[2]]}`;
  const invite = /^staff\.invite\.(\w+)$/.exec(action);
  if (invite && isRole(invite[1]!)) return `Invited as ${ROLE_LABEL[invite[1]]}`;
  const status = /^ticket\.status\.(\w+)$/.exec(action);
  if (status && status[1]! in TICKET_STATUS_LABEL)
    return `Set a ticket to ${TICKET_STATUS_LABEL[status[1] as TicketStatus]}`;
  const priority = /^ticket\.priority\.(\w+)$/.exec(action);
  if (priority && priority[1]! in TICKET_PRIORITY_LABEL)
    return `Set a ticket's priority to ${TICKET_PRIORITY_LABEL[priority[1] as TicketPriority]}`;
  const logged = /^ticket\.log\.(\w+)$/.exec(action);
  if (logged && logged[1]! in TICKET_CHANNEL_LABEL)
    return `Logged a ticket (${TICKET_CHANNEL_LABEL[logged[1] as TicketChannel]})`;
  const denied = /^authz\.denied\.(\w+)$/.exec(action);
  if (denied) return DENIAL_LABEL[denied[1]!] ?? "Refused";
  // Never show a dotted code: turn an action we do not know yet into words.
  const words = action.replace(/[._>-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

/** A label from a table, or the value turned into words if the server sends something newer than this console. */
export function labelOf<K extends string>(table: Record<K, string>, value: string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (value in table) return table[value as K];
  const words = value.replace(/_/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
