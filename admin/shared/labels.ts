// The console's words for stored values: every status, channel, category, role and audit action a staff member
// sees goes through here, so no raw enum or dotted action name reaches the screen. Typed against the schema's
// enums (client-safe `enums.ts`), so a new enum value fails the type check until it has a label.
import type {
  ErrorReportKind,
  IncidentRisk,
  IncidentStatus,
  PrivacyRequestSource,
  PrivacyRequestStatus,
  PrivacyRequestType,
  Role,
  SecurityEventKind,
  TicketCategory,
  TicketChannel,
  TicketPriority,
  TicketStatus,
  UserStatus,
} from "../../core/generated/prisma/enums.ts";
import { AUDIT_ACTIONS, auditActionWords, isFixedAuditAction, type DenialReason } from "../../core/audit/actions.ts";

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

export const ERROR_KIND_LABEL: Record<ErrorReportKind, string> = {
  CLIENT_CRASH: "Crash in the browser",
  API_FAILURE: "Failed API call",
  LOAD_FAILURE: "Loading failure",
  SERVER_ERROR: "Server error",
  CSP_VIOLATION: "Blocked by the content security policy",
};

export const SECURITY_KIND_LABEL: Record<SecurityEventKind, string> = {
  SIGN_IN_FAILED: "Failed sign-in",
  CODE_REQUESTED: "Sign-in code requested",
  FAILURE_BURST: "Burst of failed sign-ins",
  MANY_ACCOUNTS_FROM_IP: "Many accounts from one IP",
  CODES_IN_BULK: "Codes requested in bulk",
  ACCOUNT_LOCKED: "Account locked",
  NEW_DEVICE: "New-device alert sent",
  NOT_ME_REPORTED: "\u201cThis wasn't me\u201d",
};

export const PRIVACY_STATUS_LABEL: Record<PrivacyRequestStatus, string> = {
  AWAITING_IDENTITY: "Awaiting identity check",
  PENDING: "Pending",
  APPROVED: "Approved",
  REJECTED: "Rejected",
  CANCELLED: "Cancelled",
  COMPLETED: "Completed",
};

export const INCIDENT_STATUS_LABEL: Record<IncidentStatus, string> = {
  OPEN: "Opened, to assess",
  ASSESSED: "Assessed",
  AUTHORITY_NOTIFIED: "Authority notified",
  PEOPLE_NOTIFIED: "People told",
  CLOSED: "Closed",
};

export const PRIVACY_SOURCE_LABEL: Record<PrivacyRequestSource, string> = {
  ACCOUNT: "Privacy center",
  TICKET: "Help ticket",
  CONTACT_FORM: "Contact form",
  EMAIL: "Email (logged by support)",
  PHONE: "Phone call (logged by support)",
};

export const INCIDENT_RISK_LABEL: Record<IncidentRisk, string> = {
  UNLIKELY: "Unlikely to be a risk to people (recorded, not notified)",
  RISK: "A risk to people (notify the authority)",
  HIGH: "A high risk to people (notify the authority and tell the people)",
};

const DENIAL_LABEL: Record<DenialReason, string> & Record<string, string | undefined> = {
  MFA_REQUIRED: "Refused: second factor missing",
  NOT_STAFF: "Refused: not a staff account",
  MISSING_PERMISSION: "Refused: not part of the role",
};

const isRole = (v: string): v is Role => v in ROLE_LABEL;

/**
 * A sentence for any stored audit action: the fixed ones in the staff's words from the trail's vocabulary
 * (core/audit/actions.ts), the families composed with this file's enum labels; unknown actions stay readable.
 */
export function auditActionLabel(action: string): string {
  if (isFixedAuditAction(action)) return AUDIT_ACTIONS[action].staff;
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
  return auditActionWords(action);
}

/** A label from a table, or the value turned into words if the server sends something newer than this console. */
export function labelOf<K extends string>(table: Record<K, string>, value: string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (value in table) return table[value as K];
  const words = value.replace(/_/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The audit log's action filter: every fixed action and each family (any value), in the staff's words. The
 * search matches by prefix, so a family's value is its prefix.
 */
export const AUDIT_ACTION_CHOICES: { value: string; label: string }[] = [
  ...Object.entries(AUDIT_ACTIONS).map(([value, words]) => ({ value, label: words.staff })),
  { value: "staff.role.", label: "Changed a role (any)" },
  { value: "staff.invite.", label: "Invited staff (any role)" },
  { value: "ticket.status.", label: "Set a ticket's status (any)" },
  { value: "ticket.priority.", label: "Set a ticket's priority (any)" },
  { value: "ticket.log.", label: "Logged a ticket (any channel)" },
  { value: "authz.denied.", label: "Refused access (any reason)" },
].sort((a, b) => a.label.localeCompare(b.label));

const TARGET_KIND: Record<string, string> = {
  ticket: "Ticket",
  "privacy-request": "Privacy request",
  incident: "Breach incident",
  user: "Account",
  review: "Review",
  expert: "Expert",
  category: "Category",
  canned: "Canned reply",
  "legal-hold": "Legal hold",
  newsletter: "Newsletter",
};

/** A short reference people can read out and compare: the last 6 characters of an id, in capitals. */
export const shortRef = (id: string) => id.replace(/-/g, "").slice(-6).toUpperCase();

/**
 * Why an access happened, readable: a purpose that is (or names) the id of a record becomes that record's kind
 * and short reference ("Ticket 3F9A2C"); a written purpose ("staff invite") stays as written.
 */
export function auditPurposeLabel(purpose: string | null | undefined, target: string): string {
  if (!purpose) return "—";
  const [kind, id] = target.split(":", 2);
  if (id && purpose === id) return `${TARGET_KIND[kind!] ?? "Record"} ${shortRef(id)}`;
  // Some purposes name their record themselves ("privacy-request:<id>").
  const named = /^([a-z-]+):([0-9a-f-]{32,36})$/i.exec(purpose);
  if (named) return `${TARGET_KIND[named[1]!] ?? "Record"} ${shortRef(named[2]!)}`;
  if (/^[0-9a-f-]{32,36}$/i.test(purpose)) return `Record ${shortRef(purpose)}`;
  return purpose;
}
